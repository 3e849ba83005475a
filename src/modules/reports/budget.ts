// The privacy budget of each recipient: the ε of every release it received (the first receipt of
// a release costs its ε, a repeat nothing), summed per calendar ISO week of receipt (UTC) and over
// a rolling window of `lifetime_days`. A new receipt is allowed only when both sums stay within the
// policy's `budget_per_week` and `budget_lifetime`. Amounts are kept in thousandths of ε (integers).
import { type Kysely, sql, type Transaction } from 'kysely';
import type { Database, Store } from '../../platform/store/index.js';
import type { ReportSettings } from '../policy/index.js';
import { weekOf } from './periods.js';

type Db = Kysely<Database> | Transaction<Database>;

const DAY_MS = 86_400_000;

export interface BudgetStatus {
  /** The calendar ISO week of receipt the weekly budget counts (the week of `now`). */
  readonly week: string;
  /** ε received this week. */
  readonly spent: number;
  readonly limit: number;
  /** ε that may still be received now: the smaller of what is left this week and in the window. */
  readonly remaining: number;
  readonly lifetime: {
    readonly days: number;
    /** The window's start: receipts after this instant count. */
    readonly since: string;
    readonly spent: number;
    readonly limit: number;
    readonly remaining: number;
  };
}

/** The sums behind a status, in thousandths of ε. */
interface Spent {
  readonly weekMilli: number;
  readonly lifetimeMilli: number;
}

export function milli(epsilon: number): number {
  return Math.round(epsilon * 1000);
}

/** Advisory lock namespace of the per-recipient budget locks on PostgreSQL ("VRPT"). */
const BUDGET_LOCK_SPACE = 0x56525054;

export class BudgetLedger {
  readonly #store: Store;

  constructor(store: Store) {
    this.#store = store;
  }

  /**
   * Serialises the charges of one recipient across processes (PostgreSQL), until `trx` ends:
   * other recipients, repeats and refusals never wait for it. SQLite runs one write transaction at
   * a time already.
   */
  async lockRecipient(trx: Transaction<Database>, recipient: string): Promise<void> {
    if (this.#store.dialect !== 'postgres') return;
    await sql`select pg_advisory_xact_lock(${BUDGET_LOCK_SPACE}, hashtext(${recipient}))`.execute(trx);
  }

  async #spent(db: Db, recipient: string, now: Date, days: number): Promise<Spent> {
    const weekStart = weekOf(now).start.toISOString();
    const since = new Date(now.getTime() - days * DAY_MS).toISOString();
    const sum = async (after: string, strict: boolean): Promise<number> => {
      const row = await db
        .selectFrom('report_receipts')
        .select((eb) => eb.fn.sum<number | string | null>('epsilon_milli').as('spent'))
        .where('recipient', '=', recipient)
        .where('at', strict ? '>' : '>=', after)
        .executeTakeFirst();
      return Number(row?.spent ?? 0);
    };
    return { weekMilli: await sum(weekStart, false), lifetimeMilli: await sum(since, true) };
  }

  /** Where a recipient stands now. */
  async status(db: Db, recipient: string, now: Date, settings: ReportSettings): Promise<BudgetStatus> {
    return this.#present(await this.#spent(db, recipient, now, settings.lifetime_days), now, settings);
  }

  /**
   * Whether a receipt costing `costMilli` fits both budgets now; with the status it would leave
   * (when it fits) or the current one (when it does not).
   */
  async check(
    db: Db,
    recipient: string,
    costMilli: number,
    now: Date,
    settings: ReportSettings,
  ): Promise<{ fits: boolean; status: BudgetStatus; after: BudgetStatus }> {
    const spent = await this.#spent(db, recipient, now, settings.lifetime_days);
    const fits =
      spent.weekMilli + costMilli <= milli(settings.budget_per_week) &&
      spent.lifetimeMilli + costMilli <= milli(settings.budget_lifetime);
    const after = {
      weekMilli: spent.weekMilli + costMilli,
      lifetimeMilli: spent.lifetimeMilli + costMilli,
    };
    return {
      fits,
      status: this.#present(spent, now, settings),
      after: this.#present(after, now, settings),
    };
  }

  #present(spent: Spent, now: Date, settings: ReportSettings): BudgetStatus {
    const weekLimit = milli(settings.budget_per_week);
    const lifeLimit = milli(settings.budget_lifetime);
    const weekLeft = Math.max(0, weekLimit - spent.weekMilli);
    const lifeLeft = Math.max(0, lifeLimit - spent.lifetimeMilli);
    return {
      week: weekOf(now).period,
      spent: spent.weekMilli / 1000,
      limit: weekLimit / 1000,
      remaining: Math.min(weekLeft, lifeLeft) / 1000,
      lifetime: {
        days: settings.lifetime_days,
        since: new Date(now.getTime() - settings.lifetime_days * DAY_MS).toISOString(),
        spent: spent.lifetimeMilli / 1000,
        limit: lifeLimit / 1000,
        remaining: lifeLeft / 1000,
      },
    };
  }
}
