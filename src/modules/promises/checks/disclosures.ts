// What left Vow, recipient by recipient, from the policy's recipients and rules (P2, P3, P4, P6, P7,
// P10, P11, P12, P19, P23 and any recipient's promise):
// - a disclosure goes to a known recipient, for a purpose it serves, with categories it may receive
//   (never identifying or personal data to a recipient that may receive none; only non-personal
//   data for an aggregate purpose);
// - the policy allows the purpose for the category to someone of the person's kinds at that time
//   (a `never` rule refuses gift recipients' and correspondents' data; no rule at all is an
//   unrelated use);
// - what needs consent had it when it was disclosed (the ledger's state then), a recipient with its
//   own channel had that too, and no restriction or objection covered the purpose then;
// - Google Analytics received only the allowed parameter names, under the visitor's consent then;
// - site measurements hold a keyed hash for the visitor and a scrubbed path (P17).
import { GA_ALLOWED_PARAMS, scrubPath } from '../../site-analytics/index.js';
import { disclosuresCover } from '../covers.js';
import type { Family, Sink } from '../family.js';
import { parseJson } from '../family.js';
import { type DisclosureRow, type EventRow, type PersonBatch, stateAt, VISITOR } from '../person-batch.js';
import { ATTRIBUTION, type PolicyMap } from '../policy-map.js';

const GA_RECIPIENT = 'google_analytics';
const GA_PURPOSE = 'analytics.site_improvement';
const GA_CATEGORY = 'behaviour';
const HASHED_ID = /^[A-Za-z0-9_-]{43}$/;
const SIMPLE_NAME = /^[a-z][a-z0-9_]{0,39}$/;

/** Whether a consent channel allowed a use at `at`, given the person's events on it. */
function channelAllows(events: readonly EventRow[], basis: 'opt_in' | 'opt_out', at: string): boolean {
  const { state } = stateAt(events, at);
  return basis === 'opt_in' ? state === 'granted' : state !== 'withdrawn';
}

function restrictedAt(
  restrictions: readonly { scope: string; purposes: string; started_at: string; lifted_at: string | null }[],
  purpose: string,
  at: string,
): boolean {
  if (purpose === 'rights.request_handling') return false;
  return restrictions.some((r) => {
    if (r.started_at > at || (r.lifted_at !== null && at >= r.lifted_at)) return false;
    if (r.scope === 'all') return true;
    return (parseJson<string[]>(r.purposes) ?? []).some((p) => purpose === p || purpose.startsWith(`${p}.`));
  });
}

async function checkDisclosure(
  batch: PersonBatch,
  map: PolicyMap,
  ref: string,
  d: DisclosureRow,
  sink: Sink,
): Promise<void> {
  const policy = map.policy;
  const rc = policy.recipient(d.recipient);
  const base = { subject: ref, recipient: d.recipient, purpose: d.purpose, disclosed_at: d.disclosed_at };
  const flag = (promise: string, rule: string, reason: string, extra: Record<string, string | null> = {}) =>
    sink.add(ref, { promise, table: 'disclosures', row: d.id, rule, reason, values: { ...base, ...extra } });
  const categories = parseJson<string[]>(d.categories);
  if (!rc) {
    flag(
      ATTRIBUTION.unknownRecipient,
      'disclosure.recipient_known',
      'The recipient is not one the policy names',
    );
    return;
  }
  if (!Array.isArray(categories)) {
    flag(
      rc.promise,
      'disclosure.categories_recorded',
      'The disclosure does not record which categories left',
    );
    return;
  }
  if (!rc.purposes.includes(d.purpose))
    flag(
      rc.promise,
      'disclosure.recipient_purpose',
      'The recipient does not serve this purpose under the policy',
    );
  for (const c of categories) {
    if (!map.isWithinAny(c, rc.categories))
      flag(rc.promise, 'disclosure.recipient_category', 'The recipient may not receive this category', {
        category: c,
      });
    if (rc.identifying_data === 'never' && policy.isIdentifying(c))
      flag(
        rc.promise,
        'disclosure.identifying_data',
        'Identifying data went to a recipient that may receive none',
        {
          category: c,
        },
      );
    if (rc.personal_data === 'never' && policy.isPersonal(c))
      flag(
        rc.promise,
        'disclosure.personal_data',
        'Personal data went to a recipient that may receive only aggregates',
        {
          category: c,
        },
      );
    if (policy.doc.purposes[d.purpose]?.aggregate_only === true && policy.isPersonal(c))
      flag(
        ATTRIBUTION.aggregateOnly,
        'disclosure.aggregate_only',
        'Personal data was used for an aggregate-only purpose',
        {
          category: c,
        },
      );
  }
  const events = (await batch.events()).get(ref) ?? [];
  const onChannel = (channel: string) => events.filter((e) => e.channel === channel);
  const gate = map.recipientChannel(d.recipient);
  if (gate && !channelAllows(onChannel(gate), 'opt_in', d.disclosed_at))
    flag(
      rc.promise,
      'disclosure.recipient_consent',
      `Disclosed without the person’s consent on ${gate} at the time`,
      {
        channel: gate,
        state_then: stateAt(onChannel(gate), d.disclosed_at).state,
      },
    );
  if (restrictedAt((await batch.restrictions()).get(ref) ?? [], d.purpose, d.disclosed_at))
    flag(
      ATTRIBUTION.restriction,
      'disclosure.restricted',
      'Disclosed for a purpose the person had restricted or objected to',
    );
  const kinds = await batch.kinds(ref, d.disclosed_at);
  if (kinds.length === 0) return;
  for (const c of categories) {
    const j = map.judge(d.purpose, c, kinds);
    if (!j.allowed) {
      flag(
        j.promise,
        'disclosure.kind_allowed',
        `The policy does not allow this purpose for this category of a ${kinds.join(' or ')}`,
        {
          category: c,
          kinds: kinds.join(','),
          refused_by: j.rule,
        },
      );
      continue;
    }
    if (
      j.channels.length > 0 &&
      !j.channels.some((ch) => channelAllows(onChannel(ch.channel), ch.basis, d.disclosed_at))
    ) {
      const channel = j.channels[0]!.channel;
      flag(
        gate ? rc.promise : map.optOutPromise(channel),
        'disclosure.consent_at_time',
        `Disclosed after the person opted out of ${channel}, or before they consented`,
        {
          category: c,
          channel,
          state_then: stateAt(onChannel(channel), d.disclosed_at).state,
        },
      );
    }
  }
}

/** What a cookie-banner choice records besides the channel and event (cookie-consent module). */
const CHOICE_DETAILS = new Set(['consentVersion', 'collectionPoint']);
/** A code (a source, a version, a collection point): never an address, a phone or a name. */
const CODE = /^[A-Za-z0-9_.:-]{0,64}$/;

/** A visitor's consent rows name the keyed hash of the cookie id, and hold codes only (P17). */
function checkChoices(ref: string, events: readonly EventRow[], sink: Sink): void {
  const hashed = HASHED_ID.test(ref.slice(VISITOR.length));
  for (const e of events) {
    if (!hashed)
      sink.add(ref, {
        promise: ATTRIBUTION.cookies,
        table: 'consent_events',
        row: e.id,
        rule: 'cookie_consent.visitor_hashed',
        reason: 'A cookie-consent row is keyed by something other than the keyed hash of a cookie id',
        values: { channel: e.channel, event: e.event, length: ref.length - VISITOR.length },
      });
    const details = parseJson<Record<string, unknown>>(e.details);
    const odd = [
      ...(e.cause_ref !== null && !CODE.test(e.cause_ref) ? ['cause_ref'] : []),
      ...(details === undefined || typeof details !== 'object' || details === null || Array.isArray(details)
        ? ['details']
        : Object.entries(details)
            .filter(([k, v]) => !CHOICE_DETAILS.has(k) || (typeof v === 'string' && !CODE.test(v)))
            .map(([k]) => (CODE.test(k) ? `details.${k}` : 'details.?'))),
    ];
    if (odd.length > 0)
      sink.add(ref, {
        promise: ATTRIBUTION.cookies,
        table: 'consent_events',
        row: e.id,
        rule: 'cookie_consent.no_identifier',
        reason: 'A cookie-consent row holds more than the choice’s codes (a value that may identify someone)',
        values: { channel: e.channel, event: e.event, fields: odd.join(',') },
      });
  }
}

async function checkVisitor(batch: PersonBatch, map: PolicyMap, ref: string, sink: Sink): Promise<void> {
  const events = (await batch.events()).get(ref) ?? [];
  checkChoices(ref, events, sink);
  const promise = map.recipientPromise(GA_RECIPIENT);
  const needs = map.judge(GA_PURPOSE, GA_CATEGORY, ['site_visitor']).channels;
  const gate = map.recipientChannel(GA_RECIPIENT);
  for (const f of (await batch.gaForwards()).get(ref) ?? []) {
    const row = String(f.id);
    const names = parseJson<unknown[]>(f.params);
    const unexpected = Array.isArray(names)
      ? names.filter((n) => typeof n !== 'string' || !GA_ALLOWED_PARAMS.includes(n))
      : null;
    if (unexpected === null || unexpected.length > 0)
      sink.add(ref, {
        promise,
        table: 'ga_forwards',
        row,
        rule: 'ga.params_allowed',
        reason:
          'A forward to Google Analytics carried a parameter outside the allow-list (it may carry contact data)',
        values: {
          visitor: ref,
          unexpected: unexpected?.length ?? null,
          names:
            (unexpected ?? []).filter((n) => typeof n === 'string' && SIMPLE_NAME.test(n)).join(',') || null,
        },
      });
    if (f.status !== 'sent') continue;
    const missing = [
      ...needs
        .filter(
          (n) =>
            !channelAllows(
              events.filter((e) => e.channel === n.channel),
              n.basis,
              f.at,
            ),
        )
        .map((n) => n.channel),
      ...(gate &&
      !channelAllows(
        events.filter((e) => e.channel === gate),
        'opt_in',
        f.at,
      )
        ? [gate]
        : []),
    ];
    if (missing.length > 0)
      sink.add(ref, {
        promise,
        table: 'ga_forwards',
        row,
        rule: 'ga.consent_at_time',
        reason: `Forwarded to Google Analytics without the visitor’s consent on ${missing.join(' and ')} at the time`,
        values: { visitor: ref, channels: missing.join(','), at: f.at },
      });
  }
  for (const m of (await batch.measurements()).get(ref) ?? []) {
    const row = String(m.id);
    if (!HASHED_ID.test(m.visitor_id))
      sink.add(ref, {
        promise: ATTRIBUTION.cookies,
        table: 'analytics_events',
        row,
        rule: 'measurement.visitor_hashed',
        reason: 'A measurement is keyed by something other than the keyed hash of a cookie id',
        values: { length: m.visitor_id.length },
      });
    if (scrubPath(m.path) !== m.path)
      sink.add(ref, {
        promise: ATTRIBUTION.cookies,
        table: 'analytics_events',
        row,
        rule: 'measurement.path_scrubbed',
        reason: 'A measurement holds a page address that was not scrubbed (a query, an id or a contact)',
        values: { visitor: ref, path_length: m.path.length },
      });
  }
}

export const disclosuresFamily: Family = {
  ...disclosuresCover,
  async people(batch, env, sink) {
    for (const ref of batch.refs) {
      for (const d of (await batch.disclosures()).get(ref) ?? [])
        await checkDisclosure(batch, env.map, ref, d, sink);
      if (ref.startsWith(VISITOR)) await checkVisitor(batch, env.map, ref, sink);
    }
  },
};
