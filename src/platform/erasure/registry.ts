// The erasure registry: the one way Vow erases a person from its own store. Every part that holds
// personal data registers one eraser for its own tables (in the composition root, src/app/services.ts);
// a verified deletion (P22) and the under-13 purge (P14) both run every eraser in one transaction, so
// no module ever deletes another's rows and a new table is covered by registering it, not by editing
// the callers.
import type { Transaction } from 'kysely';
import type { Database } from '../store/index.js';

/**
 * - `purge`: a person known to be under 13 (P14): nothing collected about them is kept, under any
 *   exemption.
 * - `delete`: a verified deletion request (P22): the person's data goes, except what the policy's
 *   exemptions keep (order history, the suppression entry, the request log).
 */
export type ErasureMode = 'purge' | 'delete';

export interface ErasureRequest {
  readonly subjectId: string;
  readonly mode: ErasureMode;
  /** A deletion of everything, or of the chosen categories only (a purge is always everything). */
  readonly categories: 'all' | readonly string[];
  /** When the erasure happens (ISO 8601), for rows that record it. */
  readonly at: string;
  /**
   * The deletion request being fulfilled, if any: its own contact stays until its answer is sent
   * (the rights module forgets it right after).
   */
  readonly requestId?: string | undefined;
}

export interface ErasureOutcome {
  /** Rows deleted or emptied, per table. */
  readonly rows: Readonly<Record<string, number>>;
  /** Vault keys to destroy once the transaction has committed (crypto-shredding of every copy). */
  readonly destroyKeys?: readonly string[];
}

/** How a table's row names the person: a column of it, or a column naming a row of another table that does. */
export interface PersonLink {
  /** The column holding the person's subject id (or, with `via`, the key of a row of `via.table`). */
  readonly column: string;
  readonly via?: { readonly table: string; readonly key: string; readonly column: string };
}

/**
 * What becomes of a person's rows in one table when they are erased. Every table of Vow's store is
 * declared with exactly one fate (a test enumerates the schema), so a new table cannot be forgotten.
 * - `erased`: nothing of the person stays after a purge or a deletion of everything.
 * - `kept`: something stays, on a stated basis: a policy exemption (`exemption:<id>`) or a law.
 * - `impersonal`: the table holds nothing that names a customer (why says what it holds instead).
 */
export type TableFate =
  | { readonly fate: 'erased'; readonly person: PersonLink; readonly how: string }
  | {
      readonly fate: 'kept';
      readonly person: PersonLink | null;
      readonly what: string;
      readonly basis: string;
    }
  | { readonly fate: 'impersonal'; readonly why: string };

export interface Eraser {
  /** The part of Vow that owns the tables (a module or platform part name). */
  readonly owner: string;
  /** Every table the owner holds, with its fate; a table belongs to one owner only. */
  readonly tables: Readonly<Record<string, TableFate>>;
  /** Erases the person's rows in the owner's tables, inside the caller's transaction (absent for an
   * owner that holds nothing to erase). */
  erase?(trx: Transaction<Database>, request: ErasureRequest): Promise<ErasureOutcome>;
}

export interface ErasureReport {
  /** Rows changed, by `owner.table`. */
  readonly rows: Readonly<Record<string, number>>;
  /** Vault keys the caller destroys after commit (the person's own key is the caller's to destroy). */
  readonly destroyKeys: readonly string[];
}

export class ErasureRegistry {
  readonly #erasers: Eraser[] = [];

  /** Adds an owner's eraser; refuses a second eraser for an owner or a table. */
  register(eraser: Eraser): void {
    if (this.#erasers.some((e) => e.owner === eraser.owner))
      throw new Error(`An eraser for ${eraser.owner} is already registered`);
    for (const table of Object.keys(eraser.tables)) {
      const other = this.#erasers.find((e) => Object.hasOwn(e.tables, table));
      if (other) throw new Error(`Table ${table} is erased by both ${other.owner} and ${eraser.owner}`);
    }
    this.#erasers.push(eraser);
  }

  /** The registered erasers, in registration order. */
  get erasers(): readonly Eraser[] {
    return this.#erasers;
  }

  /** Every declared table with its owner and fate. */
  tables(): { table: string; owner: string; fate: TableFate }[] {
    return this.#erasers.flatMap((e) =>
      Object.entries(e.tables).map(([table, fate]) => ({ table, owner: e.owner, fate })),
    );
  }

  /** Runs every eraser for one person inside the caller's transaction. */
  async erase(trx: Transaction<Database>, request: ErasureRequest): Promise<ErasureReport> {
    const rows: Record<string, number> = {};
    const destroyKeys: string[] = [];
    for (const eraser of this.#erasers) {
      if (!eraser.erase) continue;
      const outcome = await eraser.erase(trx, request);
      for (const [table, n] of Object.entries(outcome.rows)) rows[`${eraser.owner}.${table}`] = n;
      destroyKeys.push(...(outcome.destroyKeys ?? []));
    }
    return { rows, destroyKeys };
  }
}

/** An eraser's answer when the request does not concern its tables. */
export const NOTHING_ERASED: ErasureOutcome = Object.freeze({ rows: Object.freeze({}) });

/** Counts what a Kysely delete or update changed (both dialects answer a bigint). */
export function changed(result: { numDeletedRows?: bigint; numUpdatedRows?: bigint }): number {
  return Number(result.numDeletedRows ?? result.numUpdatedRows ?? 0n);
}
