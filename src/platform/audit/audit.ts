// The audit trail: append-only, each entry hash-chained to the one before, holding who, what,
// when and why, but never a personal value. `verify()` recomputes the chain and names the first
// broken link, so an edited or deleted row is found.
import { createHash } from 'node:crypto';
import type { Kysely, Transaction } from 'kysely';
import { canonicalJson } from '../canonical-json.js';
import type { Clock } from '../clock.js';
import { VowError } from '../errors.js';
import type { Database, DialectName, Store } from '../store/index.js';

export type ActorType = 'staff' | 'system' | 'subject' | 'service' | 'recipient';

export interface AuditEntry {
  readonly actor: { readonly type: ActorType; readonly id?: string | undefined };
  /** A dotted verb, e.g. `consent.unsubscribed`, `disclosure.sent`, `request.verified`. */
  readonly action: string;
  readonly target?: { readonly type: string; readonly id: string } | undefined;
  /** Why, in words a reviewer understands (never a personal value). */
  readonly reason?: string | undefined;
  /** Ids, counts, codes: anything but personal values. */
  readonly details?: Readonly<Record<string, unknown>> | undefined;
}

/** One row of the audit trail, as stored (the table's own type, so the two cannot drift). */
export type AuditRow = Database['audit_log'];

export type VerifyResult =
  | { ok: true; entries: number; head: string; anchors: number }
  | { ok: false; entries: number; brokenAt: number; problem: string; anchors: number };

// A guard, not a filter: catching an email or phone in an audit entry is a bug to fix at once.
const LOOKS_LIKE_EMAIL = /[^\s@]+@[^\s@]+\.[^\s@]+/;
// A phone-like run (digits, spaces, dots, dashes, brackets) standing on its own with at least 9
// digits. Runs glued to letters, digits or dashes are parts of ids (UUIDs, timestamps), not phones;
// a date (8 digits) is not a phone either.
const PHONE_RUN = /(?<![A-Za-z0-9-])\+?\d[\d ().-]{6,}\d(?![A-Za-z0-9-])/g;

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

function looksPersonal(value: string): boolean {
  if (UUID.test(value)) return false;
  if (LOOKS_LIKE_EMAIL.test(value)) return true;
  for (const m of value.matchAll(PHONE_RUN)) if (m[0].replace(/\D/g, '').length >= 9) return true;
  return false;
}

function assertNoPersonalValues(value: unknown, path = 'details'): void {
  if (typeof value === 'string') {
    if (looksPersonal(value)) {
      throw new VowError(
        'VOW_AUDIT_PERSONAL_DATA',
        `Audit ${path} looks like it holds a personal value; audit entries hold ids only`,
      );
    }
  } else if (Array.isArray(value)) {
    value.forEach((v, i) => {
      assertNoPersonalValues(v, `${path}[${i}]`);
    });
  } else if (value !== null && typeof value === 'object') {
    for (const [k, v] of Object.entries(value)) assertNoPersonalValues(v, `${path}.${k}`);
  }
}

export function hashEntry(prevHash: string, row: Omit<AuditRow, 'prev_hash' | 'hash'>): string {
  const body = canonicalJson({
    seq: row.seq,
    at: row.at,
    actor_type: row.actor_type,
    actor_id: row.actor_id,
    action: row.action,
    target_type: row.target_type,
    target_id: row.target_id,
    reason: row.reason,
    details: row.details,
  });
  return createHash('sha256').update(prevHash).update('\n').update(body).digest('hex');
}

export class AuditTrail {
  readonly #store: Store;
  readonly #clock: Clock;

  constructor(store: Store, clock: Clock) {
    this.#store = store;
    this.#clock = clock;
  }

  get dialect(): DialectName {
    return this.#store.dialect;
  }

  /**
   * Appends one entry. Pass the caller's transaction so the entry commits (or rolls back) with
   * the action it records.
   */
  async record(entry: AuditEntry, trx?: Transaction<Database>): Promise<number> {
    assertNoPersonalValues(entry.details ?? {});
    assertNoPersonalValues(entry.reason ?? '', 'reason');
    const run = async (tx: Kysely<Database>): Promise<number> => {
      let headQuery = tx.selectFrom('audit_head').select(['seq', 'hash']).where('id', '=', 1);
      if (this.#store.dialect === 'postgres') headQuery = headQuery.forUpdate();
      const head = await headQuery.executeTakeFirstOrThrow();
      const row = {
        seq: Number(head.seq) + 1,
        at: this.#clock.now().toISOString(),
        actor_type: entry.actor.type,
        actor_id: entry.actor.id ?? null,
        action: entry.action,
        target_type: entry.target?.type ?? null,
        target_id: entry.target?.id ?? null,
        reason: entry.reason ?? null,
        details: canonicalJson(entry.details ?? {}),
      };
      const hash = hashEntry(head.hash, row);
      await tx
        .insertInto('audit_log')
        .values({ ...row, prev_hash: head.hash, hash })
        .execute();
      await tx.updateTable('audit_head').set({ seq: row.seq, hash }).where('id', '=', 1).execute();
      return row.seq;
    };
    return trx ? run(trx) : this.#store.db.transaction().execute(run);
  }

  /** Entries in order, optionally for one target; values are ids only, so staff may read them. */
  async list(
    options: { targetType?: string; targetId?: string; afterSeq?: number; limit?: number } = {},
  ): Promise<AuditRow[]> {
    let q = this.#store.db.selectFrom('audit_log').selectAll().orderBy('seq', 'asc');
    if (options.targetType) q = q.where('target_type', '=', options.targetType);
    if (options.targetId) q = q.where('target_id', '=', options.targetId);
    if (options.afterSeq !== undefined) q = q.where('seq', '>', options.afterSeq);
    return (await q.limit(options.limit ?? 500).execute()) as AuditRow[];
  }

  /**
   * Records the chain head (seq and hash) in audit_anchors. Run periodically (`vow audit anchor`,
   * the `audit.anchor` job) and keep the printed line elsewhere too: a rewritten history then
   * disagrees with an anchor even if every hash in the table was recomputed.
   */
  /** The sequence number of the newest entry (0 for an empty trail). */
  async headSeq(): Promise<number> {
    const row = await this.#store.db
      .selectFrom('audit_head')
      .select('seq')
      .where('id', '=', 1)
      .executeTakeFirst();
    return Number(row?.seq ?? 0);
  }

  async anchor(): Promise<{ seq: number; hash: string; at: string }> {
    const head = await this.#store.db
      .selectFrom('audit_head')
      .select(['seq', 'hash'])
      .where('id', '=', 1)
      .executeTakeFirstOrThrow();
    const at = this.#clock.now().toISOString();
    const seq = Number(head.seq);
    await this.#store.db
      .insertInto('audit_anchors')
      .values({ seq, hash: head.hash, at })
      .onConflict((oc) => oc.column('seq').doNothing())
      .execute();
    return { seq, hash: head.hash, at };
  }

  /** Recomputes the whole chain and checks every anchor; names the first broken link. */
  async verify(): Promise<VerifyResult> {
    const result = await this.#verifyChain();
    const anchors = await this.#store.db
      .selectFrom('audit_anchors')
      .selectAll()
      .orderBy('seq', 'asc')
      .execute();
    if (!result.ok) return { ...result, anchors: anchors.length };
    for (const a of anchors) {
      const seq = Number(a.seq);
      if (seq === 0) {
        if (a.hash !== 'genesis')
          return {
            ok: false,
            entries: result.entries,
            brokenAt: 1,
            problem: 'anchor at 0 does not match',
            anchors: anchors.length,
          };
        continue;
      }
      const row = await this.#store.db
        .selectFrom('audit_log')
        .select('hash')
        .where('seq', '=', seq)
        .executeTakeFirst();
      if (!row || row.hash !== a.hash) {
        return {
          ok: false,
          entries: result.entries,
          brokenAt: seq,
          problem: `the entry does not match the anchor recorded at ${a.at} (history was rewritten)`,
          anchors: anchors.length,
        };
      }
    }
    return { ...result, anchors: anchors.length };
  }

  async #verifyChain(): Promise<
    | { ok: true; entries: number; head: string }
    | { ok: false; entries: number; brokenAt: number; problem: string }
  > {
    let prev = 'genesis';
    let expectedSeq = 1;
    let entries = 0;
    const pageSize = 1000;
    for (;;) {
      const page = (await this.#store.db
        .selectFrom('audit_log')
        .selectAll()
        .where('seq', '>=', expectedSeq)
        .orderBy('seq', 'asc')
        .limit(pageSize)
        .execute()) as AuditRow[];
      for (const row of page) {
        const seq = Number(row.seq);
        if (seq !== expectedSeq)
          return { ok: false, entries, brokenAt: expectedSeq, problem: `entry ${expectedSeq} is missing` };
        if (row.prev_hash !== prev)
          return { ok: false, entries, brokenAt: seq, problem: 'the link to the previous entry is broken' };
        const { prev_hash: _p, hash: _h, ...rest } = row;
        if (hashEntry(prev, { ...rest, seq }) !== row.hash) {
          return { ok: false, entries, brokenAt: seq, problem: 'the entry was changed after it was written' };
        }
        prev = row.hash;
        expectedSeq++;
        entries++;
      }
      if (page.length < pageSize) break;
    }
    const head = await this.#store.db
      .selectFrom('audit_head')
      .select(['seq', 'hash'])
      .where('id', '=', 1)
      .executeTakeFirstOrThrow();
    if (Number(head.seq) !== entries || head.hash !== prev) {
      return {
        ok: false,
        entries,
        brokenAt: entries + 1,
        problem: 'the chain head does not match the last entry (entries were removed)',
      };
    }
    return { ok: true, entries, head: prev };
  }
}
