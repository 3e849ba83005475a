// Limits on guessing secrets (passwords, emailed codes, TOTP codes) and on mail sent to one address,
// kept in the store so every process on one PostgreSQL shares them.
//
// An attempt is counted (reserved) BEFORE its secret is checked, in one transaction that holds the
// counter rows: parallel tries cannot all be checked before the first failure lands. A success
// gives the reservation back.
//
// Guessing someone's secret is limited twice, so that an attacker cannot turn the limit against
// the owner (lock-out as denial of service):
// - per target and client address (the "pair"): a few failures lock THAT address out of THAT
//   target, the lock doubling up to a day. Other addresses, the owner's among them, are untouched.
// - per target across all addresses (the "throttle"): past a number of failures in a window, an
//   address that has already failed on the target may not try again until the window ends; an
//   address without failures still may, so the owner's right password (or code) from their own
//   address always goes through. The trade-off: an attacker with many addresses gets one guess per
//   fresh address while the throttle is on (docs/security.md: argon2id and a 12-character minimum
//   make that too slow to matter; the per-address rate limit caps each address too).
// A TOTP code (reachable only with the right password) is limited per staff member alone.
// Mail to an address is a budget per window, whatever route sends it (no mail-bombing).

import type { ExpressionBuilder, Transaction } from 'kysely';
import { clientUnit } from '../../platform/client-address.js';
import { dummyPasswordHash, verifyPassword } from '../../platform/crypto/index.js';
import { VowError } from '../../platform/errors.js';
import type { Database } from '../../platform/store/index.js';
import type { VowContext } from '../policy/index.js';

/** A lock-out: `maxFailures` failures within `windowMs` lock for `baseLockMs`, doubling each time. */
export interface AttemptPolicy {
  readonly maxFailures: number;
  /** Failures older than this (since the first in the window) are forgotten. */
  readonly windowMs: number;
  /** The first lock-out's length; each further one doubles. */
  readonly baseLockMs: number;
  readonly maxLockMs: number;
}

/** A throttle: past `maxFailures` failures within `windowMs`, addresses that failed wait for the window. */
export interface ThrottlePolicy {
  readonly maxFailures: number;
  readonly windowMs: number;
}

/** At most `max` uses within a window of `windowMs`. */
export interface Budget {
  readonly max: number;
  readonly windowMs: number;
}

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;

/** Password log-ins and current-password checks, per account and address. */
export const LOGIN_PAIR: AttemptPolicy = {
  maxFailures: 5,
  windowMs: 15 * MINUTE,
  baseLockMs: MINUTE,
  maxLockMs: 24 * HOUR,
};
/** Password log-ins and current-password checks, per account across every address. */
export const LOGIN_THROTTLE: ThrottlePolicy = { maxFailures: 20, windowMs: HOUR };

/** Emailed 6-digit codes, per email address and client address. */
export const CODE_PAIR: AttemptPolicy = {
  maxFailures: 5,
  windowMs: HOUR,
  baseLockMs: 15 * MINUTE,
  maxLockMs: 24 * HOUR,
};
/** Emailed 6-digit codes, per email address across every client address. */
export const CODE_THROTTLE: ThrottlePolicy = { maxFailures: 10, windowMs: HOUR };

/** TOTP codes, per staff member (only someone with the right password gets this far). */
export const TOTP_ATTEMPTS: AttemptPolicy = {
  maxFailures: 5,
  windowMs: HOUR,
  baseLockMs: 15 * MINUTE,
  maxLockMs: 24 * HOUR,
};

/** Mail that anyone can make Vow send to an address (codes, confirmations, reset links). */
export const MAIL_BUDGET: Budget = { max: 5, windowMs: HOUR };

/** Guessing one target's secret from one client address. */
export interface Guard {
  /** Whose secret: `login:staff:<id>`, `login:shopper:<email index>`, `code:<email index>`. */
  readonly target: string;
  /** Who is trying: AttemptLimiter.client(address). */
  readonly client: string;
  readonly pair: AttemptPolicy;
  readonly throttle: ThrottlePolicy;
}

/** The lock-out target of a shopper account's password, by its email's blind index. */
export function shopperLoginTarget(emailIndex: string): string {
  return `login:shopper:${emailIndex}`;
}

/** The lock-out target of the codes emailed to an address, by its email's blind index. */
export function codeTarget(token: (value: string) => string, emailIndex: string): string {
  return `code:${token(`code-target:${emailIndex}`)}`;
}

/**
 * The key of the mail budget of an address, by its email's blind index (as the codes' target), so
 * the person's erasure can find it again from the keyed hashes it holds (it was a keyed hash of
 * the plaintext address, which no eraser has).
 */
export function mailBudgetTarget(token: (value: string) => string, emailIndex: string): string {
  return `mail:${token(`mail-budget:${emailIndex}`)}`;
}

/** The blind indexes (kind `email`) of an address as written and of the mailbox it delivers to. */
export interface MailboxIndexes {
  readonly address: string;
  readonly mailbox: string;
}

/**
 * The key of a link from a rewritten address (`ann+1@`) to its mailbox's budget (`ann@`), as
 * spendMailBudget wrote them before migration 0790: `<the address's budget key>@<the mailbox's>`.
 * None is written now (the budget is the mailbox's; docs/security.md); the person's erasure deletes
 * those left, and the sweep the rest.
 */
export function mailboxLink(token: (value: string) => string, indexes: MailboxIndexes): string {
  return `${mailBudgetTarget(token, indexes.address)}@${mailBudgetTarget(token, indexes.mailbox)}`;
}

/**
 * The keys that start with `prefix`, as a range on `attempt_counters.key` (its primary key's index:
 * a `substr` or `LIKE` test reads every row): `[prefix, prefix with its last character's code one
 * higher)`. Right because the column compares bytes on both dialects (SQLite's BINARY; on PostgreSQL
 * `COLLATE "C"`, migration 0790): under a language's collation `code:ab@x` can sort after `code:abA`.
 */
export function keysStartingWith(prefix: string): readonly [string, string] {
  if (prefix === '') throw new Error('an empty prefix is every key');
  const last = prefix.charCodeAt(prefix.length - 1);
  return [prefix, prefix.slice(0, -1) + String.fromCharCode(last + 1)];
}

/** A target's own row and its rows per client address (`<target>@<client>`), by the key's index. */
export function targetAndPairs(eb: ExpressionBuilder<Database, 'attempt_counters'>, target: string) {
  const [from, to] = keysStartingWith(`${target}@`);
  return eb.or([eb('key', '=', target), eb.and([eb('key', '>=', from), eb('key', '<', to)])]);
}

/** A reserved attempt: counted as a failure unless `succeeded()` gives it back. */
export interface Attempt {
  succeeded(): Promise<void>;
}

type Row = Database['attempt_counters'];
type Trx = Transaction<Database>;

/** Old rows are swept now and then (about one reservation in this many). */
const SWEEP_EVERY = 500;

export class AttemptLimiter {
  readonly #ctx: VowContext;
  #calls = 0;

  constructor(ctx: VowContext) {
    this.#ctx = ctx;
  }

  /** The key of a client address: a keyed hash (an address is personal data; never stored plain). */
  client(address: string): string {
    // An IPv6 /64 is one client: else one machine has 2^64 fresh addresses, each with its tries.
    return this.#ctx.vault.blindIndex('token', `client-address:${clientUnit(address)}`);
  }

  /** The row of `key`, created empty if missing, and locked for this transaction. */
  async #hold(trx: Trx, key: string, now: string): Promise<Row> {
    // A row deleted by a concurrent success (or a forgive) between the insert and the lock is
    // created again: a few rounds at most, as each round waits for the other transaction to end.
    for (let round = 0; ; round++) {
      await trx
        .insertInto('attempt_counters')
        .values({ key, failures: 0, window_started_at: now, locked_until: null, lockouts: 0 })
        .onConflict((oc) => oc.column('key').doNothing())
        .execute();
      // On PostgreSQL the insert above waits for a concurrent insert of the same key, and this lock
      // makes every other reservation of the key wait for this transaction (SQLite runs one at a time).
      let q = trx.selectFrom('attempt_counters').selectAll().where('key', '=', key);
      if (this.#ctx.store.dialect === 'postgres') q = q.forUpdate();
      const row = await q.executeTakeFirst();
      if (row) return row;
      if (round >= 5) throw new Error('attempt counter row vanished repeatedly');
    }
  }

  #locked(until: Date, now: Date, what: string): VowError {
    const seconds = Math.max(1, Math.ceil((until.getTime() - now.getTime()) / 1000));
    return new VowError('VOW_LOCKED_OUT', `Too many failed ${what}; try again in ${seconds} seconds`, {
      retryAfterSeconds: seconds,
    });
  }

  /** Failures still inside the row's window (0 once the window is over). */
  #live(row: Row, windowMs: number, now: Date): number {
    return new Date(row.window_started_at).getTime() + windowMs <= now.getTime() ? 0 : Number(row.failures);
  }

  /** Counts one failure in advance; locks (with back-off) when it reaches the policy's limit. */
  async #reserve(trx: Trx, row: Row, policy: AttemptPolicy, now: Date): Promise<void> {
    const live = this.#live(row, policy.windowMs, now);
    const failures = live + 1;
    const windowStart = live === 0 ? now.toISOString() : row.window_started_at;
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
        .where('key', '=', row.key)
        .execute();
      return;
    }
    await trx
      .updateTable('attempt_counters')
      .set({ failures, window_started_at: windowStart })
      .where('key', '=', row.key)
      .execute();
  }

  #sweep(now: Date): void {
    if (++this.#calls % SWEEP_EVERY !== 0) return;
    const old = new Date(now.getTime() - 2 * 24 * HOUR).toISOString();
    void this.#ctx.store.db
      .deleteFrom('attempt_counters')
      .where('window_started_at', '<', old)
      .where((eb) => eb.or([eb('locked_until', 'is', null), eb('locked_until', '<', now.toISOString())]))
      .where('lockouts', '=', 0)
      .execute()
      .catch(() => {});
    // Mail budgets whose hour is over count nothing: one may be all that is left of an erased
    // person's mail (erasure.ts), so it goes at the next sweep rather than in two days.
    const [from, to] = keysStartingWith('mail:');
    void this.#ctx.store.db
      .deleteFrom('attempt_counters')
      .where('key', '>=', from)
      .where('key', '<', to)
      .where('window_started_at', '<=', new Date(now.getTime() - MAIL_BUDGET.windowMs).toISOString())
      .execute()
      .catch(() => {});
  }

  /**
   * Reserves one guess at a target's secret from one client address; throws VOW_LOCKED_OUT when
   * this address is locked out of the target, or when the target is under attack and this address
   * has failed on it before. Check the secret only after this returns.
   */
  async begin(g: Guard, what = 'attempts'): Promise<Attempt> {
    const now = this.#ctx.clock.now();
    const nowIso = now.toISOString();
    const pairKey = `${g.target}@${g.client}`;
    this.#sweep(now);
    await this.#ctx.store.db.transaction().execute(async (trx) => {
      // Always in this order (pair, then target), so two reservations never wait on each other.
      const pair = await this.#hold(trx, pairKey, nowIso);
      const target = await this.#hold(trx, g.target, nowIso);
      if (pair.locked_until && pair.locked_until > nowIso)
        throw this.#locked(new Date(pair.locked_until), now, what);
      const hasFailed = this.#live(pair, g.pair.windowMs, now) > 0 || Number(pair.lockouts) > 0;
      const targetFailures = this.#live(target, g.throttle.windowMs, now);
      if (hasFailed && targetFailures >= g.throttle.maxFailures) {
        const windowEnd = new Date(new Date(target.window_started_at).getTime() + g.throttle.windowMs);
        throw this.#locked(windowEnd, now, what);
      }
      await this.#reserve(trx, pair, g.pair, now);
      // The throttle counts failures only (it never locks by itself).
      await trx
        .updateTable('attempt_counters')
        .set({
          failures: targetFailures + 1,
          window_started_at: targetFailures === 0 ? nowIso : target.window_started_at,
        })
        .where('key', '=', g.target)
        .execute();
    });
    return {
      succeeded: async () => {
        await this.#ctx.store.db.transaction().execute(async (trx) => {
          // The address is forgiven; the target's count gives this attempt back (its row stays for
          // the sweep: deleting it under a reservation waiting for it would only make that one retry).
          await trx.deleteFrom('attempt_counters').where('key', '=', pairKey).execute();
          const target = await this.#hold(trx, g.target, this.#ctx.clock.now().toISOString());
          await trx
            .updateTable('attempt_counters')
            .set({ failures: Math.max(0, Number(target.failures) - 1) })
            .where('key', '=', g.target)
            .execute();
        });
      },
    };
  }

  /**
   * Reserves a guess at an account's password (`target`: its lock-out target) from client address
   * `from` under the log-in limits (VOW_LOCKED_OUT when refused), then checks it against `hash`. An
   * unknown account (no hash) costs the same hashing and never matches.
   */
  async checkPassword(
    target: string,
    from: string,
    hash: string | undefined,
    password: string,
  ): Promise<boolean> {
    const attempt = await this.begin(
      { target, client: this.client(from), pair: LOGIN_PAIR, throttle: LOGIN_THROTTLE },
      'password attempts',
    );
    const ok = await verifyPassword(hash ?? (await dummyPasswordHash(this.#ctx.random)), password);
    if (ok && hash !== undefined) await attempt.succeeded();
    return ok && hash !== undefined;
  }

  /** Reserves one guess on a single key (a TOTP code); VOW_LOCKED_OUT while it is locked. */
  async beginSingle(key: string, policy: AttemptPolicy, what = 'codes'): Promise<Attempt> {
    const now = this.#ctx.clock.now();
    await this.#ctx.store.db.transaction().execute(async (trx) => {
      const row = await this.#hold(trx, key, now.toISOString());
      if (row.locked_until && row.locked_until > now.toISOString())
        throw this.#locked(new Date(row.locked_until), now, what);
      await this.#reserve(trx, row, policy, now);
    });
    return {
      succeeded: async () => {
        await this.#ctx.store.db.deleteFrom('attempt_counters').where('key', '=', key).execute();
      },
    };
  }

  /**
   * Uses one unit of a budget (e.g. `mail:<email index>`); VOW_RATE_LIMITED once it is spent. Given
   * `within`, the unit is spent in that transaction (undone with it when it rolls back).
   */
  async spend(key: string, budget: Budget, what = 'messages to this address', within?: Trx): Promise<void> {
    const now = this.#ctx.clock.now();
    const nowIso = now.toISOString();
    const run = (body: (trx: Trx) => Promise<void>) =>
      within ? body(within) : this.#ctx.store.db.transaction().execute(body);
    await run(async (trx) => {
      const row = await this.#hold(trx, key, nowIso);
      const used = this.#live(row, budget.windowMs, now);
      if (used >= budget.max) {
        const seconds = Math.max(
          1,
          Math.ceil((new Date(row.window_started_at).getTime() + budget.windowMs - now.getTime()) / 1000),
        );
        throw new VowError('VOW_RATE_LIMITED', `Too many ${what}; retry in ${seconds} seconds`, {
          retryAfterSeconds: seconds,
        });
      }
      await trx
        .updateTable('attempt_counters')
        .set({ failures: used + 1, window_started_at: used === 0 ? nowIso : row.window_started_at })
        .where('key', '=', key)
        .execute();
    });
  }

  /**
   * Spends one message of the mail budget of the mailbox an address delivers to (MAIL_BUDGET;
   * VOW_RATE_LIMITED once spent): `ann+1@` and `ann@` spend one budget. The budget is the mailbox's,
   * not any one person's, and nothing ties it to the address as written: a person's erasure leaves
   * a running count (docs/security.md, "Mail budget"; src/modules/identity/erasure.ts).
   */
  async spendMailBudget(
    token: (value: string) => string,
    indexes: MailboxIndexes,
    within?: Trx,
  ): Promise<void> {
    await this.spend(mailBudgetTarget(token, indexes.mailbox), MAIL_BUDGET, undefined, within);
  }

  /** Forgets every count of a target and its pairs (a password reset proved the owner). */
  async forgive(target: string): Promise<void> {
    await this.#ctx.store.db
      .deleteFrom('attempt_counters')
      .where((eb) => targetAndPairs(eb, target))
      .execute();
  }
}
