// A job definition: a namespaced id, a version, a Zod payload schema and a handler.
import type { Transaction } from 'kysely';
import type { z } from 'zod';
import type { Database } from '../store/index.js';

export interface JobContext {
  /** The job's id (stable across attempts). */
  readonly id: string;
  /** 1 on the first attempt, 2 after a crash or a failure, … */
  readonly attempt: number;
  /**
   * Runs `fn` at most once for this job, across crashes and workers: `fn` runs inside a
   * transaction that also records the step and checks this worker still holds the job's lease,
   * so its database effects commit together with the checkpoint or not at all. A later attempt
   * gets the recorded result back without running `fn` again. Results must be JSON (ids, counts).
   */
  step<T>(name: string, fn: (trx: Transaction<Database>) => Promise<T>): Promise<T>;
  /**
   * Runs `fn` (outside any transaction: for work on other connections, e.g. a walker over other
   * databases, which must be idempotent) unless a previous attempt recorded this step; records its
   * result. Use it so a retried job does not redo finished work.
   */
  once<T>(name: string, fn: () => Promise<T>): Promise<T>;
  /** Extends the lease; throws VOW_JOB_LEASE_LOST when another worker took the job over. */
  heartbeat(): Promise<void>;
}

export interface JobDefinition<P = unknown> {
  /** Namespaced id, `domain.verb` (e.g. `rights.fulfil`, `mail.deliver`). */
  readonly id: string;
  readonly version: number;
  readonly schema: z.ZodType<P>;
  /** Attempts before the job is marked failed (default 5). */
  readonly maxAttempts?: number;
  readonly handler: (payload: P, job: JobContext) => Promise<unknown>;
}

export function defineJob<P>(definition: JobDefinition<P>): JobDefinition<P> {
  if (!/^[a-z][a-z0-9_]*(\.[a-z][a-z0-9_]*)+$/.test(definition.id)) {
    throw new Error(`Job id "${definition.id}" must be namespaced, e.g. "rights.fulfil"`);
  }
  return definition;
}
