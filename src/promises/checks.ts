// The data checks: each looks at the live store for records that would break one promise and
// returns their ids. A check must be able to fail: the tests insert each offending row directly.
import type { VowContext } from '../context.js';
import { isWithin } from '../policy/model.js';
import type { PromiseCheck } from './types.js';

const WITHDRAWN_EVENTS = new Set(['withdrawn', 'unsubscribed', 'suppressed']);
const ENROLLING_EVENTS = new Set(['enrolled', 're_enrolled', 'consented']);

/** Subject kinds whose email the policy lets marketing.email use at all (by any non-never rule). */
function kindsAllowedFor(ctx: VowContext, purpose: string, category: string): Set<string> {
  const out = new Set<string>();
  for (const kind of Object.keys(ctx.policy.doc.subject_kinds)) {
    const rules = ctx.policy.matchingRules(purpose, category, kind);
    if (rules.length > 0 && !rules.some((r) => r.basis === 'never')) out.add(kind);
  }
  return out;
}

/**
 * A person enrolled in email marketing must have given an email under a kind that may be
 * marketed to; otherwise the enrolment came from a gift recipient's (P3), a correspondent's (P4)
 * or an SMS-only subscriber's data.
 */
function enrolledWithoutMarketableEmail(promise: 'P3' | 'P4', offendingKind: string): PromiseCheck {
  return {
    promise,
    description: `No ${offendingKind.replace('_', ' ')} is enrolled in email marketing by that act`,
    async run(ctx) {
      const allowed = [...kindsAllowedFor(ctx, 'marketing.email', 'contact.email')];
      const rows = await ctx.store.db
        .selectFrom('consent_state as cs')
        .innerJoin('subject_identifiers as si', (j) =>
          j.onRef('si.subject_id', '=', 'cs.subject_ref').on('si.kind', '=', 'email'),
        )
        .select('cs.subject_ref')
        .distinct()
        .where('cs.channel', '=', 'email_marketing')
        .where('cs.state', 'in', ['enrolled', 'granted'])
        .where('si.subject_kind', '=', offendingKind)
        .where((eb) =>
          eb.not(
            eb.exists(
              eb
                .selectFrom('subject_identifiers as ok')
                .select('ok.id')
                .whereRef('ok.subject_id', '=', 'cs.subject_ref')
                .where('ok.kind', '=', 'email')
                .where('ok.subject_kind', 'in', allowed.length ? allowed : ['(none)']),
            ),
          ),
        )
        .execute();
      return { ids: rows.map((r) => r.subject_ref), count: rows.length };
    },
  };
}

/** After an opt-out, only the channel's re_enrolled_by collection points may enroll again (P11, P12). */
function reEnrolledOnlyByAllowedCauses(promise: 'P11' | 'P12', channel: string): PromiseCheck {
  return {
    promise,
    description: `After an unsubscribe or removal from ${channel}, only the policy's re-enrolling actions enroll again`,
    async run(ctx) {
      const allowed = new Set(ctx.policy.doc.channels[channel]?.re_enrolled_by ?? []);
      const events = await ctx.store.db
        .selectFrom('consent_events')
        .select(['id', 'subject_ref', 'event', 'cause_type', 'cause_ref'])
        .where('channel', '=', channel)
        .orderBy('subject_ref')
        .orderBy('seq')
        .execute();
      const offending: string[] = [];
      let current = '';
      let optedOut = false;
      for (const e of events) {
        if (e.subject_ref !== current) {
          current = e.subject_ref;
          optedOut = false;
        }
        if (WITHDRAWN_EVENTS.has(e.event)) optedOut = true;
        else if (ENROLLING_EVENTS.has(e.event) && optedOut) {
          const byAllowedPoint = e.cause_type === 'collection_point' && allowed.has(e.cause_ref ?? '');
          if (!byAllowedPoint) offending.push(e.id);
          else optedOut = false;
        }
      }
      return { ids: offending, count: offending.length };
    },
  };
}

export const DATA_CHECKS: readonly PromiseCheck[] = [
  {
    promise: 'P1',
    description:
      'Every collection point links the notice, and every record names a policy version that was in force',
    async run(ctx) {
      const sections = new Set(ctx.policy.doc.notice.sections.map((s) => s.id));
      const badPoints = Object.entries(ctx.policy.doc.collection_points)
        .filter(([, cp]) => !sections.has(cp.notice))
        .map(([id]) => `collection_point:${id}`);
      const rows = await ctx.store.db
        .selectFrom('subject_records as r')
        .leftJoin('policy_versions as v', 'v.version', 'r.policy_version')
        .select('r.id')
        .where('v.version', 'is', null)
        .execute();
      const ids = [...badPoints, ...rows.map((r) => r.id)];
      return { ids, count: ids.length };
    },
  },
  {
    promise: 'P2',
    description:
      'Every disclosure went to a recipient allowed that purpose, with only the categories it may receive',
    async run(ctx) {
      const rows = await ctx.store.db
        .selectFrom('disclosures')
        .select(['id', 'recipient', 'purpose', 'categories'])
        .execute();
      const ids = rows
        .filter((d) => {
          const rc = ctx.policy.recipient(d.recipient);
          if (!rc || !rc.purposes.includes(d.purpose)) return true;
          const cats = JSON.parse(d.categories) as string[];
          return cats.some((c) => !rc.categories.some((a) => isWithin(c, a)));
        })
        .map((d) => d.id);
      return { ids, count: ids.length };
    },
  },
  enrolledWithoutMarketableEmail('P3', 'gift_recipient'),
  enrolledWithoutMarketableEmail('P4', 'correspondent'),
  {
    promise: 'P6',
    description: 'Nothing identifying was disclosed to advertisers or for aggregate reporting',
    async run(ctx) {
      const rows = await ctx.store.db
        .selectFrom('disclosures')
        .select(['id', 'recipient', 'purpose', 'categories'])
        .execute();
      const ids = rows
        .filter((d) => {
          const rc = ctx.policy.recipient(d.recipient);
          const aggregateOnly =
            rc?.personal_data === 'never' || ctx.policy.doc.purposes[d.purpose]?.aggregate_only === true;
          return (
            aggregateOnly && (JSON.parse(d.categories) as string[]).some((c) => ctx.policy.isPersonal(c))
          );
        })
        .map((d) => d.id);
      return { ids, count: ids.length };
    },
  },
  reEnrolledOnlyByAllowedCauses('P11', 'email_marketing'),
  reEnrolledOnlyByAllowedCauses('P12', 'postal_marketing'),
  {
    promise: 'P13',
    description: 'The audit trail verifies end to end',
    async run(ctx) {
      const v = await ctx.audit.verify();
      return v.ok ? { ids: [], count: 0 } : { ids: [`audit_log:${v.brokenAt}`], count: 1, note: v.problem };
    },
  },
  {
    promise: 'P14',
    description: 'Nothing is held about anyone marked under 13, and no identifier of theirs came back',
    async run(ctx) {
      const db = ctx.store.db;
      const marked = await db
        .selectFrom('subject_identifiers as si')
        .innerJoin('under13_markers as m', (j) =>
          j.onRef('m.kind', '=', 'si.kind').onRef('m.blind_index', '=', 'si.blind_index'),
        )
        .select('si.id')
        .execute();
      const flagged = await db
        .selectFrom('subjects as s')
        .select('s.id')
        .where('s.under13', '=', 1)
        .where((eb) =>
          eb.or([
            eb.exists(eb.selectFrom('subject_identifiers').select('id').whereRef('subject_id', '=', 's.id')),
            eb.exists(eb.selectFrom('subject_records').select('id').whereRef('subject_id', '=', 's.id')),
          ]),
        )
        .execute();
      const ids = [
        ...marked.map((r) => `subject_identifiers:${r.id}`),
        ...flagged.map((r) => `subjects:${r.id}`),
      ];
      return { ids, count: ids.length };
    },
  },
  {
    promise: 'P19',
    description: 'Google Analytics never received contact or other identifying data',
    async run(ctx) {
      const rows = await ctx.store.db
        .selectFrom('disclosures')
        .select(['id', 'categories'])
        .where('recipient', '=', 'google_analytics')
        .execute();
      const ids = rows
        .filter((d) => (JSON.parse(d.categories) as string[]).some((c) => ctx.policy.isIdentifying(c)))
        .map((d) => d.id);
      return { ids, count: ids.length };
    },
  },
  {
    promise: 'P23',
    description: 'Nothing was disclosed for a purpose while the person had restricted it',
    async run(ctx) {
      const rows = await ctx.store.db
        .selectFrom('disclosures as d')
        .innerJoin('restrictions as r', 'r.subject_id', 'd.subject_id')
        .select(['d.id', 'd.purpose', 'r.scope', 'r.purposes'])
        .whereRef('d.disclosed_at', '>=', 'r.started_at')
        .where((eb) =>
          eb.or([eb('r.lifted_at', 'is', null), eb('d.disclosed_at', '<', eb.ref('r.lifted_at'))]),
        )
        .where('d.purpose', '!=', 'rights.request_handling')
        .execute();
      const ids = rows
        .filter(
          (r) =>
            r.scope === 'all' || (JSON.parse(r.purposes) as string[]).some((p) => isWithin(r.purpose, p)),
        )
        .map((r) => r.id);
      return { ids: [...new Set(ids)], count: new Set(ids).size };
    },
  },
];

/** Promises that are about behaviour rather than stored data, and the tests that prove them. */
export const TEST_ONLY: Readonly<Record<string, readonly string[]>> = {
  P5: ['test/consent', 'test/unit/decide.test.ts'],
  P7: ['test/unit/policy-validation.test.ts', 'test/unit/decide.test.ts'],
  P8: ['test/consent'],
  P9: ['test/consent'],
  P10: ['test/consent'],
  P15: ['test/accounts'],
  P16: ['test/rights'],
  P17: ['test/analytics', 'test/e2e'],
  P18: ['test/e2e'],
  P20: ['test/rights', 'test/datasets'],
  P21: ['test/rights', 'test/datasets'],
  P22: ['test/rights', 'test/datasets'],
  P24: ['test/rights'],
  P25: ['test/rights'],
  P26: ['test/e2e/privacy.test.ts'],
};
