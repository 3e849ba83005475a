// Opens many sealed values off the main thread. An audience export of a million people is two
// million AES-GCM openings (each person's data key, then the value): about half of its time, all of
// it on the thread that serves every other request. The vault hands large batches to one worker
// thread (open-worker.ts), started on first use and stopped when idle, so the opening of one page
// overlaps the reading of the next and the event loop stays free. If the worker cannot start or
// dies, the batches it held fail with WorkerGone, and the vault opens them inline: nothing is lost,
// only the second core. After three workers in a row that never answered, none is started again.
import type { Worker } from 'node:worker_threads';
import { VowError } from '../errors.js';
import { siblingModule, startModuleWorker } from '../workers.js';
import type { OpenItem } from './aead.js';
import type { OpenReply, OpenRequest } from './open-worker.js';

/**
 * A batch's answer, and nothing of the batch itself: its values are kept by the caller. (Kept in
 * this long-lived map while the next page was read, every page's values were promoted to the old
 * generation and piled up there: +55 MB of RSS over a million-person audience.)
 */
interface Pending {
  readonly resolve: (values: (string | null)[]) => void;
  readonly reject: (err: unknown) => void;
}

/** The worker stopped (or never started) before it answered: the caller opens the batch itself. */
export class WorkerGone extends Error {
  constructor() {
    super('The worker opening values stopped before it answered');
    this.name = 'WorkerGone';
  }
}

export interface BulkOpenerOptions {
  /** Stop the worker after this long without a batch (default 5 s); it starts again on demand. */
  readonly idleMs?: number;
  /** The worker's module (default open-worker, next to this file; tests give one that fails). */
  readonly entry?: URL;
}

export class BulkOpener {
  readonly #master: Buffer;
  readonly #idleMs: number;
  readonly #entry: URL;
  readonly #pending = new Map<number, Pending>();
  #worker: Worker | undefined;
  /** Whether the current worker has answered a batch yet. */
  #answered = false;
  /** Workers in a row that stopped before answering anything: past 3, none is started again. */
  #failedStarts = 0;
  #started = 0;
  #nextId = 1;
  #idle: NodeJS.Timeout | undefined;

  constructor(master: Buffer, options: BulkOpenerOptions = {}) {
    this.#master = master;
    this.#idleMs = options.idleMs ?? 5_000;
    this.#entry = options.entry ?? siblingModule(import.meta.url, 'open-worker');
  }

  /** Whether a worker thread is running now (for tests). */
  get running(): boolean {
    return this.#worker !== undefined;
  }

  /** How many worker threads were started so far (for tests). */
  get started(): number {
    return this.#started;
  }

  /**
   * The values, in order: null where the person's key was destroyed. Fails with WorkerGone when
   * the worker cannot start or stops before answering, with VOW_DECRYPTION_FAILED on a wrong key or
   * tampered data.
   */
  open(items: readonly OpenItem[]): Promise<(string | null)[]> {
    if (items.length === 0) return Promise.resolve([]);
    return new Promise((resolve, reject) => {
      const worker = this.#start();
      if (!worker) {
        reject(new WorkerGone());
        return;
      }
      const id = this.#nextId++;
      this.#pending.set(id, { resolve, reject });
      // Referenced while it holds work (a command waiting on it must not exit), not otherwise.
      if (this.#pending.size === 1) worker.ref();
      if (this.#idle) clearTimeout(this.#idle);
      this.#idle = undefined;
      const request: OpenRequest = { id, items };
      worker.postMessage(request);
    });
  }

  /** Stops the worker; batches it still held fail with WorkerGone. */
  async stop(): Promise<void> {
    const worker = this.#worker;
    if (!worker) return;
    this.#detach(worker, true);
    await worker.terminate();
  }

  #start(): Worker | undefined {
    if (this.#worker) return this.#worker;
    // A worker that cannot run (its module missing or broken) would otherwise be tried again for
    // every batch, each try costing a thread's start-up before the batch is opened inline anyway.
    if (this.#failedStarts >= 3) return undefined;
    let worker: Worker;
    try {
      worker = startModuleWorker(this.#entry, {
        // A copy of the master key for the worker (the vault's own may be rotated meanwhile: the
        // vault then stops this opener and starts a new one).
        workerData: { master: new Uint8Array(this.#master) },
        // It holds one page's values at a time: a small heap (past it the worker fails and its
        // batches are opened inline).
        resourceLimits: { maxOldGenerationSizeMb: 32, maxYoungGenerationSizeMb: 4 },
      });
    } catch {
      return undefined;
    }
    worker.unref();
    worker.on('message', (reply: OpenReply) => this.#settle(worker, reply));
    worker.on('error', () => this.#detach(worker));
    worker.on('exit', () => this.#detach(worker));
    this.#worker = worker;
    this.#answered = false;
    this.#started++;
    return worker;
  }

  #settle(worker: Worker, reply: OpenReply): void {
    if (this.#worker === worker) {
      this.#answered = true;
      this.#failedStarts = 0;
    }
    const pending = this.#pending.get(reply.id);
    if (!pending) return;
    this.#pending.delete(reply.id);
    if ('values' in reply) pending.resolve(reply.values);
    else
      pending.reject(
        new VowError(
          reply.error.code === 'VOW_DECRYPTION_FAILED' ? 'VOW_DECRYPTION_FAILED' : 'VOW_INTERNAL',
          reply.error.code === 'VOW_DECRYPTION_FAILED'
            ? 'A value could not be decrypted (wrong key or tampered data)'
            : `Opening values failed: ${reply.error.message}`,
        ),
      );
    if (this.#pending.size === 0 && this.#worker === worker) {
      worker.unref();
      this.#idle = setTimeout(() => void this.stop(), this.#idleMs);
      this.#idle.unref();
    }
  }

  /** Forgets a worker that stopped or failed; the batches it held fail with WorkerGone. */
  #detach(worker: Worker, deliberate = false): void {
    if (this.#worker !== worker) return;
    this.#worker = undefined;
    if (!deliberate && !this.#answered) this.#failedStarts++;
    if (this.#idle) clearTimeout(this.#idle);
    this.#idle = undefined;
    const held = [...this.#pending.values()];
    this.#pending.clear();
    for (const p of held) p.reject(new WorkerGone());
  }
}
