// `npm run bench`: every figure next to its floor, measured in the same run on the same machine,
// as a ratio, so a regression shows whatever the machine. Scale: VOW_BENCH_SECONDS (per HTTP run,
// default 5) and VOW_BENCH_ITERATIONS (in-process loops, default 200000).
import { type ChildProcess, spawn } from 'node:child_process';
import os from 'node:os';
import { performance } from 'node:perf_hooks';
import autocannon from 'autocannon';
import { decide } from '../src/decisions/index.js';
import { loadPolicy } from '../src/policy/index.js';

const SECONDS = Number(process.env.VOW_BENCH_SECONDS ?? 5);
const ITERATIONS = Number(process.env.VOW_BENCH_ITERATIONS ?? 200_000);

export interface Row {
  readonly name: string;
  readonly value: number;
  readonly unit: string;
  readonly floorName: string;
  readonly floor: number;
  /** value / floor for throughputs (higher is better); floor / value for times. */
  readonly ratio: number;
  readonly target: string;
  readonly met: boolean | undefined;
}

const rows: Row[] = [];

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

async function startServer(mode: string): Promise<{ url: string; child: ChildProcess }> {
  const child = spawn(process.execPath, ['--import', 'tsx', 'bench/server.ts', mode], {
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  const url = await new Promise<string>((resolve, reject) => {
    let buf = '';
    child.stdout!.on('data', (d: Buffer) => {
      buf += d.toString();
      const m = /READY (\S+)/.exec(buf);
      if (m) resolve(m[1]!);
    });
    child.once('exit', (code) => reject(new Error(`bench server ${mode} exited with ${code}`)));
  });
  return { url, child };
}

async function load(
  url: string,
  body: unknown,
  headers: Record<string, string> = {},
): Promise<{ rps: number; p99: number; errors: number }> {
  const result = await autocannon({
    url,
    method: 'POST',
    connections: 32,
    duration: SECONDS,
    headers: { 'content-type': 'application/json', ...headers },
    body: JSON.stringify(body),
  });
  return { rps: result.requests.average, p99: result.latency.p99, errors: result.errors + result.non2xx };
}

async function benchHttp(): Promise<void> {
  const bare = await startServer('bare');
  const vow = await startServer('vow');
  try {
    const floor = await load(`${bare.url}/bare`, {
      subject: { kind: 'customer' },
      purpose: 'order.fulfilment',
      categories: ['contact.email'],
    });
    const decisions = await load(`${vow.url}/v1/decisions`, {
      subject: { kind: 'customer' },
      purpose: 'order.fulfilment',
      categories: ['contact.email'],
    });
    rows.push({
      name: 'POST /v1/decisions',
      value: decisions.rps,
      unit: `req/s (p99 ${decisions.p99} ms, ${decisions.errors} errors)`,
      floorName: 'bare Fastify route',
      floor: floor.rps,
      ratio: decisions.rps / floor.rps,
      target: '>= 0.60',
      met: decisions.errors === 0 && decisions.rps / floor.rps >= 0.6,
    });
  } finally {
    bare.child.kill();
    vow.child.kill();
  }
}

function printTable(): void {
  const fmt = (n: number) => (n >= 100 ? Math.round(n).toLocaleString('en-US') : n.toFixed(2));
  console.log(
    `\nVow benchmarks — ${os.cpus()[0]?.model ?? 'cpu'} x${os.cpus().length}, Node ${process.version}, ${new Date().toISOString()}`,
  );
  console.log('| benchmark | value | floor | ratio | target | met |');
  console.log('| --- | --- | --- | --- | --- | --- |');
  for (const r of rows) {
    console.log(
      `| ${r.name} | ${fmt(r.value)} ${r.unit} | ${r.floorName}: ${fmt(r.floor)} | ${r.ratio.toFixed(2)} | ${r.target} | ${r.met === undefined ? '—' : r.met ? 'yes' : 'NO'} |`,
    );
  }
}

benchDecide();
await benchHttp();
printTable();
