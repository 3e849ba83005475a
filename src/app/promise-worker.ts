// The promise checks' worker thread (started per run by WorkerRunner, src/modules/promises/runner.ts):
// a Vow context of its own on the same store, under the same policy, at the instant the run was
// asked for, runs the monitor inline and answers with the run's summary. Nothing here serves requests.
import { parentPort, workerData } from 'node:worker_threads';
import pino from 'pino';
import { parsePolicy } from '../modules/policy/index.js';
import type { WorkerData } from '../modules/promises/index.js';
import { ManualClock } from '../platform/clock.js';
import { openStore } from '../platform/store/index.js';
import { workerError } from '../platform/workers.js';
import { createContext } from './context.js';
import { createServices } from './services.js';

const data = workerData as WorkerData;

async function main(): Promise<void> {
  const store = await openStore({
    databaseUrl: data.store.databaseUrl,
    sqliteFile: data.store.sqliteFile,
    poolSize: 2,
    namedStatements: data.config.databasePrepare,
  });
  try {
    const parsed = parsePolicy(data.policySource);
    if (!parsed.ok) throw new Error('the policy in force does not parse in the worker');
    const ctx = await createContext(data.config, {
      store,
      policy: parsed.policy,
      clock: new ManualClock(data.now),
      logger: pino({ level: 'silent' }),
    });
    const summary = await createServices(ctx).promises.monitor.run(data.mode);
    parentPort?.postMessage({ ok: true, summary });
  } finally {
    await store.close();
  }
}

main().catch((err: unknown) => parentPort?.postMessage({ ok: false, error: workerError(err) }));
