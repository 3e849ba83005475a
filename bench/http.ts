// The HTTP figures of `npm run bench`: Vow's hot routes (decisions, collect, orders on SQLite and
// PostgreSQL) against the bare Fastify route, each server in its own process (bench/server.ts).
import { type ChildProcess, spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import autocannon from 'autocannon';
import pg from 'pg';
import { benchOrder, type Out, type Row } from './common.js';
import { PG_ADMIN, ROUNDS, SECONDS, WARMUP_SECONDS } from './knobs.js';
import { serverEntry } from './server-entry.js';

export interface Server {
  readonly url: string;
  readonly apiKey: string;
  readonly visitor: string;
  readonly child: ChildProcess;
}

export async function startServer(mode: string, where?: string): Promise<Server> {
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

export async function stopServer(s: Server): Promise<void> {
  if (s.child.exitCode !== null) return;
  const gone = new Promise((r) => s.child.once('exit', r));
  s.child.kill();
  await gone;
}

type LoadResult = {
  rps: number;
  p99: number;
  errors: number;
  /** Requests answered in the run (autocannon's count). */
  requests?: number;
  /** CPU (user + system) of the load generator, this process, per request, in µs. */
  generatorUs?: number;
  /** CPU of the server's process per request, in µs, when its pid was given (Linux's /proc). */
  serverUs?: number;
};

/**
 * A process's CPU time (user + system) so far, in µs, from /proc (Linux; its 10 ms ticks, so only
 * runs of seconds mean anything); undefined where /proc cannot be read. Per request, CPU leaves out
 * the time a process waits for a core, but heavy load still inflates it through shared caches (778
 * and 1,323 µs an order at load averages 21 and 31, while the rate fell from 346 to 180 a second):
 * compare it between two trees measured in turn, not between runs hours apart.
 */
export function cpuMicros(pid: number): number | undefined {
  try {
    const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]!.split(' ');
    return (Number(fields[11]) + Number(fields[12])) * 10_000;
  } catch {
    return undefined;
  }
}

/**
 * The floor and Vow under the same load: each first gets WARMUP_SECONDS unmeasured (the JIT
 * compiles the hot paths of a fresh process: measured cold, Vow's first second ran at half the speed
 * of the next ones), then they are measured in turn ROUNDS times (floor, Vow, floor, Vow, …) and
 * each keeps its best run. On a shared machine a run can only lose speed to its neighbours, never
 * gain it, so the best run is the fairest figure for both; errors count over every run.
 */
async function loadPair(
  floor: { url: string; body: unknown | ((n: number) => unknown); pid?: number },
  vow: {
    url: string;
    body: unknown | ((n: number) => unknown);
    headers?: Record<string, string>;
    pid?: number;
  },
): Promise<{ floor: LoadResult; vow: LoadResult }> {
  await loadFor(WARMUP_SECONDS, floor.url, floor.body, {});
  await loadFor(WARMUP_SECONDS, vow.url, vow.body, vow.headers ?? {});
  const floorRuns: LoadResult[] = [];
  const vowRuns: LoadResult[] = [];
  for (let round = 0; round < ROUNDS; round++) {
    floorRuns.push(await loadFor(SECONDS, floor.url, floor.body, {}, floor.pid));
    vowRuns.push(await loadFor(SECONDS, vow.url, vow.body, vow.headers ?? {}, vow.pid));
  }
  return { floor: bestRun(floorRuns), vow: bestRun(vowRuns) };
}

/**
 * The fastest of several runs, with the errors of all of them and the CPU a request over all of them
 * (see cpuMicros).
 */
function bestRun(runs: readonly LoadResult[]): LoadResult {
  const top = runs.reduce((a, b) => (b.rps > a.rps ? b : a));
  const requests = runs.reduce((n, r) => n + (r.requests ?? 0), 0);
  const mean = (f: (r: LoadResult) => number | undefined) =>
    runs.every((r) => f(r) !== undefined)
      ? { value: runs.reduce((n, r) => n + f(r)! * (r.requests ?? 0), 0) / Math.max(1, requests) }
      : undefined;
  const server = mean((r) => r.serverUs);
  const generator = mean((r) => r.generatorUs);
  return {
    ...top,
    errors: runs.reduce((n, r) => n + r.errors, 0),
    ...(server ? { serverUs: server.value } : {}),
    ...(generator ? { generatorUs: generator.value } : {}),
  };
}

/**
 * The number of the next generated body, across every load run of this process: each body made by
 * a function (the orders) is a new one. Counted per run, the orders of a second run were the first
 * run's again, answered as idempotent replays without writing anything, and the best run (the
 * figure) measured replays, not orders.
 */
let sequence = 0;

async function loadFor(
  seconds: number,
  url: string,
  body: unknown | ((n: number) => unknown),
  headers: Record<string, string>,
  serverPid?: number,
): Promise<LoadResult> {
  const server0 = serverPid === undefined ? undefined : cpuMicros(serverPid);
  const generator0 = process.cpuUsage();
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
                body: JSON.stringify((body as (n: number) => unknown)(sequence++)),
              }),
            },
          ],
        }
      : { body: JSON.stringify(body) }),
  } as autocannon.Options);
  const generator = process.cpuUsage(generator0);
  const server1 = serverPid === undefined ? undefined : cpuMicros(serverPid);
  const requests = Math.max(1, result.requests.total);
  return {
    rps: result.requests.average,
    p99: result.latency.p99,
    errors: result.errors + result.non2xx,
    requests: result.requests.total,
    generatorUs: (generator.user + generator.system) / requests,
    ...(server0 !== undefined && server1 !== undefined ? { serverUs: (server1 - server0) / requests } : {}),
  };
}

/** "µs of CPU a request" for a note: the server's (when read) and the load generator's. */
function cpuNote(r: LoadResult): string {
  const server = r.serverUs === undefined ? 'server not read' : `server ${Math.round(r.serverUs)} µs`;
  return `${server}, load generator ${Math.round(r.generatorUs ?? 0)} µs`;
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

export async function benchHttp(parts: readonly string[], out: Out): Promise<void> {
  const bare = await startServer('bare');
  const vow = await startServer('vow');
  try {
    const auth = { authorization: `Bearer ${vow.apiKey}` };
    if (parts.includes('decisions')) {
      const decisions = await medianPair(
        { url: `${bare.url}/bare`, body: DECISION },
        { url: `${vow.url}/v1/decisions`, body: DECISION, headers: auth },
      );
      out.rows.push(medianRow('POST /v1/decisions (HTTP, API key)', decisions, 0.7));
    }
    if (parts.includes('collect')) {
      const event = { visitor: vow.visitor, type: 'page_view', path: '/rings', area: 'catalog' };
      const collect = await medianPair(
        { url: `${bare.url}/bare`, body: event },
        { url: `${vow.url}/v1/collect`, body: event },
      );
      out.rows.push(medianRow('POST /v1/collect (HTTP, consenting visitor, stored)', collect, 0.7));
      // A shop's real traffic: a visitor Vow has not seen before on every request (none of them has
      // a choice on record, so each measurement is counted as dropped, not stored). This is what
      // exercises the memo of visitors' blind indexes once it is full.
      const stranger = (n: number) => ({ ...event, visitor: `v${n.toString(36).padStart(21, '0')}` });
      const strangers = await loadPair(
        { url: `${bare.url}/bare`, body: stranger },
        { url: `${vow.url}/v1/collect`, body: stranger },
      );
      out.rows.push(
        httpRow(
          'POST /v1/collect (HTTP, a new visitor every request, no choice on record)',
          'req/s',
          strangers.vow,
          strangers.floor.rps,
        ),
      );
    }
    if (parts.includes('orders')) {
      const orders = await loadPair(
        { url: `${bare.url}/bare`, body: (n: number) => benchOrder('floor', n), pid: bare.child.pid },
        {
          url: `${vow.url}/v1/orders`,
          body: (n: number) => benchOrder('sqlite', n),
          headers: auth,
          pid: vow.child.pid,
        },
      );
      out.rows.push(httpRow('POST /v1/orders on SQLite', 'orders/s', orders.vow, orders.floor.rps, 0.15));
      out.notes.push(
        `CPU a request, over every measured run (user + system, /proc): POST /v1/orders on SQLite ${cpuNote(orders.vow)}; its floor, the bare route, ${cpuNote(orders.floor)}`,
      );
      await benchOrdersPostgres(orders.floor.rps, out);
    }
  } finally {
    await stopServer(bare);
    await stopServer(vow);
  }
}

/**
 * What PostgreSQL has done so far for one database: the CPU of its backends (the server's pool,
 * /proc; a backend that closed meanwhile is missed) and the position of the write-ahead log.
 */
async function databaseWork(
  admin: pg.Client,
  database: string,
): Promise<{ backendUs: number; walBytes: number }> {
  const pids = await admin.query<{ pid: number }>('SELECT pid FROM pg_stat_activity WHERE datname = $1', [
    database,
  ]);
  const wal = await admin.query<{ bytes: string }>("SELECT pg_current_wal_lsn() - '0/0' AS bytes");
  return {
    backendUs: pids.rows.reduce((n, r) => n + (cpuMicros(r.pid) ?? 0), 0),
    walBytes: Number(wal.rows[0]!.bytes),
  };
}

async function benchOrdersPostgres(floorRps: number, out: Out): Promise<void> {
  const admin = new pg.Client({ connectionString: PG_ADMIN, connectionTimeoutMillis: 3000 });
  try {
    await admin.connect();
  } catch {
    out.notes.push(`POST /v1/orders on PostgreSQL: skipped, no PostgreSQL at ${PG_ADMIN}`);
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
      let backendUs = 0;
      let walBytes = 0;
      for (let round = 0; round < ROUNDS; round++) {
        const before = await databaseWork(admin, name);
        runs.push(await loadFor(SECONDS, `${vow.url}/v1/orders`, body, headers, vow.child.pid));
        const after = await databaseWork(admin, name);
        backendUs += after.backendUs - before.backendUs;
        walBytes += after.walBytes - before.walBytes;
      }
      const orders = bestRun(runs);
      out.rows.push(httpRow('POST /v1/orders on PostgreSQL', 'orders/s', orders, floorRps, 0.08));
      const total = Math.max(
        1,
        runs.reduce((n, r) => n + (r.requests ?? 0), 0),
      );
      out.notes.push(
        `CPU a request, over every measured run: POST /v1/orders on PostgreSQL ${cpuNote(orders)}, PostgreSQL's backends of the database ${Math.round(backendUs / total)} µs (the server's pool only; its WAL writer and checkpointer not counted); write-ahead log ${Math.round(walBytes / total)} bytes an order (pg_current_wal_lsn, the whole cluster's: other databases' writes count too)`,
      );
    } finally {
      await stopServer(vow);
    }
  } finally {
    await admin.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
    await admin.end();
  }
}
