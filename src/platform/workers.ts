// Worker threads started from one of Vow's own modules, whether Vow runs compiled (bin/compile.js:
// the entry is a .js file, loaded as it is) or from its sources (a .ts entry: the worker registers
// tsx itself, since a process started by bin/vow.js has no loader flag for workers to inherit).
import { Worker, type WorkerOptions } from 'node:worker_threads';
import { isVowError } from './errors.js';

/**
 * The URL of a sibling module of `importMetaUrl` named `name` (no extension), as the running code
 * is: `.js` when compiled, `.ts` from the sources.
 */
export function siblingModule(importMetaUrl: string, name: string): URL {
  return new URL(`./${name}.${importMetaUrl.endsWith('.js') ? 'js' : 'ts'}`, importMetaUrl);
}

/** Starts a worker thread running the module at `entry` (see siblingModule). */
export function startModuleWorker(entry: URL, options: WorkerOptions = {}): Worker {
  const load = `await import(${JSON.stringify(entry.href)});`;
  const boot = entry.pathname.endsWith('.ts')
    ? `import { register } from ${JSON.stringify(import.meta.resolve('tsx/esm/api'))}; register(); ${load}`
    : load;
  return new Worker(new URL(`data:text/javascript,${encodeURIComponent(boot)}`), options);
}

/** An error as a worker thread sends it back: an Error loses its code on the way through postMessage. */
export interface WorkerError {
  readonly name: string;
  readonly message: string;
  /** Any error's code (a VowError's, a system error's). */
  readonly code?: string;
  /** Set when it was a VowError: its code is one of Vow's stable codes. */
  readonly vow?: true;
}

/** What a worker thread sends for an error it caught (see WorkerError). */
export function workerError(err: unknown): WorkerError {
  const e = err instanceof Error ? err : new Error(String(err));
  const code = (e as { code?: unknown }).code;
  return {
    name: e.name,
    message: e.message,
    ...(typeof code === 'string' ? { code } : {}),
    ...(isVowError(e) ? { vow: true as const } : {}),
  };
}
