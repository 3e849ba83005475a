// Load and soak: measures the maximum throughput of one endpoint, then holds a fraction of it
// (default 80%) for minutes against a running Vow on loopback and reports, every interval,
// p50/p99 latency, errors and the server's memory. Bounded in time and in requests; it refuses
// any address but loopback.
//
//   npm run soak                                  # starts its own Vow (throw-away SQLite), 3 minutes
//   npm run soak -- --minutes 10 --endpoint orders
//   npm run soak -- --url http://127.0.0.1:4700 --key vow_sk_… --pid 12345   # a Vow you started
//
// Options: --endpoint decisions|collect|orders (default decisions), --minutes (default 3, at most
// 120), --fraction (default 0.8), --connections (default 16), --interval seconds (default 10),
// --max-requests (default 10,000,000).
import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import autocannon from 'autocannon';
import pino from 'pino';
import { createContext } from '../src/app/context.js';
import { createServices } from '../src/app/services.js';
import { loadConfig } from '../src/platform/config.js';
import { BENCH_MASTER_KEY, benchOrder } from './common.js';

const { values: opts } = parseArgs({
  options: {
    url: { type: 'string' },
    key: { type: 'string' },
    pid: { type: 'string' },
    endpoint: { type: 'string', default: 'decisions' },
    minutes: { type: 'string', default: '3' },
    fraction: { type: 'string', default: '0.8' },
    connections: { type: 'string', default: '16' },
    interval: { type: 'string', default: '10' },
    'max-requests': { type: 'string', default: '10000000' },
  },
});

function fail(message: string): never {
  process.stderr.write(`soak: ${message}\n`);
  process.exit(2);
}

const minutes = Number(opts.minutes);
const fraction = Number(opts.fraction);
const connections = Number(opts.connections);
const intervalS = Number(opts.interval);
const maxRequests = Number(opts['max-requests']);
if (!(minutes > 0 && minutes <= 120)) fail('--minutes must be more than 0 and at most 120');
if (!(fraction > 0 && fraction <= 1)) fail('--fraction must be in (0, 1]');
if (!(connections >= 1 && connections <= 256)) fail('--connections must be 1 to 256');
if (!(intervalS >= 1)) fail('--interval must be at least 1 second');
if (!(maxRequests >= 1)) fail('--max-requests must be at least 1');
if (!['decisions', 'collect', 'orders'].includes(opts.endpoint!))
  fail('--endpoint must be decisions, collect or orders');

const LOOPBACK = new Set(['127.0.0.1', 'localhost', '[::1]', '::1']);

interface Target {
  url: string;
  key: string;
  visitor: string | undefined;
  pid: number | undefined;
  child?: ChildProcess;
  dir?: string;
}

/** Starts `node bin/vow.js serve` on a throw-away SQLite store with an API key and a consenting visitor. */
async function ownVow(): Promise<Target> {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'vow-soak-'));
  const ctx = await createContext(
    loadConfig({ VOW_DATA_DIR: dir, VOW_LOG_LEVEL: 'silent', VOW_MASTER_KEY: BENCH_MASTER_KEY }),
    { logger: pino({ level: 'silent' }) },
  );
  const services = createServices(ctx);
  const { key } = await services.identity.apiKeys.create('soak shop backend', null, ['all']);
  const { visitor } = await services.cookieConsent.recordChoice({
    categories: { analytics: true },
    gpc: false,
    source: 'choose',
    consentVersion: ctx.policy.consentVersion,
  });
  await ctx.store.close();
  const env = Object.fromEntries(Object.entries(process.env).filter(([k]) => !k.startsWith('VOW_')));
  const child = spawn(process.execPath, ['bin/vow.js', 'serve'], {
    env: {
      ...env,
      VOW_DATA_DIR: dir,
      VOW_PORT: '0',
      VOW_HOST: '127.0.0.1',
      VOW_LOG_LEVEL: 'warn',
      VOW_MASTER_KEY: BENCH_MASTER_KEY,
    },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  const url = await new Promise<string>((resolve, reject) => {
    let out = '';
    child.stdout!.on('data', (d: Buffer) => {
      out += d.toString();
      const m = /Vow is listening on (http:\/\/\S+)/.exec(out);
      if (m) resolve(m[1]!);
    });
    child.once('exit', (code) => reject(new Error(`vow serve exited (${code})`)));
  });
  return { url, key, visitor, pid: child.pid, child, dir };
}

function rssMb(pid: number | undefined): number | undefined {
  if (!pid) return undefined;
  try {
    const m = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
    return m ? Number(m[1]) / 1024 : undefined;
  } catch {
    return undefined;
  }
}

function request(target: Target): {
  path: string;
  body: (n: number) => unknown;
  headers: Record<string, string>;
} {
  const auth = { authorization: `Bearer ${target.key}` };
  switch (opts.endpoint) {
    case 'collect':
      return {
        path: '/v1/collect',
        body: () => ({
          ...(target.visitor ? { visitor: target.visitor } : {}),
          type: 'page_view',
          path: '/rings',
        }),
        headers: {},
      };
    case 'orders': {
      const run = Date.now().toString(36);
      return { path: '/v1/orders', body: (n) => benchOrder(`soak-${run}`, n), headers: auth };
    }
    default:
      return {
        path: '/v1/decisions',
        body: () => ({
          subject: { kind: 'customer' },
          purpose: 'order.fulfilment',
          categories: ['contact.email'],
        }),
        headers: auth,
      };
  }
}

function percentile(sorted: number[], p: number): number {
  if (sorted.length === 0) return 0;
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)]!;
}

interface Window {
  latencies: number[];
  errors: number;
  non2xx: number;
}

async function run(
  target: Target,
  options: { duration: number; rate?: number; amount?: number },
  onTick?: (w: Window, elapsedS: number) => void,
): Promise<autocannon.Result> {
  const r = request(target);
  let n = 0;
  let w: Window = { latencies: [], errors: 0, non2xx: 0 };
  const started = Date.now();
  let finish: (r: autocannon.Result) => void = () => {};
  let failed: (e: unknown) => void = () => {};
  const done = new Promise<autocannon.Result>((resolve, reject) => {
    finish = resolve;
    failed = reject;
  });
  const instance = autocannon(
    {
      url: target.url,
      connections,
      duration: options.duration,
      ...(options.rate ? { overallRate: options.rate } : {}),
      headers: { 'content-type': 'application/json', ...r.headers },
      requests: [
        {
          method: 'POST',
          path: r.path,
          setupRequest: (req: Record<string, unknown>) => ({ ...req, body: JSON.stringify(r.body(n++)) }),
        },
      ],
    } as unknown as autocannon.Options,
    (err, result) => (err ? failed(err) : finish(result)),
  );
  instance.on('response', (_client: unknown, status: number, _bytes: number, ms: number) => {
    w.latencies.push(ms);
    // Bounded in count as well as in time.
    if (options.amount && n >= options.amount) instance.stop();
    if (status < 200 || status >= 300) w.non2xx++;
  });
  instance.on('reqError', () => {
    w.errors++;
  });
  const timer = onTick
    ? setInterval(() => {
        const done = w;
        w = { latencies: [], errors: 0, non2xx: 0 };
        onTick(done, (Date.now() - started) / 1000);
      }, intervalS * 1000)
    : undefined;
  const result = await done;
  if (timer) clearInterval(timer);
  if (onTick && w.latencies.length > 0) onTick(w, (Date.now() - started) / 1000);
  return result;
}

const target: Target = opts.url
  ? { url: opts.url, key: opts.key ?? '', visitor: undefined, pid: opts.pid ? Number(opts.pid) : undefined }
  : await ownVow();
const host = new URL(target.url).hostname;
if (!LOOPBACK.has(host))
  fail(`refusing ${host}: the soak test runs against loopback only (127.0.0.1, ::1, localhost)`);
if (opts.endpoint !== 'collect' && !target.key)
  fail('--key (an API key) is needed for this endpoint with --url');

try {
  process.stdout.write(
    `Soak of POST /v1/${opts.endpoint} on ${target.url} (${os.cpus().length} CPUs, load ${os.loadavg()[0]!.toFixed(1)})\n`,
  );
  const probe = await run(target, { duration: 10 });
  const max = probe.requests.average;
  const rate = Math.max(1, Math.floor(max * fraction));
  process.stdout.write(
    `Maximum: ${Math.round(max)} req/s (p99 ${probe.latency.p99} ms, ${probe.errors + probe.non2xx} errors). ` +
      `Holding ${Math.round(fraction * 100)}% = ${rate} req/s for ${minutes} min (at most ${maxRequests.toLocaleString('en-US')} requests).\n\n`,
  );
  process.stdout.write(
    '| t (s) | req/s | p50 ms | p99 ms | errors | non-2xx | server RSS MB |\n| --- | --- | --- | --- | --- | --- | --- |\n',
  );
  const rss: number[] = [];
  const all: number[] = [];
  const result = await run(target, { duration: minutes * 60, rate, amount: maxRequests }, (w, t) => {
    const sorted = w.latencies.sort((a, b) => a - b);
    all.push(percentile(sorted, 99));
    const mem = rssMb(target.pid);
    if (mem !== undefined) rss.push(mem);
    process.stdout.write(
      `| ${t.toFixed(0)} | ${Math.round(w.latencies.length / intervalS)} | ${percentile(sorted, 50).toFixed(1)} | ${percentile(sorted, 99).toFixed(1)} | ${w.errors} | ${w.non2xx} | ${mem === undefined ? '—' : mem.toFixed(0)} |\n`,
    );
  });
  process.stdout.write(
    `\nTotal: ${result.requests.total.toLocaleString('en-US')} requests, ${result.errors} errors, ${result.non2xx} non-2xx; ` +
      `p50 ${result.latency.p50} ms, p99 ${result.latency.p99} ms; ` +
      (rss.length > 1
        ? `server RSS ${rss[0]!.toFixed(0)} → ${rss[rss.length - 1]!.toFixed(0)} MB (max ${Math.max(...rss).toFixed(0)} MB)\n`
        : 'server RSS not sampled (give --pid)\n'),
  );
} finally {
  if (target.child) {
    const gone = new Promise((r) => target.child!.once('exit', r));
    target.child.kill('SIGTERM');
    await gone;
  }
  if (target.dir) rmSync(target.dir, { recursive: true, force: true });
}
