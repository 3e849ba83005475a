// What a kept console form (form-drafts.ts) and a kept console address (kept-addresses.ts) share: a
// row sealed (AES-256-GCM) under a key derived from a random secret that only the log-in page holds
// (a hidden field: never an address or a cookie; the row keeps the secret's hash), so the stored row
// opens with nothing the database holds; 15 minutes of life; deleted when taken, whoever takes it.
// Each caller adds its own rules (whose it is, how many may wait).

import { hash } from 'node:crypto';
import {
  issueSecret,
  openSealedText,
  parseSecret,
  sealWithKey,
  secretMatches,
} from '../../platform/crypto/index.js';
import type { VowContext } from '../policy/index.js';

/** How long a kept form or address waits for its owner to sign in again. */
export const FORM_DRAFT_TTL_MS = 15 * 60 * 1000;

/** The two tables of kept things; their columns are the same (migrations 0784 and 0791). */
export type KeepsTable = 'staff_form_drafts' | 'staff_kept_addresses';

export class SealedKeeps {
  readonly #ctx: VowContext;
  // Both tables have the same columns (staff_id nullable only in the second, which this type takes):
  // one name stands for the type of either.
  readonly #table: 'staff_kept_addresses';
  readonly #label: string;

  /** `label` names the key's derivation and the seal's associated data (`form-draft`, `kept-address`). */
  constructor(ctx: VowContext, table: KeepsTable, label: string) {
    this.#ctx = ctx;
    this.#table = table as 'staff_kept_addresses';
    this.#label = label;
  }

  #keyOf(secret: string): Buffer {
    return hash('sha256', `vow-${this.#label}\n${secret}`, 'buffer') as unknown as Buffer;
  }

  /**
   * Deletes the rows past their 15 minutes (no one came back for them); returns how many. Run before
   * each keep, by any erasure and by the quarter-hourly upkeep (src/app/services.ts), so none outlives
   * its 15 minutes by more than a quarter of an hour.
   */
  async forgetLapsed(): Promise<number> {
    const now = this.#ctx.clock.now().toISOString();
    const res = await this.#ctx.store.db
      .deleteFrom(this.#table)
      .where('expires_at', '<=', now)
      .executeTakeFirst();
    return Number(res.numDeletedRows);
  }

  /** Rows still within their 15 minutes kept for `owner` (null: for no one). */
  async live(owner: string | null): Promise<number> {
    const row = await this.#ctx.store.db
      .selectFrom(this.#table)
      .select((eb) => eb.fn.countAll<string | number>().as('n'))
      .where('staff_id', owner === null ? 'is' : '=', owner)
      .executeTakeFirstOrThrow();
    return Number(row.n);
  }

  /** Seals `value` for `owner`; returns the token the log-in page carries (never stored). */
  async keep(owner: string | null, value: unknown): Promise<string> {
    const now = this.#ctx.clock.now();
    const issued = issueSecret(this.#ctx.random);
    const secret = issued.token.slice(issued.id.length + 1);
    const sealed = sealWithKey(
      this.#keyOf(secret),
      Buffer.from(JSON.stringify(value), 'utf8'),
      `${this.#label}:${issued.id}`,
      this.#ctx.random.bytes(12),
    );
    await this.#ctx.store.db
      .insertInto(this.#table)
      .values({
        id: issued.id,
        secret_hash: issued.secretHash,
        staff_id: owner,
        sealed,
        created_at: now.toISOString(),
        expires_at: new Date(now.getTime() + FORM_DRAFT_TTL_MS).toISOString(),
      })
      .execute();
    return issued.token;
  }

  /**
   * What a token stands for and whose it is, if its secret matches and it has not expired. The row is
   * deleted whoever asks (someone else signing in at that desk ends it); of two sign-ins racing with
   * one token, one takes it.
   */
  async take<T>(token: string): Promise<{ owner: string | null; value: T } | undefined> {
    const parsed = parseSecret(token);
    if (!parsed) return undefined;
    const db = this.#ctx.store.db;
    const row = await db.selectFrom(this.#table).selectAll().where('id', '=', parsed.id).executeTakeFirst();
    if (!row || !secretMatches(parsed.secret, row.secret_hash)) return undefined;
    const gone = await db.deleteFrom(this.#table).where('id', '=', row.id).executeTakeFirst();
    if (Number(gone.numDeletedRows) !== 1) return undefined;
    if (row.expires_at <= this.#ctx.clock.now().toISOString()) return undefined;
    const value = JSON.parse(
      openSealedText(this.#keyOf(parsed.secret), row.sealed, `${this.#label}:${row.id}`),
    ) as T;
    return { owner: row.staff_id, value };
  }
}
