// The bulk opener's worker thread (bulk-opener.ts): opens batches of sealed values with the master
// key it was started with, so a large read (an audience of a million people: two AES-GCM openings
// each) decrypts on another core while the main thread reads the next page and serves requests.
// It keeps nothing between batches but the master key.
import { parentPort, workerData } from 'node:worker_threads';
import { type WorkerError, workerError } from '../workers.js';
import { type OpenItem, openItems } from './aead.js';

export interface OpenRequest {
  readonly id: number;
  readonly items: readonly OpenItem[];
}

export type OpenReply =
  | { readonly id: number; readonly values: (string | null)[] }
  | { readonly id: number; readonly error: WorkerError };

const port = parentPort;
if (port) {
  const master = Buffer.from((workerData as { master: Uint8Array }).master);
  port.on('message', (req: OpenRequest) => {
    let reply: OpenReply;
    try {
      reply = { id: req.id, values: openItems(master, req.items) };
    } catch (err) {
      reply = { id: req.id, error: workerError(err) };
    }
    port.postMessage(reply);
  });
}
