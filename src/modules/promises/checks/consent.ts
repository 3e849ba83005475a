// Consent, channel by channel, from the policy's channels and rules (P5, P7, P8, P9, P11, P12 and the
// promises of any other channel): the ledger is replayed for every person checked, and
// - every enrolment must have a cause the channel lists (enrolled_by / re_enrolled_by / granted_by),
//   naming a record that exists, is the person's, was collected at that point no later than the
//   enrolment, under a kind the channel's rules speak of (an explicit opt-in for granted_by);
// - after an opt-out only a re-enrolling cause enrolls again (after a staff removal, only the
//   person's explicit ask);
// - consent_state must equal the ledger's fold (a state edited by hand, or a ledger restored without
//   an unsubscribe, disagree);
// - a person enrolled must be of a kind the channel may enroll, and nobody a `never` rule keeps out
//   of a channel's purposes (gift recipients, correspondents) may be in it;
// - a record at a point that enrolls must have enrolled the person (contest entrants, catalog
//   requesters, buyers).
import { consentCover } from '../covers.js';
import type { Family, FamilyEnv, Sink } from '../family.js';
import { parseJson } from '../family.js';
import {
  ENROLLING,
  type EventRow,
  OPTING_OUT,
  type PersonBatch,
  type RecordRow,
  VISITOR,
} from '../person-batch.js';
import type { PolicyMap } from '../policy-map.js';

/** The table each kind of collection record is stored in (src/modules/collection). */
export const RECORD_TABLES: Readonly<Record<string, string>> = {
  order: 'orders',
  registration: 'registrations',
  contest_entry: 'contest_entries',
  catalog_request: 'catalog_requests',
  sms_signup: 'sms_signups',
  inbound_message: 'inbound_messages',
};

/** Forms whose explicit opt-in is a column of their record (the registration's catalog box). */
const OPT_IN_COLUMNS: Readonly<Record<string, string>> = { registrations: 'catalog_opt_in' };

const RULES_BY_EVENT: Readonly<Record<string, 'enrolled_by' | 're_enrolled_by' | 'granted_by'>> = {
  enrolled: 'enrolled_by',
  re_enrolled: 're_enrolled_by',
  consented: 'granted_by',
};

interface Details {
  readonly rule?: string;
  readonly recordId?: string;
}

function eventValues(e: EventRow, prior: string, extra: Record<string, string | null> = {}) {
  return {
    subject: e.subject_ref,
    channel: e.channel,
    event: e.event,
    cause_type: e.cause_type,
    cause_ref: e.cause_ref,
    prior_state: prior,
    at: e.at,
    ...extra,
  };
}

async function checkEvents(
  batch: PersonBatch,
  map: PolicyMap,
  ref: string,
  channel: string,
  events: readonly EventRow[],
  sink: Sink,
): Promise<void> {
  const ch = map.policy.doc.channels[channel];
  const records = (await batch.records()).get(ref) ?? [];
  // A deletion erases the records the ledger (kept, as the suppression record) names.
  const deletedAt = ((await batch.requests()).get(ref) ?? [])
    .filter((r) => r.type === 'deletion' && r.status === 'completed' && r.responded_at !== null)
    .map((r) => r.responded_at!)
    .sort()
    .at(-1);
  let prior = 'unknown';
  let lastEvent: string | null = null;
  let grantedBefore = false;
  for (const e of events) {
    const priorNow = prior;
    const afterOptOut = prior === 'withdrawn';
    // The kind an enrolment at this point speaks for (a contest entry's contestant: P8; a buyer: P9).
    const pointKind = map.policy.doc.collection_points[e.cause_ref ?? '']?.subject_kinds.find((k) =>
      map.kindsOfChannel(channel).has(k),
    );
    const promiseOf = (kind?: string) =>
      afterOptOut ? map.optOutPromise(channel) : map.enrolPromise(channel, kind ?? pointKind);
    const flag = (rule: string, reason: string, promise: string, extra: Record<string, string | null> = {}) =>
      sink.add(ref, {
        promise,
        table: 'consent_events',
        row: e.id,
        rule,
        reason,
        values: eventValues(e, priorNow, extra),
      });
    if (ENROLLING.has(e.event) && ch) {
      const details = parseJson<Details>(e.details) ?? {};
      if (e.cause_type === 'collection_point') {
        const point = e.cause_ref ?? '';
        const list = ch[RULES_BY_EVENT[e.event] ?? 'enrolled_by'];
        const explicitAfterSuppression =
          e.event === 're_enrolled' &&
          lastEvent === 'suppressed' &&
          details.rule === 'explicit_ask_after_suppression' &&
          (ch.enrolled_by.includes(point) || ch.re_enrolled_by.includes(point));
        if (e.event === 'enrolled' && prior !== 'unknown') {
          if (afterOptOut)
            flag(
              'consent.re_enrolment_after_opt_out',
              `An enrolment after an opt-out that is not a re-enrolment the policy allows`,
              promiseOf(),
            );
        } else if (e.event === 're_enrolled' && !afterOptOut) {
          // A re-enrolment of someone not opted out changes nothing; harmless.
        } else if (e.event === 're_enrolled' && lastEvent === 'suppressed' && !explicitAfterSuppression) {
          flag(
            'consent.re_enrolment_after_opt_out',
            'After a removal by customer service, only the person’s explicit ask enrolls again',
            promiseOf(),
          );
        } else if (!list.includes(point) && !explicitAfterSuppression) {
          flag(
            e.event === 're_enrolled' ? 'consent.re_enrolment_after_opt_out' : 'consent.cause_in_policy',
            `The channel’s ${RULES_BY_EVENT[e.event]} does not list the collection point “${point}”`,
            promiseOf(),
          );
        } else if (e.event === 're_enrolled' && ch.enrolled_by.length === 0 && !explicitAfterSuppression) {
          flag(
            'consent.re_enrolment_after_opt_out',
            'An opt-in channel is entered again only by an explicit yes, never re-enrolled',
            promiseOf(),
          );
        }
        if (deletedAt === undefined || e.at > deletedAt)
          await checkCauseRecord(batch, map, ref, channel, e, details, records, priorNow, sink, promiseOf);
      } else if (e.cause_type === 'cookie_banner') {
        if (!ch.granted_by.includes('cookie_banner') || e.event !== 'consented' || !ref.startsWith(VISITOR))
          flag(
            'consent.cause_in_policy',
            'A cookie-banner choice grants only the banner’s channels, to a visitor',
            promiseOf(),
          );
      } else if (e.cause_type === 'sms_keyword' && e.event === 'consented') {
        if (!grantedBefore)
          flag(
            'consent.cause_in_policy',
            'START restores text messages only for someone who consented before',
            promiseOf(),
          );
      } else {
        flag(
          'consent.cause_in_policy',
          `An enrolment caused by “${e.cause_type}”, which enrolls in no channel of the policy`,
          promiseOf(),
        );
      }
    }
    if (e.event === 'consented') grantedBefore = true;
    lastEvent = e.event;
    prior =
      e.event === 'consented'
        ? 'granted'
        : ENROLLING.has(e.event)
          ? 'enrolled'
          : OPTING_OUT.has(e.event)
            ? 'withdrawn'
            : prior;
  }
}

/** The record an enrolment names must exist, be the person's, from that point, collected no later. */
async function checkCauseRecord(
  batch: PersonBatch,
  map: PolicyMap,
  ref: string,
  channel: string,
  e: EventRow,
  details: Details,
  records: readonly RecordRow[],
  prior: string,
  sink: Sink,
  promiseOf: (kind?: string) => string,
): Promise<void> {
  const point = e.cause_ref ?? '';
  const flag = (rule: string, reason: string, promise: string, extra: Record<string, string | null> = {}) =>
    sink.add(ref, {
      promise,
      table: 'consent_events',
      row: e.id,
      rule,
      reason,
      values: eventValues(e, prior, { record_id: details.recordId ?? null, ...extra }),
    });
  const record = details.recordId
    ? records.find((r) => r.record_id === details.recordId)
    : records.filter((r) => r.collection_point === point && r.collected_at <= e.at).at(-1);
  if (!record || record.collection_point !== point) {
    flag(
      'consent.cause_record_exists',
      `The ${point.replace(/_/g, ' ')} named as the cause is not a record of this person at that point`,
      promiseOf(),
    );
    return;
  }
  const table = RECORD_TABLES[record.record_type];
  if (table) {
    const row = await batch.row(table, record.record_id);
    if (!row) {
      flag(
        'consent.cause_record_exists',
        `The ${point.replace(/_/g, ' ')} named as the cause does not exist`,
        promiseOf(),
        {
          record_table: table,
        },
      );
      return;
    }
    const optIn = OPT_IN_COLUMNS[table];
    if (e.event === 'consented' && optIn && Number(row[optIn]) !== 1)
      flag(
        'consent.explicit_opt_in',
        'Consent granted by a form whose opt-in box was not ticked',
        promiseOf(record.subject_kind),
        {
          record_table: table,
        },
      );
  }
  if (record.collected_at > e.at)
    flag(
      'consent.cause_record_precedes',
      'The record named as the cause was collected after the enrolment',
      promiseOf(record.subject_kind),
      {
        record_at: record.collected_at,
      },
    );
  if (e.event !== 'consented' && !map.kindsOfChannel(channel).has(record.subject_kind)) {
    const purposes = map.policy.doc.channels[channel]?.purposes ?? [];
    flag(
      'consent.kind_may_be_enrolled',
      `A ${record.subject_kind.replace(/_/g, ' ')} is not someone this channel enrolls`,
      map.neverPromise(purposes, [record.subject_kind]) ?? promiseOf(record.subject_kind),
      { kind: record.subject_kind },
    );
  }
}

async function checkPerson(batch: PersonBatch, env: FamilyEnv, ref: string, sink: Sink): Promise<void> {
  const map = env.map;
  const events = (await batch.events()).get(ref) ?? [];
  const states = (await batch.states()).get(ref) ?? [];
  const byChannel = new Map<string, EventRow[]>();
  for (const e of events) byChannel.set(e.channel, [...(byChannel.get(e.channel) ?? []), e]);
  for (const [channel, list] of byChannel) await checkEvents(batch, map, ref, channel, list, sink);
  // consent_state equals the fold of the ledger.
  const channels = new Set([...byChannel.keys(), ...states.map((s) => s.channel)]);
  const kinds = await batch.kinds(ref);
  for (const channel of channels) {
    const list = byChannel.get(channel) ?? [];
    const last = list.at(-1);
    const fold = last
      ? last.event === 'consented'
        ? 'granted'
        : ENROLLING.has(last.event)
          ? 'enrolled'
          : 'withdrawn'
      : null;
    const state = states.find((s) => s.channel === channel);
    const row = `${ref}/${channel}`;
    if (
      !state ||
      !last ||
      state.state !== fold ||
      state.last_event !== last.event ||
      Number(state.last_seq) !== last.seq
    ) {
      // A state that keeps out someone the ledger has in, while naming the ledger's own last event
      // (taken off the list by hand, or its row deleted), breaks the promise that enrolled them; one
      // that lets in someone the ledger has out, or names an opt-out the ledger lost, the opt-out's.
      const keptOut =
        fold !== null &&
        fold !== 'withdrawn' &&
        (!state || (state.state === 'withdrawn' && Number(state.last_seq) === last?.seq));
      const enrolledAs = kinds.find((k) => map.kindsOfChannel(channel).has(k));
      sink.add(ref, {
        promise: keptOut ? map.enrolPromise(channel, enrolledAs) : map.optOutPromise(channel),
        table: 'consent_state',
        row,
        rule: 'consent.state_equals_fold',
        reason: !state
          ? 'The ledger has events but consent_state has no row for them'
          : !last
            ? 'consent_state holds a state no ledger event produced'
            : 'consent_state differs from the fold of the ledger',
        values: {
          subject: ref,
          channel,
          state: state?.state ?? null,
          last_event: state?.last_event ?? null,
          last_seq: state ? Number(state.last_seq) : null,
          ledger_state: fold,
          ledger_event: last?.event ?? null,
          ledger_seq: last?.seq ?? null,
        },
      });
    }
    // Who may be in the channel at all.
    if (!state || ref.startsWith(VISITOR) || (state.state !== 'enrolled' && state.state !== 'granted'))
      continue;
    const never = map.refusedByNever(channel, kinds);
    const covered = map.kindsOfChannel(channel);
    if (never || (state.state === 'enrolled' && kinds.length > 0 && !kinds.some((k) => covered.has(k))))
      sink.add(ref, {
        promise: never ?? map.enrolPromise(channel),
        table: 'consent_state',
        row,
        rule: 'consent.kind_may_be_enrolled',
        reason: never
          ? `A person the policy keeps out of this channel’s purposes (${kinds.join(', ')}) is ${state.state} in it`
          : `Nobody of this person’s kinds (${kinds.join(', ')}) is enrolled in this channel automatically`,
        values: { subject: ref, channel, state: state.state, kinds: kinds.join(',') },
      });
  }
  await checkEnrolledByCollection(batch, map, ref, byChannel, sink);
}

/** A record at a point that enrolls, of a kind the channel covers, must have enrolled the person (P8, P9, P12). */
async function checkEnrolledByCollection(
  batch: PersonBatch,
  map: PolicyMap,
  ref: string,
  byChannel: ReadonlyMap<string, readonly EventRow[]>,
  sink: Sink,
): Promise<void> {
  const records = [...((await batch.records()).get(ref) ?? [])].sort((a, b) =>
    a.collected_at < b.collected_at ? -1 : 1,
  );
  for (const channel of map.channels) {
    const ch = map.policy.doc.channels[channel]!;
    const kinds = map.kindsOfChannel(channel);
    const first = records.find(
      (r) => ch.enrolled_by.includes(r.collection_point) && kinds.has(r.subject_kind),
    );
    if (!first) continue;
    // Any event on the channel will do: imported records may arrive out of order, and an
    // enrolment by a later-dated one, or an earlier opt-out, still shows the rule was applied.
    if ((byChannel.get(channel) ?? []).length > 0) continue;
    sink.add(ref, {
      promise: map.enrolPromise(channel, first.subject_kind),
      table: 'subject_records',
      row: first.id,
      rule: 'consent.enrolled_by_collection',
      reason: `A ${first.collection_point.replace(/_/g, ' ')} by a ${first.subject_kind.replace(/_/g, ' ')} did not enroll the person in ${channel}`,
      values: {
        subject: ref,
        channel,
        collection_point: first.collection_point,
        record_id: first.record_id,
        kind: first.subject_kind,
      },
    });
  }
}

export const consentFamily: Family = {
  ...consentCover,
  async people(batch, env, sink) {
    // The records enrolments name, fetched per table for the whole batch.
    const records = await batch.records();
    const byTable = new Map<string, string[]>();
    for (const r of [...records.values()].flat()) {
      const table = RECORD_TABLES[r.record_type];
      if (!table) continue;
      const ids = byTable.get(table) ?? [];
      ids.push(r.record_id);
      byTable.set(table, ids);
    }
    for (const [table, ids] of byTable) await batch.prefetch(table, ids);
    for (const ref of batch.refs) await checkPerson(batch, env, ref, sink);
  },
};
