// A server for the HTTP benchmarks, run in its own process so the load generator does not share
// its event loop: `bare` is the floor (a Fastify route answering a constant), `vow` is Vow itself.
//   node --import tsx bench/server.ts vow [<sqlite data dir> | <postgres url>]
// Without a store argument Vow gets a throw-away SQLite store. The server authenticates like a
// real shop backend: it makes an API key (as `vow staff api-key create` does) and prints it, with
// a visitor who granted analytics cookies (for /v1/collect):  READY <url> <api key> <visitor>
// Per-address rate limits are off: one load generator on one address would only measure 429s.
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import Fastify from 'fastify';
import pino from 'pino';
import { createContext } from '../src/app/context.js';
import { createServices } from '../src/app/services.js';
import { buildApp } from '../src/http/app.js';
import { loadConfig } from '../src/platform/config.js';
import { BENCH_MASTER_KEY } from './common.js';

const mode = process.argv[2] ?? 'bare';
const where = process.argv[3];

async function start(): Promise<void> {
  if (mode === 'bare') {
    const app = Fastify({ logger: false });
    app.post('/bare', async () => ({ decision: 'allow' }));
    const address = await app.listen({ port: 0, host: '127.0.0.1' });
    process.stdout.write(`READY ${address} - -\n`);
    return;
  }
  const pgUrl = where && /^postgres(ql)?:\/\//.test(where) ? where : undefined;
  const dir = !pgUrl && where ? where : mkdtempSync(path.join(tmpdir(), 'vow-bench-'));
  const config = loadConfig({
    VOW_DATA_DIR: dir,
    VOW_LOG_LEVEL: 'silent',
    VOW_MASTER_KEY: BENCH_MASTER_KEY,
    ...(pgUrl ? { VOW_DATABASE_URL: pgUrl } : {}),
    // Passed on, to compare PostgreSQL with and without named statements.
    ...(process.env.VOW_DATABASE_PREPARE ? { VOW_DATABASE_PREPARE: process.env.VOW_DATABASE_PREPARE } : {}),
  });
  const ctx = await createContext(config, { logger: pino({ level: 'silent' }) });
  const services = createServices(ctx);
  const { key } = await services.identity.apiKeys.create('bench shop backend', null, ['all']);
  const choice = await services.cookieConsent.recordChoice({
    categories: { analytics: true },
    gpc: false,
    source: 'choose',
    consentVersion: ctx.policy.consentVersion,
  });
  const app = await buildApp(ctx, { logger: false, rateLimits: false }, services);
  const address = await app.listen({ port: 0, host: '127.0.0.1' });
  listenForChecks(services);
  // VOW_BENCH_GROUP_STATS=1: how the collection endpoints' group commit grouped, printed at exit.
  if (process.env.VOW_BENCH_GROUP_STATS)
    process.once('exit', () =>
      process.stderr.write(`collection groups: ${JSON.stringify(services.collection.groupStats)}\n`),
    );
  process.stdout.write(`READY ${address} ${key} ${choice.visitor}\n`);
}

/**
 * The promise monitor's benchmark (bench/monitor.ts) asks this server, on standard input, to run the
 * checks as `vow serve` does while it measures requests: `CHECK <full|incremental> <worker|inline>`
 * answers `CHECKED <json summary>` on standard output.
 */
function listenForChecks(services: ReturnType<typeof createServices>): void {
  let buf = '';
  process.stdin.setEncoding('utf8');
  process.stdin.on('data', (chunk: string) => {
    buf += chunk;
    for (let nl = buf.indexOf('\n'); nl >= 0; nl = buf.indexOf('\n')) {
      const [command, mode, where] = buf.slice(0, nl).trim().split(' ');
      buf = buf.slice(nl + 1);
      if (command !== 'CHECK') continue;
      const started = performance.now();
      void services.promises.checks
        .run(mode === 'incremental' ? 'incremental' : 'full', { inline: where === 'inline' })
        .then((s) => {
          const broken = s.results.filter((r) => r.status === 'broken').map((r) => r.promise);
          const wallMs = performance.now() - started;
          process.stdout.write(
            `CHECKED ${JSON.stringify({ mode: s.mode, ms: s.durationMs, wallMs, scopes: s.scopes, broken, where: where ?? services.promises.checks.where })}\n`,
          );
        })
        .catch((err: unknown) => process.stdout.write(`CHECKED ${JSON.stringify({ error: String(err) })}\n`));
    }
  });
}

await start();

// Exit cleanly on SIGTERM so `node --cpu-prof bench/server.ts vow` writes its profile.
process.once('SIGTERM', () => process.exit(0));
