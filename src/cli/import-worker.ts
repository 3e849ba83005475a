// The worker thread `vow import` runs the import in (src/cli/import.ts): its own context and store
// connection, and a capped heap, so the command's memory stays well under its target whatever the
// file's size. It sends the progress, each refused row, then the report or the failure.
import { parentPort, workerData } from 'node:worker_threads';
import { createContext } from '../app/context.js';
import { createServices } from '../app/services.js';
import type { ImportProgress, ImportReport, RefusedRow } from '../modules/imports/index.js';
import { loadConfig } from '../platform/config.js';
import { type WorkerError, workerError } from '../platform/workers.js';

/** What the command asks for. */
export interface ImportJob {
  readonly file: string;
  readonly format: string;
  readonly dryRun: boolean;
  /** Send each refused row as it is found (not with --json, whose report lists them). */
  readonly refusals: boolean;
}

/** What the worker sends back. */
export type ImportMessage =
  | { readonly type: 'progress'; readonly progress: ImportProgress }
  | { readonly type: 'refused'; readonly refusal: RefusedRow }
  | { readonly type: 'done'; readonly report: ImportReport }
  | { readonly type: 'failed'; readonly error: WorkerError };

async function runJob(job: ImportJob, send: (m: ImportMessage) => void): Promise<void> {
  const ctx = await createContext(loadConfig());
  try {
    const report = await createServices(ctx).imports.run({
      file: job.file,
      format: job.format,
      dryRun: job.dryRun,
      actor: { type: 'system', id: 'cli' },
      onProgress: (progress) => send({ type: 'progress', progress }),
      onRefused: job.refusals ? (refusal) => send({ type: 'refused', refusal }) : undefined,
    });
    send({ type: 'done', report });
  } finally {
    await ctx.store.close();
  }
}

if (parentPort) {
  const port = parentPort;
  const send = (m: ImportMessage) => port.postMessage(m);
  runJob(workerData as ImportJob, send).catch((err: unknown) =>
    send({ type: 'failed', error: workerError(err) }),
  );
}
