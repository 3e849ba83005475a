// `npm run bench`: every figure next to its floor, measured in the same run on the same machine,
// as a ratio, so a regression shows whatever the machine. Scale knobs (environment):
//   VOW_BENCH_PEOPLE      people in the store for the audience, export and deletion figures (default 20000)
//   VOW_BENCH_SECONDS     seconds per HTTP load run (default 5)
//   VOW_BENCH_WARMUP_SECONDS  unmeasured seconds before the HTTP load runs of each server (default 2)
//   VOW_BENCH_ROUNDS      HTTP load runs of each server per figure (default 2): decisions and collect
//                         report the median of the per-round ratios (use 5), orders the best run
//   VOW_BENCH_ITERATIONS  in-process decide() loops (default 200000)
//   VOW_BENCH_SAMPLES     people exported and deleted for the percentiles (default 50)
//   VOW_BENCH_AUDIENCE    the channel whose audience is streamed (default email_marketing; a store
//                         filled by `vow import` of Shopify customers: account_updates)
//   VOW_BENCH_PG_URL      PostgreSQL server for the PostgreSQL rows (default postgres://postgres@127.0.0.1:5432/postgres;
//                         a throw-away database is made and dropped); rows are skipped if unreachable
//   VOW_BENCH_STORE_DIR   keep the generated SQLite store here and reuse it next time (same VOW_BENCH_PEOPLE)
//   VOW_BENCH_COMMITS     orders written one by one for the cost of synchronous=FULL (default 300)
//   VOW_BENCH_GROUP_STATS servers print how the collection endpoints' group commit grouped (at exit)
//   VOW_BENCH_ONLY        decide, http (or some of decisions, collect, orders), banner, durability, store,
//                         monitor and/or import (all by default; monitor: bench/monitor.ts, banner:
//                         bench/banner.ts, import: bench/import.ts, its size VOW_BENCH_IMPORT_ROWS, default 20000)
import { type ChildProcess, spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import autocannon from 'autocannon';
import SQLite from 'better-sqlite3';
import { sql } from 'kysely';
import pg from 'pg';
import pino from 'pino';
import { createContext } from '../src/app/context.js';
import { createServices, type Services } from '../src/app/services.js';
import { generateDemo } from '../src/cli/demo/generator.js';
import { decide } from '../src/modules/decisions/index.js';
import type { VowContext } from '../src/modules/policy/index.js';
import { loadPolicy } from '../src/modules/policy/index.js';
import { seededRandom } from '../src/platform/clock.js';
import { loadConfig } from '../src/platform/config.js';
import { benchBanner } from './banner.js';
import { BENCH_MASTER_KEY, benchOrder, percentile, type Row, rssMb } from './common.js';
import { benchDurability } from './durability.js';
import { benchImport } from './import.js';
import { benchMonitor } from './monitor.js';
import { serverEntry } from './server-entry.js';

const num = (name: string, fallback: number) => {
  const v = Number(process.env[name] ?? fallback);
  if (!Number.isFinite(v) || v <= 0) throw new Error(`${name} must be a positive number`);
  return v;
};
const SECONDS = num('VOW_BENCH_SECONDS', 5);
const WARMUP_SECONDS = num('VOW_BENCH_WARMUP_SECONDS', 2);
const ROUNDS = Math.round(num('VOW_BENCH_ROUNDS', 2));
const ITERATIONS = num('VOW_BENCH_ITERATIONS', 200_000);
const PEOPLE = Math.round(num('VOW_BENCH_PEOPLE', 20_000));
const SAMPLES = Math.round(num('VOW_BENCH_SAMPLES', 50));
const COMMITS = Math.round(num('VOW_BENCH_COMMITS', 300));
const AUDIENCE = process.env.VOW_BENCH_AUDIENCE ?? 'email_marketing';
if (!/^[a-z_]+$/.test(AUDIENCE)) throw new Error('VOW_BENCH_AUDIENCE must be a channel name (a-z and _)');
const PG_ADMIN = process.env.VOW_BENCH_PG_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';

const rows: Row[] = [];
const notes: string[] = [];
const log = (s: string) => process.stderr.write(`${s}\n`);

function benchDecide(): void {
  const policy = loadPolicy();
  const req = {
    subject: { kinds: ['customer'], channels: { email_marketing: 'enrolled' as const } },
    purpose: 'marketing.email',
    categories: ['contact.email', 'identity.name'],
  };
  // Floor: the cheapest possible "decision": one object look-up per call.
  const table: Record<string, boolean> = { 'customer|marketing.email|contact.email': true };
  let sink = 0;
  const t0 = performance.now();
  for (let i = 0; i < ITERATIONS; i++) if (table[`customer|${req.purpose}|${req.categories[0]}`]) sink++;
  const floorOps = ITERATIONS / ((performance.now() - t0) / 1000);
  for (let i = 0; i < 2000; i++) decide(policy, req); // warm-up
  const t1 = performance.now();
  for (let i = 0; i < ITERATIONS; i++) if (decide(policy, req).decision === 'allow') sink++;
  const ops = ITERATIONS / ((performance.now() - t1) / 1000);
  if (sink < 0) console.log(sink);
  rows.push({
    name: 'decide() in-process',
    value: ops,
    unit: 'decisions/s',
    floorName: 'object look-up loop',
    floor: floorOps,
    ratio: ops / floorOps,
    target: 'report only',
    met: undefined,
  });
}

interface Server {
  readonly url: string;
  readonly apiKey: string;
  readonly visitor: string;
  readonly child: ChildProcess;
}

async function startServer(mode: string, where?: string): Promise<Server> {
  const child = spawn(process.execPath, [await serverEntry(), mode, ...(where ? [where] : [])], {
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  const [url, apiKey, visitor] = await new Promise<string[]>((resolve, reject) => {
    let buf = '';
    child.stdout!.on('data', (d: Buffer) => {
      buf += d.toString();
      const m = /READY (\S+) (\S+) (\S+)/.exec(buf);
      if (m) resolve([m[1]!, m[2]!, m[3]!]);
    });
    child.once('exit', (code) => reject(new Error(`bench server ${mode} exited with ${code}`)));
  });
  return { url: url!, apiKey: apiKey!, visitor: visitor!, child };
}

async function stopServer(s: Server): Promise<void> {
  if (s.child.exitCode !== null) return;
  const gone = new Promise((r) => s.child.once('exit', r));
  s.child.kill();
  await gone;
}

type LoadResult = { rps: number; p99: number; errors: number };

/**
 * The floor and Vow under the same load: each first gets WARMUP_SECONDS unmeasured (the JIT
 * compiles the hot paths of a fresh process: measured cold, Vow's first second ran at half the speed
 * of the next ones), then they are measured in turn ROUNDS times (floor, Vow, floor, Vow, …) and
 * each keeps its best run. On a shared machine a run can only lose speed to its neighbours, never
 * gain it, so the best run is the fairest figure for both; errors count over every run.
 */
async function loadPair(
  floor: { url: string; body: unknown | ((n: number) => unknown) },
  vow: { url: string; body: unknown | ((n: number) => unknown); headers?: Record<string, string> },
): Promise<{ floor: LoadResult; vow: LoadResult }> {
  await loadFor(WARMUP_SECONDS, floor.url, floor.body, {});
  await loadFor(WARMUP_SECONDS, vow.url, vow.body, vow.headers ?? {});
  const floorRuns: LoadResult[] = [];
  const vowRuns: LoadResult[] = [];
  for (let round = 0; round < ROUNDS; round++) {
    floorRuns.push(await loadFor(SECONDS, floor.url, floor.body, {}));
    vowRuns.push(await loadFor(SECONDS, vow.url, vow.body, vow.headers ?? {}));
  }
  return { floor: bestRun(floorRuns), vow: bestRun(vowRuns) };
}

/** The fastest of several runs, with the errors of all of them. */
function bestRun(runs: readonly LoadResult[]): LoadResult {
  const top = runs.reduce((a, b) => (b.rps > a.rps ? b : a));
  return { ...top, errors: runs.reduce((n, r) => n + r.errors, 0) };
}

async function loadFor(
  seconds: number,
  url: string,
  body: unknown | ((n: number) => unknown),
  headers: Record<string, string>,
): Promise<LoadResult> {
  let n = 0;
  const result = await autocannon({
    url,
    method: 'POST',
    connections: 32,
    duration: seconds,
    headers: { 'content-type': 'application/json', ...headers },
    ...(typeof body === 'function'
      ? {
          requests: [
            {
              method: 'POST',
              setupRequest: (req: Record<string, unknown>) => ({
                ...req,
                body: JSON.stringify((body as (n: number) => unknown)(n++)),
              }),
            },
          ],
        }
      : { body: JSON.stringify(body) }),
  } as autocannon.Options);
  return { rps: result.requests.average, p99: result.latency.p99, errors: result.errors + result.non2xx };
}

const DECISION = {
  subject: { kind: 'customer' },
  purpose: 'order.fulfilment',
  categories: ['contact.email'],
};

/** A row for an HTTP load run against the bare route; `min` is the target ratio (none: report only). */
function httpRow(
  name: string,
  unit: string,
  result: { rps: number; p99: number; errors: number },
  floorRps: number,
  min?: number,
): Row {
  const ratio = result.rps / floorRps;
  return {
    name,
    value: result.rps,
    unit: `${unit} (p99 ${result.p99} ms, ${result.errors} errors)`,
    floorName: 'bare Fastify route',
    floor: floorRps,
    ratio,
    target: min === undefined ? 'report only' : `>= ${min.toFixed(2)}`,
    met: min === undefined ? (result.errors === 0 ? undefined : false) : result.errors === 0 && ratio >= min,
  };
}

/**
 * The median of per-round ratios: each round measures the floor, then Vow, back to back, so both
 * see the same neighbours on a shared machine; the median of ROUNDS such pairs is the figure.
 */
async function medianPair(
  floor: { url: string; body: unknown | ((n: number) => unknown) },
  vow: { url: string; body: unknown | ((n: number) => unknown); headers?: Record<string, string> },
): Promise<{ floor: LoadResult; vow: LoadResult; ratio: number; ratios: number[] }> {
  await loadFor(WARMUP_SECONDS, floor.url, floor.body, {});
  await loadFor(WARMUP_SECONDS, vow.url, vow.body, vow.headers ?? {});
  const pairs: { floor: LoadResult; vow: LoadResult }[] = [];
  for (let round = 0; round < ROUNDS; round++) {
    const f = await loadFor(SECONDS, floor.url, floor.body, {});
    const v = await loadFor(SECONDS, vow.url, vow.body, vow.headers ?? {});
    pairs.push({ floor: f, vow: v });
  }
  const ratios = pairs.map((p) => p.vow.rps / p.floor.rps);
  const middle = [...pairs].sort((a, b) => a.vow.rps / a.floor.rps - b.vow.rps / b.floor.rps)[
    Math.floor(pairs.length / 2)
  ]!;
  const errors = pairs.reduce((n, p) => n + p.vow.errors, 0);
  return {
    floor: middle.floor,
    vow: { ...middle.vow, errors },
    ratio: middle.vow.rps / middle.floor.rps,
    ratios,
  };
}

/** A row for a median-of-rounds pair (see medianPair). */
function medianRow(name: string, pair: Awaited<ReturnType<typeof medianPair>>, min: number): Row {
  return {
    ...httpRow(name, 'req/s', pair.vow, pair.floor.rps, min),
    name: `${name}, median of ${pair.ratios.length} alternating runs (ratios ${pair.ratios.map((r) => r.toFixed(2)).join(', ')})`,
  };
}

async function benchHttp(parts: readonly string[]): Promise<void> {
  const bare = await startServer('bare');
  const vow = await startServer('vow');
  try {
    const auth = { authorization: `Bearer ${vow.apiKey}` };
    if (parts.includes('decisions')) {
      const decisions = await medianPair(
        { url: `${bare.url}/bare`, body: DECISION },
        { url: `${vow.url}/v1/decisions`, body: DECISION, headers: auth },
      );
      rows.push(medianRow('POST /v1/decisions (HTTP, API key)', decisions, 0.7));
    }
    if (parts.includes('collect')) {
      const event = { visitor: vow.visitor, type: 'page_view', path: '/rings', area: 'catalog' };
      const collect = await medianPair(
        { url: `${bare.url}/bare`, body: event },
        { url: `${vow.url}/v1/collect`, body: event },
      );
      rows.push(medianRow('POST /v1/collect (HTTP, consenting visitor, stored)', collect, 0.7));
    }
    if (parts.includes('orders')) {
      const orders = await loadPair(
        { url: `${bare.url}/bare`, body: (n: number) => benchOrder('floor', n) },
        { url: `${vow.url}/v1/orders`, body: (n: number) => benchOrder('sqlite', n), headers: auth },
      );
      rows.push(httpRow('POST /v1/orders on SQLite', 'orders/s', orders.vow, orders.floor.rps, 0.15));
      await benchOrdersPostgres(orders.floor.rps);
    }
  } finally {
    await stopServer(bare);
    await stopServer(vow);
  }
}

async function benchOrdersPostgres(floorRps: number): Promise<void> {
  const admin = new pg.Client({ connectionString: PG_ADMIN, connectionTimeoutMillis: 3000 });
  try {
    await admin.connect();
  } catch {
    notes.push(`POST /v1/orders on PostgreSQL: skipped, no PostgreSQL at ${PG_ADMIN}`);
    return;
  }
  const name = `vow_bench_${randomBytes(5).toString('hex')}`;
  await admin.query(`CREATE DATABASE ${name}`);
  const url = new URL(PG_ADMIN);
  url.pathname = `/${name}`;
  try {
    const vow = await startServer('vow', url.toString());
    try {
      const body = (n: number) => benchOrder('pg', n);
      const headers = { authorization: `Bearer ${vow.apiKey}` };
      await loadFor(WARMUP_SECONDS, `${vow.url}/v1/orders`, body, headers);
      const runs: LoadResult[] = [];
      for (let round = 0; round < ROUNDS; round++)
        runs.push(await loadFor(SECONDS, `${vow.url}/v1/orders`, body, headers));
      const orders = bestRun(runs);
      rows.push(httpRow('POST /v1/orders on PostgreSQL', 'orders/s', orders, floorRps, 0.08));
    } finally {
      await stopServer(vow);
    }
  } finally {
    await admin.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
    await admin.end();
  }
}

async function openBenchContext(dir: string): Promise<VowContext> {
  return createContext(
    loadConfig({ VOW_DATA_DIR: dir, VOW_LOG_LEVEL: 'silent', VOW_MASTER_KEY: BENCH_MASTER_KEY }),
    { logger: pino({ level: 'silent' }), random: seededRandom(2026) },
  );
}

/** A SQLite store of PEOPLE generated people (reused from VOW_BENCH_STORE_DIR when it matches). */
async function generatedStore(): Promise<{ dir: string; temporary: boolean }> {
  const keep = process.env.VOW_BENCH_STORE_DIR;
  const dir = keep ? path.resolve(keep) : mkdtempSync(path.join(os.tmpdir(), 'vow-bench-store-'));
  const marker = path.join(dir, 'bench-people.txt');
  if (keep && existsSync(marker) && readFileSync(marker, 'utf8').trim() === String(PEOPLE)) {
    log(`reusing the generated store of ${PEOPLE} people in ${dir}`);
    notes.push(
      `store of ${PEOPLE.toLocaleString('en-US')} people reused from ${dir} (generation not re-measured)`,
    );
    return { dir, temporary: false };
  }
  if (keep) {
    rmSync(dir, { recursive: true, force: true });
    mkdirSync(dir, { recursive: true });
  }
  const ctx = await openBenchContext(dir);
  try {
    const services = createServices(ctx);
    const cpu0 = process.cpuUsage();
    let shown = 0;
    const stats = await generateDemo(ctx, services, {
      people: PEOPLE,
      seed: 2026,
      batchSize: 1000,
      visitorsPerPerson: 0.2,
      experimentVisitors: 100,
      onProgress: (s) => {
        if (s.people - shown >= Math.max(5000, PEOPLE / 10)) {
          shown = s.people;
          log(
            `  generated ${s.people.toLocaleString('en-US')} / ${PEOPLE.toLocaleString('en-US')} (${Math.round(s.peoplePerSecond)} people/s)`,
          );
        }
      },
    });
    const cpu = process.cpuUsage(cpu0);
    const cpuSeconds = (cpu.user + cpu.system) / 1e6;
    rows.push({
      name: `vow demo generator, ${PEOPLE.toLocaleString('en-US')} people into SQLite`,
      value: stats.peoplePerSecond,
      unit: `people/s (${stats.seconds.toFixed(0)} s wall, ${cpuSeconds.toFixed(0)} s CPU; ${stats.orders.toLocaleString('en-US')} orders)`,
      floorName: 'CPU-bound rate (people / CPU s)',
      floor: stats.people / cpuSeconds,
      ratio: stats.peoplePerSecond / (stats.people / cpuSeconds),
      target: 'report only',
      met: undefined,
    });
  } finally {
    await ctx.store.close();
  }
  if (keep) writeFileSync(marker, String(PEOPLE));
  return { dir, temporary: !keep };
}

async function benchAudience(dir: string): Promise<void> {
  // Floor: the raw SQL that selects the same rows (email of everyone enrolled), straight from SQLite.
  // Run twice and keep the faster: the first run may read a cold file from disk (the server's run
  // comes after it and would find the file in the OS cache, an unfair floor).
  const raw = new SQLite(path.join(dir, 'vow.sqlite'), { readonly: true });
  let rawMs = Number.POSITIVE_INFINITY;
  let rawRows = 0;
  for (let run = 0; run < 2; run++) {
    const t0 = performance.now();
    rawRows = 0;
    for (const _ of raw
      .prepare(
        `select cs.subject_ref, si.sealed_value, k.wrapped_key from consent_state cs
       join subject_identifiers si on si.subject_id = cs.subject_ref and si.kind = 'email'
       join data_keys k on k.subject_id = cs.subject_ref
       where cs.channel = '${AUDIENCE}' and cs.state in ('enrolled', 'granted')
       order by cs.subject_ref`,
      )
      .iterate())
      rawRows++;
    rawMs = Math.min(rawMs, performance.now() - t0);
  }
  raw.close();

  const vow = await startServer('vow', dir);
  try {
    const pid = vow.child.pid!;
    let peak = rssMb(pid);
    const sampler = setInterval(() => {
      peak = Math.max(peak, rssMb(pid));
    }, 20);
    const t1 = performance.now();
    const res = await fetch(`${vow.url}/v1/service/audiences/${AUDIENCE}`, {
      headers: { authorization: `Bearer ${vow.apiKey}` },
    });
    let lines = 0;
    const decoder = new TextDecoder();
    for await (const chunk of res.body as unknown as AsyncIterable<Uint8Array>)
      lines += decoder.decode(chunk, { stream: true }).split('\n').length - 1;
    const ms = performance.now() - t1;
    clearInterval(sampler);
    peak = Math.max(peak, rssMb(pid));
    rows.push({
      name: `${AUDIENCE} audience of ${PEOPLE.toLocaleString('en-US')} people (HTTP, streamed NDJSON)`,
      value: ms,
      unit: `ms for ${lines.toLocaleString('en-US')} members (status ${res.status})`,
      floorName: `raw SQL, same rows (${rawRows.toLocaleString('en-US')}; faster of 2 runs)`,
      floor: rawMs,
      ratio: rawMs / ms,
      target: '>= 0.33 (within 3x)',
      met: res.status === 200 && rawMs / ms >= 1 / 3,
    });
    rows.push({
      name: 'peak RSS of the server while streaming the audience',
      value: peak,
      unit: 'MB',
      floorName: 'limit',
      floor: 200,
      ratio: 200 / peak,
      target: '< 200 MB',
      met: peak < 200,
    });
  } finally {
    await stopServer(vow);
  }
}

async function benchPerPerson(dir: string): Promise<void> {
  const ctx = await openBenchContext(dir);
  try {
    const services: Services = createServices(ctx);
    // Evenly spread people who bought something (they have the most rows); in a store filled by
    // `vow import` of customers, who have no orders, registered people.
    // (Not yet deleted: a reused store keeps earlier runs' deletions.)
    const withKeys = (table: 'orders' | 'registrations', column: 'buyer_subject_id' | 'subject_id') =>
      sql<{ subject_id: string }>`select t.${sql.ref(column)} as subject_id from ${sql.table(table)} t
        join data_keys k on k.subject_id = t.${sql.ref(column)}
        where k.wrapped_key is not null order by t.id`
        .execute(ctx.store.db)
        .then((r) => r.rows);
    const buyers = await withKeys('orders', 'buyer_subject_id');
    const all = buyers.length > 0 ? buyers : await withKeys('registrations', 'subject_id');
    const step = Math.max(1, Math.floor(all.length / (SAMPLES * 2)));
    const people = [...new Set(all.filter((_, i) => i % step === 0).map((r) => r.subject_id))].slice(
      0,
      SAMPLES * 2,
    );
    const exportIds = people.slice(0, SAMPLES);
    const deleteIds = people.slice(SAMPLES, SAMPLES * 2);
    // As `vow serve` does before it listens: the dataset annotations read and checked. (The first
    // export, in the samples, still prepares each table's statements and runs cold code.)
    services.datasets.list();
    const floorMs: number[] = [];
    const exportMs: number[] = [];
    const deleteMs: number[] = [];
    let values = 0;
    for (const id of exportIds) {
      const f0 = performance.now();
      await ctx.store.db.selectFrom('subject_identifiers').selectAll().where('subject_id', '=', id).execute();
      floorMs.push(performance.now() - f0);
      const t0 = performance.now();
      const out = await services.datasets.export({ subjectIds: [id] });
      exportMs.push(performance.now() - t0);
      values += JSON.stringify(out).length > 2 ? 1 : 0;
    }
    for (const id of deleteIds) {
      const t0 = performance.now();
      await services.datasets.delete({ subjectIds: [id] });
      deleteMs.push(performance.now() - t0);
    }
    const sort = (a: number[]) => [...a].sort((x, y) => x - y);
    const [fl, ex, de] = [sort(floorMs), sort(exportMs), sort(deleteMs)];
    const floorP99 = percentile(fl, 99);
    rows.push({
      name: `access export of one person (SQLite, ${PEOPLE.toLocaleString('en-US')} people, ${exportIds.length} people)`,
      value: percentile(ex, 99),
      unit: `ms p99 (p50 ${percentile(ex, 50).toFixed(1)} ms; ${values} non-empty)`,
      floorName: "raw select of the person's identifiers, p99",
      floor: floorP99,
      ratio: floorP99 / percentile(ex, 99),
      target: 'p99 < 50 ms',
      met: percentile(ex, 99) < 50,
    });
    rows.push({
      name: `deletion of one person (SQLite, ${PEOPLE.toLocaleString('en-US')} people, ${deleteIds.length} people)`,
      value: percentile(de, 99),
      unit: `ms p99 (p50 ${percentile(de, 50).toFixed(1)} ms)`,
      floorName: "raw select of the person's identifiers, p99",
      floor: floorP99,
      ratio: floorP99 / percentile(de, 99),
      target: 'p99 < 200 ms',
      met: percentile(de, 99) < 200,
    });
  } finally {
    await ctx.store.close();
  }
}

function printTable(): void {
  const fmt = (n: number) => (n >= 100 ? Math.round(n).toLocaleString('en-US') : n.toFixed(2));
  console.log(
    `\nVow benchmarks — ${os.cpus()[0]?.model ?? 'cpu'} x${os.cpus().length}, ${Math.round(os.totalmem() / 2 ** 30)} GB, Node ${process.version}, load average ${os.loadavg()[0]!.toFixed(1)}, ${new Date().toISOString()}`,
  );
  console.log(
    `Scale: VOW_BENCH_PEOPLE=${PEOPLE}, VOW_BENCH_SECONDS=${SECONDS} (best of ${ROUNDS}, after ${WARMUP_SECONDS} s of warm-up), VOW_BENCH_SAMPLES=${SAMPLES}\n`,
  );
  console.log('| benchmark | value | floor | ratio | target | met |');
  console.log('| --- | --- | --- | --- | --- | --- |');
  for (const r of rows) {
    console.log(
      `| ${r.name} | ${fmt(r.value)} ${r.unit} | ${r.floorName}: ${fmt(r.floor)} | ${r.ratio.toFixed(2)} | ${r.target} | ${r.met === undefined ? '—' : r.met ? 'yes' : 'NO'} |`,
    );
  }
  for (const n of notes) console.log(`\n- ${n}`);
}

const only = (process.env.VOW_BENCH_ONLY ?? 'decide,http,banner,durability,store,monitor,import').split(',');
// `http` is every HTTP route; `decisions`, `collect` and `orders` pick some of them.
const HTTP_PARTS = ['decisions', 'collect', 'orders'];
const httpParts = only.includes('http') ? HTTP_PARTS : HTTP_PARTS.filter((p) => only.includes(p));
if (only.includes('decide')) benchDecide();
if (only.includes('durability')) rows.push(await benchDurability(COMMITS));
if (httpParts.length > 0) await benchHttp(httpParts);
if (only.includes('banner')) {
  if (existsSync(process.env.VOW_TEST_CHROMIUM ?? '/usr/bin/chromium'))
    await benchBanner({ rows, notes, log, rounds: Math.max(ROUNDS, 3) });
  else notes.push('banner: skipped, no Chromium at /usr/bin/chromium (or VOW_TEST_CHROMIUM)');
}
if (only.includes('store')) {
  log(`generating a store of ${PEOPLE.toLocaleString('en-US')} people …`);
  const store = await generatedStore();
  try {
    await benchAudience(store.dir);
    await benchPerPerson(store.dir);
  } finally {
    if (store.temporary) rmSync(store.dir, { recursive: true, force: true });
  }
}
if (only.includes('monitor')) await benchMonitor({ rows, notes, log });
if (only.includes('import')) await benchImport({ rows, notes, log });
printTable();
