// Where the checks run. On SQLite the driver is synchronous: a check on the request path's thread
// would stall every request while it reads, so a store in a file is checked in a worker thread with
// its own connection (WAL lets it read while requests write), and PostgreSQL's too (the event loop
// stays free of the check's own work). A store in memory cannot be shared with a worker: it is
// checked inline. The worker is started per run from the composition root's entry file
// (src/app/promise-worker.ts), which builds a context of its own and runs the same monitor.
import type { Config } from '../../platform/config.js';
import { VowError } from '../../platform/errors.js';
import { startModuleWorker, type WorkerError } from '../../platform/workers.js';
import type { RunRequest } from './promise-monitor.js';
import type { RunSummary } from './types.js';

export interface CheckRunner {
  /** `inline` or `worker`, for logs and tests. */
  readonly kind: 'inline' | 'worker';
  run(mode: RunRequest, now: Date): Promise<RunSummary>;
}

/** What a worker needs to open the same store under the same policy, at the same instant. */
export interface WorkerData {
  readonly config: Config;
  readonly store: { readonly databaseUrl?: string | undefined; readonly sqliteFile?: string | undefined };
  readonly policySource: string;
  readonly now: string;
  readonly mode: RunRequest;
}

type WorkerReply = { ok: true; summary: RunSummary } | { ok: false; error: WorkerError };

export class InlineRunner implements CheckRunner {
  readonly kind = 'inline';
  readonly #run: (mode: RunRequest) => Promise<RunSummary>;

  constructor(run: (mode: RunRequest) => Promise<RunSummary>) {
    this.#run = run;
  }

  run(mode: RunRequest): Promise<RunSummary> {
    return this.#run(mode);
  }
}

/**
 * Runs each check in a fresh worker thread (platform/workers.ts: compiled or through tsx).
 */
export class WorkerRunner implements CheckRunner {
  readonly kind = 'worker';
  readonly #entry: URL;
  readonly #data: Omit<WorkerData, 'now' | 'mode'>;
  #running: Promise<unknown> = Promise.resolve();

  constructor(entry: URL, data: Omit<WorkerData, 'now' | 'mode'>) {
    this.#entry = entry;
    this.#data = data;
  }

  run(mode: RunRequest, now: Date): Promise<RunSummary> {
    const next = this.#running.then(() => this.#spawn(mode, now));
    this.#running = next.catch(() => undefined);
    return next;
  }

  #spawn(mode: RunRequest, now: Date): Promise<RunSummary> {
    const data: WorkerData = { ...this.#data, now: now.toISOString(), mode };
    return new Promise<RunSummary>((resolve, reject) => {
      const worker = startModuleWorker(this.#entry, { workerData: data });
      let settled = false;
      const fail = (message: string, cause?: unknown) => {
        if (settled) return;
        settled = true;
        reject(
          new VowError('VOW_PROMISES_CHECK_FAILED', `The promise check failed: ${message}`, undefined, {
            cause,
          }),
        );
      };
      worker.once('message', (reply: WorkerReply) => {
        if (reply.ok) {
          settled = true;
          resolve(reply.summary);
        } else fail(`${reply.error.code ?? reply.error.name}: ${reply.error.message}`);
      });
      worker.once('error', (err) => fail(err.message, err));
      worker.once('exit', (code) => fail(`the worker stopped (exit code ${code}) without an answer`));
    });
  }
}
