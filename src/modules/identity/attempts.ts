// Lock-out with back-off: failures are counted per identifier (an account, a code's target) in the
// store, so every process on one PostgreSQL shares them. After MAX_FAILURES failures the key is
// locked, and each further lock-out doubles: 1, 2, 4, 8 ... minutes, at most a day.

import { VowError } from '../../platform/errors.js';
import type { VowContext } from '../policy/index.js';

export interface AttemptPolicy {
  /** Failures allowed before a lock-out. */
  readonly maxFailures: number;
  /** Failures older than this (since the first in the window) are forgotten. */
  readonly windowMs: number;
  /** The first lock-out's length; each further one doubles. */
  readonly baseLockMs: number;
  readonly maxLockMs: number;
}

export const LOGIN_ATTEMPTS: AttemptPolicy = {
  maxFailures: 5,
  windowMs: 15 * 60 * 1000,
  baseLockMs: 60 * 1000,
  maxLockMs: 24 * 60 * 60 * 1000,
};

/** For short numeric codes (6 digits): fewer tries, longer locks. */
export const CODE_ATTEMPTS: AttemptPolicy = {
  maxFailures: 5,
  windowMs: 60 * 60 * 1000,
  baseLockMs: 15 * 60 * 1000,
  maxLockMs: 24 * 60 * 60 * 1000,
};

export class AttemptLimiter {
  readonly #ctx: VowContext;
  constructor(ctx: VowContext) {
    this.#ctx = ctx;
  }

  /** Throws VOW_LOCKED_OUT (with retryAfterSeconds) while the key is locked. */
  async check(key: string): Promise<void> {
    const row = await this.#ctx.store.db
      .selectFrom('attempt_counters')
      .select('locked_until')
      .where('key', '=', key)
      .executeTakeFirst();
    const now = this.#ctx.clock.now();
    if (row?.locked_until && row.locked_until > now.toISOString()) {
      const seconds = Math.ceil((new Date(row.locked_until).getTime() - now.getTime()) / 1000);
      throw new VowError('VOW_LOCKED_OUT', `Too many failed attempts; try again in ${seconds} seconds`, {
        retryAfterSeconds: seconds,
      });
    }
  }

  /** Counts a failure; returns true when this failure started a lock-out. */
  async failure(key: string, policy: AttemptPolicy): Promise<boolean> {
    const db = this.#ctx.store.db;
    const now = this.#ctx.clock.now();
    return db.transaction().execute(async (trx) => {
      let q = trx.selectFrom('attempt_counters').selectAll().where('key', '=', key);
      if (this.#ctx.store.dialect === 'postgres') q = q.forUpdate();
      const row = await q.executeTakeFirst();
      if (!row) {
        await trx
          .insertInto('attempt_counters')
          .values({ key, failures: 1, window_started_at: now.toISOString(), locked_until: null, lockouts: 0 })
          .onConflict((oc) => oc.column('key').doUpdateSet({ failures: 1 }))
          .execute();
        return policy.maxFailures <= 1;
      }
      const windowOver = new Date(row.window_started_at).getTime() + policy.windowMs <= now.getTime();
      const failures = windowOver ? 1 : Number(row.failures) + 1;
      const windowStart = windowOver ? now.toISOString() : row.window_started_at;
      if (failures >= policy.maxFailures) {
        const lockouts = Number(row.lockouts);
        const lockMs = Math.min(policy.baseLockMs * 2 ** lockouts, policy.maxLockMs);
        await trx
          .updateTable('attempt_counters')
          .set({
            failures: 0,
            window_started_at: now.toISOString(),
            locked_until: new Date(now.getTime() + lockMs).toISOString(),
            lockouts: lockouts + 1,
          })
          .where('key', '=', key)
          .execute();
        return true;
      }
      await trx
        .updateTable('attempt_counters')
        .set({ failures, window_started_at: windowStart })
        .where('key', '=', key)
        .execute();
      return false;
    });
  }

  /** A success forgets the failures (and the back-off). */
  async success(key: string): Promise<void> {
    await this.#ctx.store.db.deleteFrom('attempt_counters').where('key', '=', key).execute();
  }
}
