// The consent service: applies the policy's channel rules to collections, records unsubscribes,
// staff suppressions and SMS keywords, and answers where a person stands. Every change is one
// ledger event + the consent_state row + an audit entry, in one transaction. SMS keywords are
// handled in sms-keywords.ts and unsubscribe links in unsubscribe-links.ts, through this service's
// `record` and `unsubscribe`.
import type { Transaction } from 'kysely';
import type { IndexKind } from '../../platform/crypto/index.js';
import type { Database, InsertSet } from '../../platform/store/index.js';
import type { ChannelState, SubjectStateProvider } from '../decisions/index.js';
import type { VowContext } from '../policy/index.js';
import {
  assertChannel,
  collectionChanges,
  liftsSuppression,
  type PlannedEvent,
  planCollection,
} from './collection-rules.js';
import { auditOf } from './consent-audit.js';
import type {
  ConsentCause,
  ConsentChange,
  KindsAt,
  PlannedChoice,
  RecordCollectionInput,
} from './consent-inputs.js';
import { type Executor, inTransaction, lockPeople } from './consent-locks.js';
import { addListEntries } from './identifier-locks.js';
import {
  kindsAtCollectionPoint,
  type PersonSuppression,
  suppressedAmong,
  suppressionsOf,
} from './identifiers.js';
import {
  appendConsentEvent,
  type ConsentEventRow,
  consentHistory,
  type StoredChannelState,
  storedStates,
  storedStatesOf,
} from './ledger.js';
import { channelsCovered, covers } from './list-coverage.js';
import {
  type ConsentBatchListener,
  type ConsentListener,
  type ConsentReadAhead,
  SmsFlags,
  type SmsInboundResult,
} from './sms-flags.js';
import { smsInbound, smsKeyword } from './sms-keywords.js';
import {
  applySuppressionList,
  type ListEntryInput,
  type ListedIdentifier,
  suppressIdentifiers,
} from './suppression-list.js';
import { type BatchIdentifier, SuppressionsAhead } from './suppressions-ahead.js';
import { describeToken, unsubscribeByToken } from './unsubscribe-links.js';
import { writeChanges } from './write-changes.js';

export type {
  ConsentCause,
  ConsentChange,
  KindsAt,
  PlannedChoice,
  RecordCollectionInput,
} from './consent-inputs.js';

export class ConsentService {
  readonly #ctx: VowContext;
  readonly #kindsAt: KindsAt;
  readonly #listeners: ConsentListener[] = [];
  /** Ambiguous SMS replies waiting for staff. */
  readonly smsFlags: SmsFlags;
  readonly #readAhead: ConsentReadAhead[] = [];
  /** Who writeChanges tells of a batch's events: each listener, or its batch form. */
  readonly #told = { listeners: [] as ConsentBatchListener[], readAhead: this.#readAhead };
  /**
   * Adds a listener called inside the transaction of every consent event recorded; with `ahead`,
   * also told of a batch's events before they are written (ConsentReadAhead); with `batch`, told
   * of a batch's events at once instead of one by one.
   */
  listen = (listener: ConsentListener, ahead?: ConsentReadAhead, batch?: ConsentBatchListener): void => {
    this.#listeners.push(listener);
    this.#told.listeners.push(
      batch ??
        (async (trx, changes) => {
          for (const change of changes) await listener(trx, change);
        }),
    );
    if (ahead) this.#readAhead.push(ahead);
  };

  constructor(ctx: VowContext, options: { kindsAt?: KindsAt } = {}) {
    this.smsFlags = new SmsFlags(ctx, (index, cause) => this.smsKeyword(index, 'stop', cause));
    this.#ctx = ctx;
    this.#kindsAt = options.kindsAt ?? kindsAtCollectionPoint;
  }

  #inTransaction<T>(db: Executor | undefined, fn: (trx: Transaction<Database>) => Promise<T>): Promise<T> {
    return inTransaction(this.#ctx, db, fn);
  }

  /**
   * Refuses (VOW_SUBJECT_SHREDDED) a change of a person whose erasure began after the caller found
   * them: ordered against the erasure (the vault's closedAmong), so no consent row of theirs
   * outlives it. A visitor (`visitor:<id>`) has no data key.
   */
  async #assertOpen(trx: Transaction<Database>, subjectRef: string): Promise<void> {
    if (!subjectRef.startsWith('visitor:')) await this.#ctx.vault.assertOpen(trx, [subjectRef]);
  }

  /**
   * Records one change: ledger event, consent_state, audit entry, all in one transaction.
   * Returns the event id. VOW_SUBJECT_SHREDDED for a person whose erasure began meanwhile.
   */
  async record(db: Executor | undefined, change: ConsentChange): Promise<string> {
    assertChannel(this.#ctx.policy, change.channel);
    return this.#inTransaction(db, async (trx) => {
      await this.#assertOpen(trx, change.subjectRef);
      const at = change.at ?? this.#ctx.clock.now();
      const id = await appendConsentEvent(trx, this.#ctx.random, {
        subjectRef: change.subjectRef,
        channel: change.channel,
        event: change.event,
        cause: change.cause,
        at,
        policyVersion: this.#ctx.policy.version,
        ...(change.details ? { details: change.details } : {}),
      });
      await this.#ctx.audit.record(auditOf(change, { id, at }), trx);
      for (const listener of this.#listeners)
        await listener(trx, { subjectRef: change.subjectRef, channel: change.channel, event: change.event });
      return id;
    });
  }

  /**
   * `record` for many changes in order, in the caller's transaction, with the same events, audit
   * entries and listener calls, in a few statements (write-changes.ts); the events' ids.
   * VOW_SUBJECT_SHREDDED (nothing written) when an erasure began for any of their people, but for
   * those in `checkedOpen`: the caller read them open in this transaction (the vault's closedAmong,
   * whose shared row locks keep an erasure from closing their keys until it commits).
   */
  async recordMany(
    trx: Transaction<Database>,
    changes: readonly ConsentChange[],
    checkedOpen?: ReadonlySet<string>,
  ): Promise<string[]> {
    for (const c of changes) assertChannel(this.#ctx.policy, c.channel);
    const people = new Set(
      changes.map((c) => c.subjectRef).filter((ref) => !ref.startsWith('visitor:') && !checkedOpen?.has(ref)),
    );
    if (people.size > 0) await this.#ctx.vault.assertOpen(trx, [...people]);
    return writeChanges(this.#ctx, trx, changes, this.#told);
  }

  /**
   * Records a choice made by one person or visitor at once on several channels (a cookie banner
   * choice, a GPC signal): under the per-person lock, `plan` reads their history and says which
   * events to append; the events and one audit entry for the whole choice are written in one
   * transaction. Returns the channels changed and the history after the choice.
   */
  async recordChoice(
    subjectRef: string,
    plan: (history: readonly ConsentEventRow[]) => PlannedChoice,
  ): Promise<{ changed: string[]; history: ConsentEventRow[] }> {
    return this.#inTransaction(undefined, async (trx) => {
      await this.#assertOpen(trx, subjectRef);
      await lockPeople(this.#ctx, trx, [subjectRef]);
      const decided = plan(await consentHistory(trx, subjectRef));
      const at = this.#ctx.clock.now();
      const events: { id: string; channel: string; event: string }[] = [];
      for (const c of decided.changes) {
        assertChannel(this.#ctx.policy, c.channel);
        const id = await appendConsentEvent(trx, this.#ctx.random, {
          subjectRef,
          channel: c.channel,
          event: c.event,
          cause: c.cause,
          at,
          policyVersion: this.#ctx.policy.version,
          ...(c.details ? { details: c.details } : {}),
        });
        events.push({ id, channel: c.channel, event: c.event });
      }
      const changed = decided.changes.map((c) => c.channel);
      // The entry names the events it wrote (ids, channels, kinds and their time), so the promise
      // monitor compares the choice with the ledger event by event (P13, audit.ledger_matches).
      if (changed.length > 0)
        await this.#ctx.audit.record(
          {
            ...decided.audit,
            details: { ...decided.audit.details, events, eventAt: at.toISOString() },
          },
          trx,
        );
      return { changed, history: await consentHistory(trx, subjectRef) };
    });
  }

  /**
   * Applies the policy's enrolled_by / granted_by / re_enrolled_by rules to one collection
   * (P8, P9, P11, P12). Call it inside the transaction that stored the collection.
   */
  async recordCollection(trx: Executor, input: RecordCollectionInput): Promise<PlannedEvent[]> {
    const kinds = input.kinds ?? (await this.#kindsAt(trx, input.subjectId, input.collectionPoint));
    await lockPeople(this.#ctx, trx, [input.subjectId]);
    const current = await storedStates(trx, input.subjectId);
    const planned = planCollection(this.#ctx.policy, {
      collectionPoint: input.collectionPoint,
      optIns: input.optIns,
      kinds,
      current,
    });
    const suppressions = planned.length > 0 ? await suppressionsOf(trx, input.subjectId) : [];
    const recorded: PlannedEvent[] = [];
    for (const p of planned) {
      const covering = suppressions.filter((s) => covers(this.#ctx.policy, s, p.channel));
      const details = {
        rule: p.rule,
        ...(input.recordId ? { recordId: input.recordId } : {}),
        ...(input.evidence ? { source: input.evidence } : {}),
      };
      if (covering.length > 0 && !liftsSuppression(this.#ctx.policy, input.collectionPoint, p)) {
        // The address was put on the suppression list (a deletion): an automatic enrolment does not
        // bring it back. Recorded, so the history, decide() and the audiences all say "not enrolled".
        await this.record(trx, {
          subjectRef: input.subjectId,
          channel: p.channel,
          event: 'withdrawn',
          cause: { type: 'request', ref: 'suppression_list' },
          at: input.at,
          details: { ...details, blockedBy: 'suppression_list' },
          reason:
            'The address is on the suppression list; only a new contest entry or request lifts it (P11)',
        });
        continue;
      }
      if (covering.length > 0) await this.#lift(trx, covering, p.channel, input.collectionPoint);
      await this.record(trx, {
        subjectRef: input.subjectId,
        channel: p.channel,
        event: p.event,
        cause: { type: 'collection_point', ref: input.collectionPoint },
        at: input.at,
        details: covering.length > 0 ? { ...details, liftedSuppression: true } : details,
      });
      recorded.push(p);
    }
    return recorded;
  }

  /**
   * `recordCollection` for a batch of collections (in order) inside the transaction that stored
   * them, with the same rules and the same events, audit entries and listeners, in a few statements:
   * the people's states and suppressions are read once for the batch, and the events, states and
   * audit entries written in multi-row statements. A person an earlier collection of the batch
   * changed is planned from that change. People with a suppression entry go one by one through
   * `recordCollection` (its lifting and blocking rules), after the others. The caller's transaction
   * has checked that no erasure closed these people's keys (the subjects module's linkMany does).
   */
  async recordCollections(
    trx: Transaction<Database>,
    inputs: readonly RecordCollectionInput[],
    ahead?: object,
  ): Promise<void> {
    if (inputs.length === 0) return;
    const people = [...new Set(inputs.map((i) => i.subjectId))];
    // People this transaction created have no state yet, and no other transaction can name them.
    const created = new Set(inputs.flatMap((i) => (i.newPerson ? [i.subjectId] : [])));
    const known = created.size === 0 ? people : people.filter((p) => !created.has(p));
    await lockPeople(this.#ctx, trx, known);
    const states =
      known.length === 0
        ? new Map<string, Record<string, StoredChannelState>>()
        : await storedStatesOf(trx, this.#ctx.store.dialect, known);
    // The people this batch created, from the read that rode with their rows (SuppressionsAhead);
    // the people found again read now, after their lock: another transaction may have given them
    // an address on the list since that statement's snapshot.
    const fresh =
      ahead instanceof SuppressionsAhead
        ? ahead.among(inputs.filter((i) => created.has(i.subjectId)))
        : undefined;
    const suppressed =
      fresh === undefined
        ? await suppressedAmong(trx, this.#ctx.store.dialect, people)
        : known.length === 0
          ? fresh
          : new Set([...fresh, ...(await suppressedAmong(trx, this.#ctx.store.dialect, known))]);
    const changes: ConsentChange[] = [];
    const slow: RecordCollectionInput[] = [];
    for (const input of inputs) {
      if (suppressed.has(input.subjectId)) {
        slow.push(input);
        continue;
      }
      const current = states.get(input.subjectId) ?? {};
      states.set(input.subjectId, current);
      const kinds = input.kinds ?? (await this.#kindsAt(trx, input.subjectId, input.collectionPoint));
      changes.push(...collectionChanges(this.#ctx.policy, { ...input, kinds }, current));
    }
    // The new people's read again, now that the batch holds their identifiers' locks (suppressions-ahead.ts).
    const confirm =
      fresh === undefined ? undefined : (first: InsertSet) => (ahead as SuppressionsAhead).confirm(first);
    await writeChanges(this.#ctx, trx, changes, this.#told, confirm);
    for (const input of slow) await this.recordCollection(trx, input);
  }

  /**
   * Before a batch's people and records are written with `set` (PostgreSQL): adds the reads of the
   * suppression list that recordCollections would send after them for the people the batch creates
   * (SuppressionsAhead), to pass to it. `identifiers`: every identifier of those people; `written`:
   * every identifier the batch writes, whose locks the set takes first (identifier-locks.ts). The
   * people found again are still read after their lock. On SQLite, where a read is a call in the
   * process, nothing (recordCollections reads after the rows).
   */
  readAhead(
    trx: Transaction<Database>,
    set: InsertSet,
    identifiers: readonly BatchIdentifier[],
    written?: readonly BatchIdentifier[],
  ): object | undefined {
    if (this.#ctx.store.dialect !== 'postgres') return undefined;
    return new SuppressionsAhead(trx, this.#ctx.store.dialect, set, identifiers, written);
  }

  /**
   * Lifts the suppression of the person's addresses for one channel (a P11 act: a new contest entry
   * or promotional request). An entry for every channel ('*') is replaced by one per other channel
   * it covered (its medium's: list-coverage.ts), so those stay suppressed and no other is.
   */
  async #lift(trx: Executor, covering: readonly PersonSuppression[], channel: string, point: string) {
    // The entries kept for the other channels were covered already: no new withdrawal, no lock.
    for (const s of covering) {
      await trx.deleteFrom('suppression_list').where('id', '=', s.id).execute();
      if (s.channel !== '*') continue;
      const others = channelsCovered(this.#ctx.policy, s).filter((c) => c !== channel);
      if (others.length === 0) continue;
      const reason = `kept from an entry for every channel, lifted for ${channel}`;
      await addListEntries(this.#ctx, trx, s.indexKind, s.blindIndex, others, reason);
    }
    await this.#ctx.audit.record(
      {
        actor: { type: 'system' },
        action: 'consent.suppression_lifted',
        details: { channel, collectionPoint: point, entries: covering.length },
        reason: 'The person entered a contest or asked for promotional material again (P11)',
      },
      trx as Transaction<Database>,
    );
  }

  /**
   * The person unsubscribes from a channel (P10, P11): permanent until a point in the channel's
   * re_enrolled_by. Idempotent: returns false when they were already off the channel.
   */
  async unsubscribe(
    db: Executor | undefined,
    input: { subjectId: string; channel: string; cause: ConsentCause; at?: Date },
  ): Promise<boolean> {
    assertChannel(this.#ctx.policy, input.channel);
    return this.#inTransaction(db, async (trx) => {
      await lockPeople(this.#ctx, trx, [input.subjectId]);
      const now = (await storedStates(trx, input.subjectId))[input.channel];
      if (now?.state === 'withdrawn') return false;
      await this.record(trx, {
        subjectRef: input.subjectId,
        channel: input.channel,
        event: 'unsubscribed',
        cause: input.cause,
        ...(input.at ? { at: input.at } : {}),
      });
      return true;
    });
  }

  /** Where an unsubscribe link leads (for the confirmation page): the channel, and whether already off it. */
  describeToken(token: string): Promise<{ channel: string; unsubscribed: boolean }> {
    return describeToken(this.#ctx, token);
  }

  /** One-click unsubscribe (RFC 8058) from every email marketing channel: see unsubscribe-links.ts. */
  unsubscribeByToken(token: string): Promise<{ channel: string; changed: boolean; withdrawn: string[] }> {
    return unsubscribeByToken(this.#ctx, this, token);
  }

  /**
   * Staff remove a person from a channel (P12: "contact customer service to be removed"). Only the
   * person's explicit ask lifts it (see collection-rules.ts). Idempotent.
   */
  async suppress(
    db: Executor | undefined,
    input: { subjectId: string; channel: string; staffId?: string | undefined; reason: string; at?: Date },
  ): Promise<{ eventId: string | null; alreadySuppressed: boolean }> {
    assertChannel(this.#ctx.policy, input.channel);
    return this.#inTransaction(db, async (trx) => {
      await lockPeople(this.#ctx, trx, [input.subjectId]);
      const now = (await storedStates(trx, input.subjectId))[input.channel];
      if (now?.lastEvent === 'suppressed') return { eventId: null, alreadySuppressed: true };
      const eventId = await this.record(trx, {
        subjectRef: input.subjectId,
        channel: input.channel,
        event: 'suppressed',
        cause: { type: 'staff', staffId: input.staffId },
        reason: input.reason,
        ...(input.at ? { at: input.at } : {}),
      });
      return { eventId, alreadySuppressed: false };
    });
  }

  /**
   * Keeps a keyed hash of an identifier (an email or phone) on the suppression list (e.g. after a
   * deletion, so the address is never mailed again), for `channel` ('*', the default: every
   * channel its medium reaches, list-coverage.ts) or each of `channels`. On PostgreSQL it first
   * takes the identifier's lock (identifier-locks.ts), held until the caller's transaction ends: a
   * caller that then looks for the people holding it finds those of a batch writing it now, and a
   * batch that starts after reads the entry. Without `db`, in a transaction of its own.
   */
  suppressIdentifier(db: Executor | undefined, input: ListEntryInput): Promise<void> {
    return this.suppressIdentifiers(db, [input]);
  }

  /** `suppressIdentifier` for several identifiers, all their locks taken in one statement, in order (suppression-list.ts). */
  suppressIdentifiers(db: Executor | undefined, inputs: readonly ListEntryInput[]): Promise<void> {
    return this.#inTransaction(db, (trx) => suppressIdentifiers(this.#ctx, trx, inputs));
  }

  /**
   * Withdraws the person from the channels the suppression list covers for `identifiers`, the
   * addresses a correction gave them, where they hold one now (suppression-list.ts); the number of
   * events recorded.
   */
  applySuppressionList(
    db: Executor | undefined,
    subjectId: string,
    identifiers: readonly ListedIdentifier[],
    details?: Readonly<Record<string, unknown>>,
  ): Promise<{ events: number }> {
    const record = (trx: Transaction<Database>, change: ConsentChange) => this.record(trx, change);
    return this.#inTransaction(db, (trx) =>
      applySuppressionList(this.#ctx, record, trx, subjectId, identifiers, details),
    );
  }

  /** Whether an identifier's keyed hash is on the suppression list for a channel (list-coverage.ts). */
  async isIdentifierSuppressed(indexKind: IndexKind, blindIndex: string, channel: string): Promise<boolean> {
    const everyChannel = covers(this.#ctx.policy, { indexKind, channel: '*' }, channel);
    const row = await this.#ctx.store.db
      .selectFrom('suppression_list')
      .select('id')
      .where('index_kind', '=', indexKind)
      .where('blind_index', '=', blindIndex)
      .where('channel', 'in', everyChannel ? [channel, '*'] : [channel])
      .executeTakeFirst();
    return row !== undefined;
  }

  /** A text received by the SMS gateway (STOP, START, HELP): see sms-keywords.ts. */
  smsInbound(input: { from: string; body: string }): Promise<SmsInboundResult> {
    return smsInbound(this.#ctx, this, input);
  }

  /** STOP (or START) for every person with this phone number: see sms-keywords.ts. */
  smsKeyword(index: string, kind: 'stop' | 'start', cause: ConsentCause): Promise<SmsInboundResult> {
    return smsKeyword(this.#ctx, this, index, kind, cause);
  }

  /** Where a person (or `visitor:<index>`) stands per channel. */
  async states(subjectRef: string, db?: Executor): Promise<Record<string, ChannelState>> {
    const stored = await storedStates(db ?? this.#ctx.store.db, subjectRef);
    return Object.fromEntries(Object.entries(stored).map(([c, s]) => [c, s.state]));
  }

  async storedStates(subjectRef: string, db?: Executor): Promise<Record<string, StoredChannelState>> {
    return storedStates(db ?? this.#ctx.store.db, subjectRef);
  }

  /** Every consent event of a person, oldest first. */
  history(subjectRef: string, db?: Executor): Promise<ConsentEventRow[]> {
    return consentHistory(db ?? this.#ctx.store.db, subjectRef);
  }

  /** Decision provider: the person's channel states, so decide() denies marketing to the unsubscribed. */
  readonly provider: SubjectStateProvider = async (subjectId) => {
    const channels = await this.states(subjectId);
    return Object.keys(channels).length > 0 ? { channels } : undefined;
  };
}
