// A server for the HTTP benchmarks, run in its own process so the load generator does not share
// its event loop: `bare` is the floor (a Fastify route answering a constant), `vow` is Vow itself
// on a throw-away SQLite (or VOW_BENCH_PG_URL) store.
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import Fastify from 'fastify';
import { loadConfig } from '../src/config.js';
import { createContext } from '../src/context.js';
import { buildApp } from '../src/http/app.js';

const mode = process.argv[2] ?? 'bare';

async function start(): Promise<void> {
  if (mode === 'bare') {
    const app = Fastify({ logger: false });
    app.post('/bare', async () => ({ decision: 'allow' }));
    const address = await app.listen({ port: 0, host: '127.0.0.1' });
    process.stdout.write(`READY ${address}\n`);
    return;
  }
  const dir = mkdtempSync(path.join(tmpdir(), 'vow-bench-'));
  const config = loadConfig({
    VOW_DATA_DIR: dir,
    VOW_LOG_LEVEL: 'silent',
    VOW_MASTER_KEY: Buffer.alloc(32, 3).toString('base64'),
    ...(process.env.VOW_BENCH_PG_URL ? { VOW_DATABASE_URL: process.env.VOW_BENCH_PG_URL } : {}),
  });
  const ctx = await createContext(config);
  const app = await buildApp(ctx, { logger: false });
  const address = await app.listen({ port: 0, host: '127.0.0.1' });
  process.stdout.write(`READY ${address}\n`);
}

await start();
