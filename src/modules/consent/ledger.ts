// The consent ledger's core: append an event, read a person's history, derive where they stand.
// Events are never updated or deleted by Vow (only a deletion request erases a person's rows).
// consent_state is the ledger's fold, written with every event (appendConsentEvent).
import type { Kysely, Transaction } from 'kysely';
import { canonicalJson } from '../../platform/canonical-json.js';
import type { Random } from '../../platform/clock.js';
import {
  type Database,
  type DialectName,
  InsertSet,
  insertRows,
  isIn,
  listChunks,
} from '../../platform/store/index.js';
import type { ChannelState } from '../decisions/index.js';

export const CONSENT_EVENTS = [
  'enrolled',
  'consented',
  're_enrolled',
  'withdrawn',
  'unsubscribed',
  'suppressed',
] as const;
export type ConsentEventType = (typeof CONSENT_EVENTS)[number];

/** What caused an event: a form, a click on an unsubscribe link, a staff action, an SMS keyword... */
export const CAUSE_TYPES = [
  'collection_point',
  'link_click',
  'staff',
  'sms_keyword',
  'cookie_banner',
  'gpc',
  'api',
  'request',
  'mail_feedback',
] as const;
export type CauseType = (typeof CAUSE_TYPES)[number];

export interface NewConsentEvent {
  /** A subject id, or `visitor:<id>` for a site visitor known only by a cookie id. */
  readonly subjectRef: string;
  readonly channel: string;
  readonly event: ConsentEventType;
  readonly cause: {
    readonly type: CauseType;
    readonly ref?: string | undefined;
    readonly staffId?: string | undefined;
  };
  readonly at: Date;
  readonly policyVersion: string;
  /** Ids and codes only, never personal values. */
  readonly details?: Readonly<Record<string, unknown>>;
}

export interface ConsentEventRow {
  seq: number;
  id: string;
  subject_ref: string;
  channel: string;
  event: ConsentEventType;
  cause_type: CauseType;
  cause_ref: string | null;
  staff_id: string | null;
  at: string;
  policy_version: string;
  details: string;
}

type Executor = Kysely<Database> | Transaction<Database>;

/** The ledger row of a new event. */
function eventRow(random: Random, e: NewConsentEvent) {
  return {
    id: random.uuid(),
    subject_ref: e.subjectRef,
    channel: e.channel,
    event: e.event,
    cause_type: e.cause.type,
    cause_ref: e.cause.ref ?? null,
    staff_id: e.cause.staffId ?? null,
    at: e.at.toISOString(),
    policy_version: e.policyVersion,
    details: canonicalJson(e.details ?? {}),
  };
}

/**
 * Appends one event and, in the same transaction, moves consent_state to the state it leaves the
 * channel in (so audiences read one indexed table that always equals the fold of the ledger).
 * Pass the caller's transaction; given the plain database, it opens one of its own.
 */
export async function appendConsentEvent(db: Executor, random: Random, e: NewConsentEvent): Promise<string> {
  if (!db.isTransaction) {
    return (db as Kysely<Database>).transaction().execute((trx) => appendConsentEvent(trx, random, e));
  }
  const row = eventRow(random, e);
  const { id, at } = row;
  const inserted = await db
    .insertInto('consent_events')
    .values(row)
    .returning('seq')
    .executeTakeFirstOrThrow();
  const seq = Number(inserted.seq);
  const state = stateAfter(e.event);
  await db
    .insertInto('consent_state')
    .values({
      subject_ref: e.subjectRef,
      channel: e.channel,
      state,
      last_event: e.event,
      last_seq: seq,
      updated_at: at,
    })
    .onConflict((oc) =>
      oc
        .columns(['subject_ref', 'channel'])
        .doUpdateSet({ state, last_event: e.event, last_seq: seq, updated_at: at })
        // Only a later event moves the state (two concurrent transactions cannot reorder it).
        .where('consent_state.last_seq', '<', seq),
    )
    .execute();
  return id;
}

/**
 * Appends many events in order (a batch of collections): the ledger rows in multi-row statements,
 * then each (person, channel)'s consent_state moved to the state its last event of the batch leaves,
 * as `appendConsentEvent` one by one would. Returns the events' ids, in order. The states join
 * `set` when given (written at its flush); the events' insert joins `first` when given (flushed here,
 * with whatever else it holds: the audit head's lock, say).
 */
export async function appendConsentEvents(
  db: Transaction<Database>,
  dialect: DialectName,
  random: Random,
  events: readonly NewConsentEvent[],
  set?: InsertSet,
  first?: InsertSet,
): Promise<string[]> {
  if (events.length === 0) return [];
  const rows = events.map((e) => eventRow(random, e));
  let returned: Record<string, unknown>[] = [];
  if (first) {
    first.add('consent_events', rows, { returning: ['id', 'seq'] }, (r) => {
      returned = r.returned;
    });
    await first.flush();
  } else ({ returned } = await insertRows(db, dialect, 'consent_events', rows, { returning: ['id', 'seq'] }));
  const seqOf = new Map(returned.map((r) => [String(r.id), Number(r.seq)]));
  const last = new Map<string, { row: (typeof rows)[number]; seq: number }>();
  for (const row of rows) {
    const seq = seqOf.get(row.id);
    if (seq === undefined) throw new Error('A consent event was not stored');
    const key = `${row.subject_ref}\u0000${row.channel}`;
    const before = last.get(key);
    if (!before || before.seq < seq) last.set(key, { row, seq });
  }
  const states = [...last.values()].map(({ row, seq }) => ({
    subject_ref: row.subject_ref,
    channel: row.channel,
    state: stateAfter(row.event),
    last_event: row.event,
    last_seq: seq,
    updated_at: row.at,
  }));
  // Only a later event moves a state (two concurrent transactions cannot reorder it).
  const writes = set ?? new InsertSet(db, dialect);
  writes.add('consent_state', states, {
    onConflictUpdate: {
      columns: ['subject_ref', 'channel'],
      set: ['state', 'last_event', 'last_seq', 'updated_at'],
      newerBy: 'last_seq',
    },
  });
  if (!set) await writes.flush();
  return rows.map((r) => r.id);
}

/** Every event of one person (or visitor), oldest first. */
export async function consentHistory(
  db: Executor,
  subjectRef: string,
  channel?: string,
): Promise<ConsentEventRow[]> {
  let q = db.selectFrom('consent_events').selectAll().where('subject_ref', '=', subjectRef);
  if (channel) q = q.where('channel', '=', channel);
  return (await q.orderBy('seq', 'asc').execute()) as ConsentEventRow[];
}

/** The state one event leaves a channel in. */
export function stateAfter(event: ConsentEventType): ChannelState {
  switch (event) {
    case 'enrolled':
    case 're_enrolled':
      return 'enrolled';
    case 'consented':
      return 'granted';
    case 'withdrawn':
    case 'unsubscribed':
    case 'suppressed':
      return 'withdrawn';
  }
}

/** Folds events (oldest first) into the current state per channel. */
export function deriveStates(
  events: readonly Pick<ConsentEventRow, 'channel' | 'event'>[],
): Record<string, ChannelState> {
  const out: Record<string, ChannelState> = {};
  for (const e of events) out[e.channel] = stateAfter(e.event);
  return out;
}

export async function currentStates(db: Executor, subjectRef: string): Promise<Record<string, ChannelState>> {
  return deriveStates(await consentHistory(db, subjectRef));
}

export interface StoredChannelState {
  readonly state: ChannelState;
  readonly lastEvent: ConsentEventType;
}

/** The stored current state of one person per channel (consent_state: one indexed read). */
export async function storedStates(
  db: Executor,
  subjectRef: string,
): Promise<Record<string, StoredChannelState>> {
  const rows = await db
    .selectFrom('consent_state')
    .select(['channel', 'state', 'last_event'])
    .where('subject_ref', '=', subjectRef)
    .execute();
  const out: Record<string, StoredChannelState> = {};
  for (const r of rows)
    out[r.channel] = { state: r.state as ChannelState, lastEvent: r.last_event as ConsentEventType };
  return out;
}

/**
 * `storedStates` of many people, in one query (one per LIST_CHUNK on SQLite); people without a
 * state are left out.
 */
export async function storedStatesOf(
  db: Executor,
  dialect: DialectName,
  subjectRefs: readonly string[],
): Promise<Map<string, Record<string, StoredChannelState>>> {
  const out = new Map<string, Record<string, StoredChannelState>>();
  for (const chunk of listChunks(dialect, subjectRefs)) {
    const rows = await db
      .selectFrom('consent_state')
      .select(['subject_ref', 'channel', 'state', 'last_event'])
      .where((eb) => isIn(eb, dialect, 'subject_ref', chunk))
      .execute();
    for (const r of rows) {
      const states = out.get(r.subject_ref) ?? {};
      states[r.channel] = { state: r.state as ChannelState, lastEvent: r.last_event as ConsentEventType };
      out.set(r.subject_ref, states);
    }
  }
  return out;
}
