// SMS replies that may revoke consent but are not plainly STOP ("remove me", "wrong number", a long
// text mentioning stop): flagged for staff rather than ignored (FCC 2024: revocation by any
// reasonable means). Staff decide: `revoke` withdraws marketing texts with the flag as evidence in
// the ledger and answers the one confirmation to send; `dismiss` changes nothing. The reply's text
// is sealed under the flag's own key and shredded once decided.
import type { Transaction } from 'kysely';
import type { Random } from '../../platform/clock.js';
import { VowError } from '../../platform/errors.js';
import type { Database, InsertSet } from '../../platform/store/index.js';
import type { VowContext } from '../policy/index.js';
import { subjectsByBlindIndex } from './identifiers.js';
import type { ConsentEventType } from './ledger.js';

export interface SmsInboundResult {
  /** `flagged`: a reply that may mean stop, waiting for staff (consent.smsFlags). */
  readonly action: 'stop' | 'start' | 'help' | 'ignored' | 'flagged';
  /** How many channel states changed. */
  readonly changed: number;
  /** The text the gateway sends back, or null for no reply. */
  readonly reply: string | null;
}

/** One consent event, as listeners are told of it. */
export interface ConsentChangeNotice {
  readonly subjectRef: string;
  readonly channel: string;
  readonly event: ConsentEventType;
}

/** Told of each consent event in its transaction (the downstream module's webhooks and opt-out tasks). */
export type ConsentListener = (trx: Transaction<Database>, change: ConsentChangeNotice) => Promise<void>;

/**
 * A listener told of a batch's events at once, in order, once they are written (ConsentService's
 * batch writes: a batch of collections, of imported opt-outs), instead of once an event.
 */
export type ConsentBatchListener = (
  trx: Transaction<Database>,
  changes: readonly ConsentChangeNotice[],
) => Promise<void>;

/**
 * Told of a batch's consent events before they are written (recordCollections), with the set that
 * writes their states and audit entries: a listener that will read in the same transaction when told
 * of them adds that read to the set (InsertSet.read), which then rides with those inserts (on
 * PostgreSQL in their statement, after the audit head was locked) instead of costing a round trip.
 */
export type ConsentReadAhead = (
  trx: Transaction<Database>,
  set: InsertSet,
  changes: readonly ConsentChangeNotice[],
) => void;

export interface SmsFlagView {
  readonly id: string;
  readonly subjectId: string | null;
  /** The reply's text (null once decided). */
  readonly text: string | null;
  readonly word: string;
  readonly status: 'open' | 'revoked' | 'dismissed';
  readonly receivedAt: string;
}

type Stop = (
  phoneIndex: string,
  cause: { type: 'staff'; ref: string; staffId: string },
) => Promise<{ changed: number; reply: string | null }>;

function newId(random: Random): string {
  return `smsf_${random.uuid().replaceAll('-', '')}`;
}

export class SmsFlags {
  readonly #ctx: VowContext;
  readonly #stop: Stop;

  constructor(ctx: VowContext, stop: Stop) {
    this.#ctx = ctx;
    this.#stop = stop;
  }

  async flag(phoneIndex: string, word: string, text: string): Promise<string> {
    const ctx = this.#ctx;
    const id = newId(ctx.random);
    const [subjectId] = await subjectsByBlindIndex(ctx.store.db, 'phone', phoneIndex);
    const sealed = await ctx.vault.encrypt(`sms-flag:${id}`, text);
    await ctx.store.db.transaction().execute(async (trx) => {
      await trx
        .insertInto('sms_flags')
        .values({
          id,
          phone_index: phoneIndex,
          subject_id: subjectId ?? null,
          sealed,
          word,
          status: 'open',
          received_at: ctx.clock.now().toISOString(),
          decided_at: null,
          decided_by: null,
        })
        .execute();
      await ctx.audit.record(
        {
          actor: { type: 'system' },
          action: 'sms.reply_flagged',
          target: { type: 'sms_flag', id },
          details: { word, known: subjectId !== undefined },
        },
        trx,
      );
    });
    return id;
  }

  async list(options: { open?: boolean } = {}): Promise<SmsFlagView[]> {
    let q = this.#ctx.store.db.selectFrom('sms_flags').selectAll().orderBy('received_at').orderBy('id');
    if (options.open) q = q.where('status', '=', 'open');
    const rows = await q.limit(200).execute();
    return Promise.all(
      rows.map(async (r) => ({
        id: r.id,
        subjectId: r.subject_id,
        text: r.sealed ? await this.#ctx.vault.decrypt(`sms-flag:${r.id}`, r.sealed) : null,
        word: r.word,
        status: r.status,
        receivedAt: r.received_at,
      })),
    );
  }

  /** Staff decide a flag; `revoke` answers the confirmation text for the gateway to send (null: none). */
  async decide(
    id: string,
    decision: 'revoke' | 'dismiss',
    staffId: string,
  ): Promise<{ status: 'revoked' | 'dismissed'; changed: number; reply: string | null }> {
    const ctx = this.#ctx;
    const now = ctx.clock.now().toISOString();
    const status = decision === 'revoke' ? 'revoked' : 'dismissed';
    const claimed = await ctx.store.db
      .updateTable('sms_flags')
      .set({ status, decided_at: now, decided_by: staffId, sealed: null })
      .where('id', '=', id)
      .where('status', '=', 'open')
      .returning(['phone_index'])
      .executeTakeFirst();
    if (!claimed) throw new VowError('VOW_SMS_FLAG_NOT_FOUND', 'No open flagged reply has this id');
    await ctx.vault.destroyKey(`sms-flag:${id}`);
    await ctx.audit.record({
      actor: { type: 'staff', id: staffId },
      action: `sms.flag_${status}`,
      target: { type: 'sms_flag', id },
    });
    if (decision === 'dismiss') return { status, changed: 0, reply: null };
    const r = await this.#stop(claimed.phone_index, { type: 'staff', ref: id, staffId });
    return { status, changed: r.changed, reply: r.reply };
  }
}
