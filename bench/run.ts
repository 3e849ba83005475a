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
import { existsSync } from 'node:fs';
import os from 'node:os';
import { performance } from 'node:perf_hooks';
import { decide } from '../src/modules/decisions/index.js';
import { loadPolicy } from '../src/modules/policy/index.js';
import { benchBanner } from './banner.js';
import type { Out, Row } from './common.js';
import { benchDurability } from './durability.js';
import { benchHttp } from './http.js';
import { benchImport } from './import.js';
import { COMMITS, ITERATIONS, PEOPLE, ROUNDS, SAMPLES, SECONDS, WARMUP_SECONDS } from './knobs.js';
import { benchMonitor } from './monitor.js';
import { benchStore } from './store.js';

const rows: Row[] = [];
const notes: string[] = [];
const log = (s: string) => process.stderr.write(`${s}\n`);
const out: Out = { rows, notes, log };

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
if (httpParts.length > 0) await benchHttp(httpParts, out);
if (only.includes('banner')) {
  if (existsSync(process.env.VOW_TEST_CHROMIUM ?? '/usr/bin/chromium'))
    await benchBanner({ rows, notes, log, rounds: Math.max(ROUNDS, 3) });
  else notes.push('banner: skipped, no Chromium at /usr/bin/chromium (or VOW_TEST_CHROMIUM)');
}
if (only.includes('store')) await benchStore(out);
if (only.includes('monitor')) await benchMonitor({ rows, notes, log });
if (only.includes('import')) await benchImport({ rows, notes, log });
printTable();
