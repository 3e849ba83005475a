// What a collection does to a person's consent, from the policy's channels alone (P8, P9, P11, P12):
// pure, so every rule is tested without a database.
//
// For each channel of the policy, given the collection point, the kinds the person had there, the
// channels they explicitly ticked on the form, and where they stand now:
//   1. An automatic enrolment only happens if one of the person's kinds at this point is one the
//      channel's rules speak of (a gift recipient at checkout is not a `customer`, so checkout
//      never enrolls them).
//   2. An explicit yes on a form listed in `granted_by` grants consent (event `consented`), even
//      after a withdrawal: it is a new, freely given choice.
//   3. A point in `enrolled_by` enrolls a person the channel has never seen (`enrolled`).
//   4. After an unsubscribe or withdrawal, only a point in `re_enrolled_by` enrolls again
//      (`re_enrolled`, P11): a purchase or registration after an unsubscribe changes nothing.
//      Channels nobody is enrolled in automatically (empty `enrolled_by`: opt-in channels) are
//      never entered without an explicit yes; for them `re_enrolled_by` only lists forms whose
//      tick (rule 2) counts again.
//   5. After a staff suppression (P12, "contact customer service to be removed"), no automatic
//      enrolment brings the person back, not even a point in `re_enrolled_by`: only the person's
//      explicit ask (the channel ticked on a form that enrolls, re-enrolls or grants it) does.
//      Chosen because a removal made at the person's request through customer service is a
//      deliberate, recorded instruction; re-adding them because they asked for a catalog again
//      would undo it silently. The default policy also says so for postal mail
//      (`postal_marketing.re_enrolled_by: []`).
//   6. An address on the suppression list (kept when its holder asked for deletion) is not enrolled
//      automatically again: the channel records `withdrawn` instead. The acts P11 names, a point in
//      the channel's `re_enrolled_by` (a new contest entry or promotional request) or the channel
//      ticked on a form, lift the suppression for that channel: the person gave the address again
//      to be mailed. So the history, decide(), audiences and rendering all say the same.
import { VowError } from '../../platform/errors.js';
import type { Policy } from '../policy/index.js';
import type { ConsentChange, RecordCollectionInput } from './consent-inputs.js';
import { type ConsentEventType, type StoredChannelState, stateAfter } from './ledger.js';

export interface CollectionFacts {
  readonly collectionPoint: string;
  /** Channel ids the person explicitly ticked on the form. */
  readonly optIns: readonly string[];
  /** The subject kinds this collection stored the person under. */
  readonly kinds: readonly string[];
  /** Where the person stands now, per channel (absent: the channel never heard of them). */
  readonly current: Readonly<Record<string, StoredChannelState>>;
}

export interface PlannedEvent {
  readonly channel: string;
  readonly event: Extract<ConsentEventType, 'enrolled' | 'consented' | 're_enrolled'>;
  /** Which rule of the list above produced it (recorded in the event's details). */
  readonly rule: 'granted_by' | 'enrolled_by' | 're_enrolled_by' | 'explicit_ask_after_suppression';
}

export function assertChannel(policy: Policy, channel: string): void {
  if (!Object.hasOwn(policy.doc.channels, channel)) {
    throw new VowError('VOW_CONSENT_UNKNOWN_CHANNEL', `Unknown consent channel "${channel}"`, { channel });
  }
}

/** The subject kinds whose data a channel's opt-in / opt-out rules cover. */
export function kindsOfChannel(policy: Policy, channel: string): Set<string> {
  const out = new Set<string>();
  for (const r of policy.doc.rules) {
    if (r.channel === channel && (r.basis === 'opt_in' || r.basis === 'opt_out'))
      for (const k of r.subject_kinds) out.add(k);
  }
  return out;
}

export function planCollection(policy: Policy, facts: CollectionFacts): PlannedEvent[] {
  const cp = policy.doc.collection_points[facts.collectionPoint];
  if (!cp || !Object.hasOwn(policy.doc.collection_points, facts.collectionPoint)) {
    throw new VowError(
      'VOW_CONSENT_UNKNOWN_COLLECTION_POINT',
      `Unknown collection point "${facts.collectionPoint}"`,
      { collectionPoint: facts.collectionPoint },
    );
  }
  for (const c of facts.optIns) assertChannel(policy, c);
  const kindsHere = facts.kinds.filter((k) => cp.subject_kinds.includes(k));
  const point = facts.collectionPoint;
  const out: PlannedEvent[] = [];
  for (const [channel, ch] of Object.entries(policy.doc.channels)) {
    const explicit = facts.optIns.includes(channel);
    const current = facts.current[channel];
    const state = current?.state ?? 'unknown';
    if (explicit && ch.granted_by.includes(point)) {
      if (state !== 'granted') out.push({ channel, event: 'consented', rule: 'granted_by' }); // rule 2
      continue;
    }
    const covered = kindsOfChannel(policy, channel);
    if (!kindsHere.some((k) => covered.has(k))) continue; // rule 1
    const enrolls = ch.enrolled_by.includes(point);
    const reEnrolls = ch.re_enrolled_by.includes(point);
    if (state === 'unknown') {
      if (enrolls) out.push({ channel, event: 'enrolled', rule: 'enrolled_by' }); // rule 3
    } else if (state === 'withdrawn') {
      if (current?.lastEvent === 'suppressed') {
        if (explicit && (enrolls || reEnrolls))
          out.push({ channel, event: 're_enrolled', rule: 'explicit_ask_after_suppression' }); // rule 5
      } else if (reEnrolls && ch.enrolled_by.length > 0) {
        out.push({ channel, event: 're_enrolled', rule: 're_enrolled_by' }); // rule 4
      }
    }
  }
  return out;
}

/** Whether a planned enrolment lifts a suppression of the person's address (rule 6). */
export function liftsSuppression(policy: Policy, collectionPoint: string, planned: PlannedEvent): boolean {
  const ch = policy.doc.channels[planned.channel];
  return (
    planned.rule === 'granted_by' ||
    planned.rule === 'explicit_ask_after_suppression' ||
    (ch?.re_enrolled_by.includes(collectionPoint) ?? false)
  );
}

/**
 * The consent changes one collection makes from where the person stands (`current`, moved in place
 * so the batch's next collection of the same person is planned from it): `planCollection`'s events
 * with their cause and details, as the ledger records them.
 */
export function collectionChanges(
  policy: Policy,
  input: RecordCollectionInput & { readonly kinds: readonly string[] },
  current: Record<string, StoredChannelState>,
): ConsentChange[] {
  const planned = planCollection(policy, {
    collectionPoint: input.collectionPoint,
    optIns: input.optIns,
    kinds: input.kinds,
    current,
  });
  return planned.map((p) => {
    current[p.channel] = { state: stateAfter(p.event), lastEvent: p.event };
    return {
      subjectRef: input.subjectId,
      channel: p.channel,
      event: p.event,
      cause: { type: 'collection_point', ref: input.collectionPoint },
      at: input.at,
      details: {
        rule: p.rule,
        ...(input.recordId ? { recordId: input.recordId } : {}),
        ...(input.evidence ? { source: input.evidence } : {}),
      },
    };
  });
}
