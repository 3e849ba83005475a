// The promise monitor's benchmark (`VOW_BENCH_ONLY=monitor npm run bench`): on a SQLite store of N
// generated people, served by Vow in its own process,
// - how long GET /healthz takes (p50, p99, max) while a full check runs in the server (in its worker
//   thread, as `vow serve` runs it), against the same probe with nothing running (the floor), and,
//   up to 30,000 people, while the same check runs in the request thread (what the worker avoids);
// - how long a full check takes, against reading every row of the store once (the floor);
// - how long an incremental check takes after 100 new orders (its cost follows the change).
// Sizes: VOW_BENCH_MONITOR_PEOPLE (default 30000; e.g. 30000,300000). A generated store is kept in
// VOW_BENCH_STORE_DIR/monitor-<N> when that is set, and reused.
import { type ChildProcess, spawn } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import SQLite from 'better-sqlite3';
import pino from 'pino';
import { createContext } from '../src/app/context.js';
import { createServices } from '../src/app/services.js';
import { generateDemo } from '../src/cli/demo/generator.js';
import { seededRandom } from '../src/platform/clock.js';
import { loadConfig } from '../src/platform/config.js';
import { BENCH_MASTER_KEY, benchOrder, type Out, percentile } from './common.js';
import { serverEntry } from './server-entry.js';

interface Served {
  readonly url: string;
  readonly apiKey: string;
  readonly child: ChildProcess;
  readonly checked: () => Promise<Record<string, unknown>>;
  send(line: string): void;
}

async function store(n: number, out: Out): Promise<{ dir: string; temporary: boolean }> {
  const keep = process.env.VOW_BENCH_STORE_DIR;
  const dir = keep
    ? path.resolve(keep, `monitor-${n}`)
    : mkdtempSync(path.join(os.tmpdir(), 'vow-bench-monitor-'));
  const marker = path.join(dir, 'bench-people.txt');
  if (keep && existsSync(marker) && readFileSync(marker, 'utf8').trim() === String(n)) {
    out.log(`reusing the store of ${n} people in ${dir}`);
    return { dir, temporary: false };
  }
  rmSync(dir, { recursive: true, force: true });
  mkdirSync(dir, { recursive: true });
  const ctx = await createContext(
    loadConfig({ VOW_DATA_DIR: dir, VOW_LOG_LEVEL: 'silent', VOW_MASTER_KEY: BENCH_MASTER_KEY }),
    {
      logger: pino({ level: 'silent' }),
      random: seededRandom(n, { ordered: true }),
    },
  );
  try {
    out.log(`generating a store of ${n.toLocaleString('en-US')} people for the monitor …`);
    await generateDemo(ctx, createServices(ctx), {
      people: n,
      seed: 4242,
      batchSize: 1000,
      visitorsPerPerson: 0.2,
      experimentVisitors: 100,
    });
  } finally {
    await ctx.store.close();
  }
  if (keep) writeFileSync(marker, String(n));
  return { dir, temporary: !keep };
}

async function serve(dir: string): Promise<Served> {
  const child = spawn(process.execPath, [await serverEntry(), 'vow', dir], {
    stdio: ['pipe', 'pipe', 'inherit'],
  });
  let buf = '';
  const waiting: ((r: Record<string, unknown>) => void)[] = [];
  const ready = new Promise<string[]>((resolve, reject) => {
    child.stdout!.on('data', (d: Buffer) => {
      buf += d.toString();
      const m = /READY (\S+) (\S+) (\S+)/.exec(buf);
      if (m) resolve([m[1]!, m[2]!]);
      for (let at = buf.indexOf('CHECKED '); at >= 0; at = buf.indexOf('CHECKED ')) {
        const end = buf.indexOf('\n', at);
        if (end < 0) break;
        waiting.shift()?.(JSON.parse(buf.slice(at + 8, end)) as Record<string, unknown>);
        buf = buf.slice(end + 1);
      }
    });
    child.once('exit', (code) => reject(new Error(`bench server exited with ${code}`)));
  });
  const [url, apiKey] = await ready;
  return {
    url: url!,
    apiKey: apiKey!,
    child,
    send: (line) => child.stdin!.write(`${line}\n`),
    checked: () => new Promise((r) => waiting.push(r)),
  };
}

/** GET /healthz one after another until `until` settles (or for `ms`), each latency kept. */
async function probe(url: string, until: Promise<unknown> | number): Promise<number[]> {
  const out: number[] = [];
  let done = false;
  if (typeof until === 'number') setTimeout(() => (done = true), until);
  else void until.then(() => (done = true));
  while (!done) {
    const t0 = performance.now();
    const res = await fetch(`${url}/healthz`);
    await res.arrayBuffer();
    out.push(performance.now() - t0);
  }
  return out.sort((a, b) => a - b);
}

const show = (xs: number[]) =>
  `p50 ${percentile(xs, 50).toFixed(1)} ms, max ${xs.at(-1)!.toFixed(0)} ms, ${xs.length} probes`;

/** The floor of a full check: every row of every table read once, by the raw driver. */
function readEverything(dir: string): number {
  const db = new SQLite(path.join(dir, 'vow.sqlite'), { readonly: true });
  const tables = db
    .prepare(`select name from sqlite_master where type = 'table' and name not like 'sqlite_%'`)
    .all() as { name: string }[];
  const t0 = performance.now();
  for (const { name } of tables) for (const _ of db.prepare(`select * from "${name}"`).iterate());
  const ms = performance.now() - t0;
  db.close();
  return ms;
}

async function size(n: number, out: Out): Promise<void> {
  const people = n.toLocaleString('en-US');
  const s = await store(n, out);
  const vow = await serve(s.dir);
  try {
    const idle = await probe(vow.url, 2000);
    // The first run installs the journal's triggers and sweeps everything.
    let done = vow.checked();
    vow.send('CHECK full worker');
    const during = await probe(vow.url, done);
    const full = await done;
    out.log(`  full check of ${people} people in a worker: ${JSON.stringify(full)}`);
    out.rows.push({
      name: `GET /healthz during a full promise check in the worker thread, SQLite, ${people} people`,
      value: percentile(during, 99),
      unit: `ms p99 (${show(during)})`,
      floorName: `p99 with no check running (${show(idle)})`,
      floor: percentile(idle, 99),
      ratio: percentile(idle, 99) / percentile(during, 99),
      target: 'p99 < 100 ms',
      met: percentile(during, 99) < 100,
    });
    const floorMs = readEverything(s.dir);
    out.rows.push({
      name: `full promise check, SQLite, ${people} people (${Number(full.scopes).toLocaleString('en-US')} people and visitors)`,
      value: Number(full.ms) / 1000,
      unit: `s (${(Number(full.wallMs) / 1000).toFixed(1)} s with the worker's start; broken: ${(full.broken as string[]).join(', ') || 'none'})`,
      floorName: 'every row of the store read once, raw driver (s)',
      floor: floorMs / 1000,
      ratio: floorMs / Number(full.ms),
      target: 'report only',
      met: undefined,
    });
    // 100 orders, then a check of what changed.
    for (let i = 0; i < 100; i++) {
      const res = await fetch(`${vow.url}/v1/orders`, {
        method: 'POST',
        headers: { authorization: `Bearer ${vow.apiKey}`, 'content-type': 'application/json' },
        body: JSON.stringify(benchOrder(`monitor-${Date.now()}`, i)),
      });
      if (res.status !== 201) throw new Error(`order answered ${res.status}`);
    }
    done = vow.checked();
    vow.send('CHECK incremental worker');
    const incremental = await done;
    out.rows.push({
      name: `incremental promise check after 100 new orders, SQLite, ${people} people`,
      value: Number(incremental.ms) / 1000,
      unit: `s (${incremental.scopes} people read; ${(Number(incremental.wallMs) / 1000).toFixed(1)} s with the worker's start)`,
      floorName: 'the full check (s)',
      floor: Number(full.ms) / 1000,
      ratio: Number(full.ms) / Number(incremental.ms),
      target: 'report only',
      met: undefined,
    });
    if (n <= 30_000) {
      done = vow.checked();
      vow.send('CHECK full inline');
      const inline = await probe(vow.url, done);
      const ran = await done;
      out.rows.push({
        name: `GET /healthz during the same full check run in the request thread (what the worker avoids), ${people} people`,
        value: percentile(inline, 99),
        unit: `ms p99 (${show(inline)}; the check took ${(Number(ran.ms) / 1000).toFixed(1)} s)`,
        floorName: 'p99 during the check in the worker',
        floor: percentile(during, 99),
        ratio: percentile(during, 99) / percentile(inline, 99),
        target: 'report only',
        met: undefined,
      });
    }
  } finally {
    const gone = new Promise((r) => vow.child.once('exit', r));
    vow.child.kill();
    await gone;
    if (s.temporary) rmSync(s.dir, { recursive: true, force: true });
  }
}

export async function benchMonitor(out: Out): Promise<void> {
  const sizes = (process.env.VOW_BENCH_MONITOR_PEOPLE ?? '30000').split(',').map((x) => Number(x.trim()));
  for (const n of sizes) {
    if (!Number.isInteger(n) || n <= 0)
      throw new Error('VOW_BENCH_MONITOR_PEOPLE must list positive whole numbers');
    await size(n, out);
  }
}
