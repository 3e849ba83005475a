// The audit trail: append-only, each entry hash-chained to the one before, holding who, what,
// when and why, but never a personal value. `verify()` recomputes the chain and names the first
// broken link, so an edited or deleted row is found.
import { createHash } from 'node:crypto';
import type { Kysely, Transaction } from 'kysely';
import { canonicalJson } from '../canonical-json.js';
import { type Clock, cryptoRandom, type Random } from '../clock.js';
import { VowError } from '../errors.js';
import {
  claimMeta,
  type Database,
  type DialectName,
  InsertSet,
  readMeta,
  type Store,
} from '../store/index.js';
import { holdsContactShape } from '../strings.js';
import type { AnchorRecord, AnchorStore } from './anchor-store.js';

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

/** The chain head as `holdHead` read it (set once the set it rode with is flushed). */
export interface HeldHead {
  readonly head?: { readonly seq: number; readonly hash: string };
}

export type VerifyResult =
  | { ok: true; entries: number; head: string; anchors: number }
  | { ok: false; entries: number; brokenAt: number; problem: string; anchors: number };

// A guard, not a filter: catching an email or phone in an audit entry is a bug to fix at once.
// The rule is holdsContactShape's (strings.ts), the one every check of staff's reasons uses, so a
// reason those checks accept is one this accepts.
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

function looksPersonal(text: string): boolean {
  return !UUID.test(text) && holdsContactShape(text);
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

/** vow_meta key of the chain's id, which names this chain's lines in a shared anchor file. */
const CHAIN_KEY = 'audit.chain';

export class AuditTrail {
  readonly #store: Store;
  readonly #clock: Clock;
  readonly #anchors: AnchorStore | undefined;
  readonly #random: Random;

  /**
   * `anchors`: where anchors are also kept outside the database (the anchor file). `random` makes
   * the chain's id once; it is the platform's real randomness by default, never a test's seeded one,
   * so two stores never share an id in one anchor file.
   */
  constructor(store: Store, clock: Clock, anchors?: AnchorStore, random: Random = cryptoRandom) {
    this.#store = store;
    this.#clock = clock;
    this.#anchors = anchors;
    this.#random = random;
  }

  /** The anchor store outside the database, if one is configured. */
  get anchorStore(): AnchorStore | undefined {
    return this.#anchors;
  }

  /** This chain's id (made and kept in vow_meta on first use). */
  async chainId(): Promise<string> {
    const db = this.#store.db;
    const known = await readMeta(db, CHAIN_KEY);
    if (known) return known;
    await claimMeta(db, CHAIN_KEY, this.#random.uuid(), this.#clock.now());
    return (await readMeta(db, CHAIN_KEY)) ?? '';
  }

  /** Appends an anchor to the store outside the database (a head verified by the promise monitor, say). */
  async keepAnchor(anchor: { seq: number; hash: string; at: string }, by: string): Promise<void> {
    if (!this.#anchors || anchor.seq === 0) return;
    await this.#anchors.append({ chain: await this.chainId(), ...anchor, by });
  }

  /** This chain's anchors kept outside the database (none without an anchor store). */
  async keptAnchors(): Promise<{ anchors: AnchorRecord[]; unreadable: number }> {
    if (!this.#anchors) return { anchors: [], unreadable: 0 };
    return this.#anchors.read(await this.chainId());
  }

  get dialect(): DialectName {
    return this.#store.dialect;
  }

  /**
   * Appends one entry. Pass the caller's transaction so the entry commits (or rolls back) with
   * the action it records.
   */
  async record(entry: AuditEntry, trx?: Transaction<Database>): Promise<number> {
    return (await this.recordMany([entry], trx))[0]!;
  }

  /**
   * Appends entries in order, each chained to the one before as `record` would: the head is read
   * (and locked on PostgreSQL) once, the rows are written in multi-row statements and the head moved
   * once (a batch of collections records one entry per consent event this way). Returns their seqs.
   * With `set` (the caller's inserts in `trx`), the entries and the head's move join it: the head
   * is read and locked now, and written when the caller flushes the set, before its transaction
   * ends. With `held` (`holdHead`'s, in the same transaction), the head read and locked then.
   */
  async recordMany(
    entries: readonly AuditEntry[],
    trx?: Transaction<Database>,
    set?: InsertSet,
    held?: HeldHead,
  ): Promise<number[]> {
    if (entries.length === 0) return [];
    for (const entry of entries) {
      assertNoPersonalValues(entry.details ?? {});
      assertNoPersonalValues(entry.reason ?? '', 'reason');
    }
    const run = async (tx: Kysely<Database>): Promise<number[]> => {
      if (held && !held.head) throw new Error('recordMany: the held audit head was not read yet');
      const head = held?.head ?? (await this.#headQuery(tx).executeTakeFirstOrThrow());
      const at = this.#clock.now().toISOString();
      let seq = Number(head.seq);
      let prev = head.hash;
      const rows: AuditRow[] = [];
      for (const entry of entries) {
        const row = {
          seq: ++seq,
          at,
          actor_type: entry.actor.type,
          actor_id: entry.actor.id ?? null,
          action: entry.action,
          target_type: entry.target?.type ?? null,
          target_id: entry.target?.id ?? null,
          reason: entry.reason ?? null,
          details: canonicalJson(entry.details ?? {}),
        };
        const hash = hashEntry(prev, row);
        rows.push({ ...row, prev_hash: prev, hash });
        prev = hash;
      }
      // The caller's set only inside the caller's transaction.
      const writes = set && trx ? set : new InsertSet(tx, this.#store.dialect);
      writes.add('audit_log', rows);
      // The head row is there and locked: this insert moves it.
      writes.add('audit_head', [{ id: 1, seq, hash: prev }], {
        onConflictUpdate: { columns: ['id'], set: ['seq', 'hash'] },
      });
      if (writes !== set) await writes.flush();
      return rows.map((r) => r.seq);
    };
    return trx ? run(trx) : this.#store.db.transaction().execute(run);
  }

  /** The chain head's read, locking it on PostgreSQL until the transaction ends. */
  #headQuery(tx: Kysely<Database>) {
    const q = tx.selectFrom('audit_head').select(['seq', 'hash']).where('id', '=', 1);
    return this.#store.dialect === 'postgres' ? q.forUpdate() : q;
  }

  /**
   * The chain head read (and locked on PostgreSQL) by `set`'s next flush instead of by a statement
   * of its own: a caller that flushes a set in `trx` before recording (the consent events of a batch
   * of collections) passes the result to `recordMany` in the same transaction, after that flush.
   * The lock is then taken one statement earlier and held to the end of the transaction, as
   * `recordMany` holds it, so two writers at once still chain one after the other.
   */
  holdHead(trx: Transaction<Database>, set: InsertSet): HeldHead {
    const held: { head?: { seq: number; hash: string } } = {};
    set.read(this.#headQuery(trx), (rows) => {
      const row = rows[0];
      if (!row) throw new Error('The audit head is missing');
      held.head = { seq: Number(row.seq), hash: row.hash };
    });
    return held;
  }

  /**
   * Entries in order (oldest first, or `newestFirst`), optionally for one target, of one family of
   * actions (`request` for `request.*`) or by one actor; values are ids only, so staff may read them.
   */
  async list(
    options: {
      targetType?: string;
      targetId?: string;
      afterSeq?: number;
      beforeSeq?: number;
      family?: string | undefined;
      actorId?: string | undefined;
      newestFirst?: boolean;
      limit?: number;
    } = {},
  ): Promise<AuditRow[]> {
    let q = this.#store.db
      .selectFrom('audit_log')
      .selectAll()
      .orderBy('seq', options.newestFirst ? 'desc' : 'asc');
    if (options.targetType) q = q.where('target_type', '=', options.targetType);
    if (options.targetId) q = q.where('target_id', '=', options.targetId);
    if (options.afterSeq !== undefined) q = q.where('seq', '>', options.afterSeq);
    if (options.beforeSeq !== undefined) q = q.where('seq', '<', options.beforeSeq);
    // A family is a lower-case word (callers offer a fixed list); its '_' may match any one
    // character, which no other family's name differs by.
    if (options.family) q = q.where('action', 'like', `${options.family}.%`);
    if (options.actorId) q = q.where('actor_id', '=', options.actorId);
    return (await q.limit(options.limit ?? 500).execute()) as AuditRow[];
  }

  /** The sequence number of the newest entry (0 for an empty trail). */
  async headSeq(): Promise<number> {
    const row = await this.#store.db
      .selectFrom('audit_head')
      .select('seq')
      .where('id', '=', 1)
      .executeTakeFirst();
    return Number(row?.seq ?? 0);
  }

  /**
   * Records the chain head (seq and hash) in audit_anchors and in the anchor file. Run periodically
   * (`vow audit anchor`, the `audit.anchor` job): a rewritten history then disagrees with an anchor
   * even if every hash in the table was recomputed.
   */
  async anchor(by = 'job'): Promise<{ seq: number; hash: string; at: string }> {
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
    await this.keepAnchor({ seq, hash: head.hash, at }, by);
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
    const kept = await this.#verifyKept(result.entries, new Set(anchors.map((a) => Number(a.seq))));
    if (kept.problem)
      return {
        ok: false,
        entries: result.entries,
        brokenAt: kept.brokenAt,
        problem: kept.problem,
        anchors: anchors.length + kept.count,
      };
    return { ...result, anchors: anchors.length + kept.count };
  }

  /**
   * Checks the anchors kept outside the database against the chain: an anchor past the last entry
   * means entries were removed (truncated, or an older copy restored); an anchor whose entry differs
   * means history was rewritten, even if every hash in the database was recomputed.
   */
  async #verifyKept(
    entries: number,
    inDatabase: ReadonlySet<number>,
  ): Promise<{ count: number; brokenAt: number; problem?: string }> {
    const { anchors } = await this.keptAnchors();
    const checked = new Set<number>();
    for (const a of anchors) {
      if (a.seq > entries)
        return {
          count: anchors.length,
          brokenAt: entries + 1,
          problem: `the anchor file recorded entry ${a.seq} at ${a.at}, but the trail ends at ${entries} (entries were removed)`,
        };
      if (checked.has(a.seq)) continue;
      checked.add(a.seq);
      const row = await this.#store.db
        .selectFrom('audit_log')
        .select('hash')
        .where('seq', '=', a.seq)
        .executeTakeFirst();
      if (!row || row.hash !== a.hash)
        return {
          count: anchors.length,
          brokenAt: a.seq,
          problem: `the entry does not match the anchor file's record of ${a.at} (history was rewritten)`,
        };
    }
    // Database anchors since the file began (older ones predate it) must each be in the file.
    const since = Math.min(...anchors.map((a) => a.seq));
    if (anchors.length > 0)
      for (const seq of inDatabase)
        if (seq >= since && !checked.has(seq))
          return {
            count: anchors.length,
            brokenAt: seq,
            problem: 'an anchor in the database was never written to the anchor file (a forged anchor)',
          };
    return { count: anchors.length, brokenAt: 0 };
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
