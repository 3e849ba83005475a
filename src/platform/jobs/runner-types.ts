// The job runner's shapes: what it needs, its options and their defaults, what it answers, and
// how a stored job row and a failure are shown (ids, codes and counts only).
import type { Kysely } from 'kysely';
import type { Logger } from 'pino';
import type { Clock, Random } from '../clock.js';
import { isVowError } from '../errors.js';
import type { Database, Store } from '../store/index.js';
import type { JobStatus } from './tables.js';

export interface JobRunnerDeps {
  readonly store: Store;
  readonly clock: Clock;
  readonly random: Random;
  readonly logger: Logger;
}

/**
 * Runs `fn` every `ms` (real time) until the returned function is called. `fn` returns the beat's
 * work (a promise), for a ticker driven by hand to wait for it.
 */
export type Ticker = (fn: () => Promise<void>, ms: number) => () => void;

export const realTicker: Ticker = (fn, ms) => {
  const timer = setInterval(() => void fn(), ms);
  timer.unref?.();
  return () => clearInterval(timer);
};

/** The default lease: a crashed worker's job waits at most this long (plus a poll) to be taken again. */
export const DEFAULT_LEASE_MS = 20_000;
/** The default heartbeat: four renewals per lease, so a late one or two do not lose it. */
export const DEFAULT_HEARTBEAT_MS = 5_000;

export interface JobRunnerOptions {
  /** How long a claim lasts without a heartbeat or a finished step (default 20 s). */
  readonly leaseMs?: number;
  /** How often a running job's lease is renewed (default 5 s; 0: never, for tests that drive it). */
  readonly heartbeatMs?: number;
  /** The heartbeat's timer (default setInterval; tests pass one they drive by hand). */
  readonly ticker?: Ticker;
  /** Pause between polls when the queue is empty (real time; default 1 s). */
  readonly pollMs?: number;
  /** A name for this worker in the jobs table (default a random id). */
  readonly workerId?: string;
  /**
   * Claim only the jobs this runner enqueued itself, never anyone else's: for a short-lived runner
   * that replays a history into a store other processes use (the demo's privacy requests, run at
   * the moments they happened, must not pick up the store's own queue).
   */
  readonly onlyOwnJobs?: boolean;
}

export interface EnqueueInput {
  readonly name: string;
  readonly payload: unknown;
  /** At most one job ever exists per key: enqueueing again returns the existing job. */
  readonly idempotencyKey?: string;
  /** Not before this instant (default now). */
  readonly runAt?: Date;
  readonly maxAttempts?: number;
}

/** A job enqueued with others (`enqueueMany`): never with an idempotency key, which is looked up one by one. */
export type UnkeyedEnqueueInput = EnqueueInput & { readonly idempotencyKey?: undefined };

export interface JobView {
  readonly id: string;
  readonly name: string;
  readonly status: JobStatus;
  readonly attempts: number;
  readonly idempotencyKey: string | null;
  readonly runAt: string;
  readonly lastError: string | null;
  readonly result: unknown;
  readonly finishedAt: string | null;
}

export interface RunOutcome {
  readonly id: string;
  readonly name: string;
  readonly status: 'done' | 'pending' | 'failed' | 'lease_lost';
}

export type Db = Kysely<Database>;

export function toView(row: Database['jobs']): JobView {
  return {
    id: row.id,
    name: row.name,
    status: row.status,
    attempts: Number(row.attempts),
    idempotencyKey: row.idempotency_key,
    runAt: row.run_at,
    lastError: row.last_error,
    result: row.result === null ? null : JSON.parse(row.result),
    finishedAt: row.finished_at,
  };
}

/** A short, value-free description of a failure (codes and class names only). */
export function describeError(err: unknown): string {
  if (isVowError(err)) return err.code;
  if (err instanceof Error) return err.name;
  return 'Error';
}
