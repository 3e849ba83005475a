// The data checks: each looks at the live store for records that would break one promise and
// returns their ids. A check must be able to fail: the tests insert each offending row directly.
import type { VowContext } from '../policy/index.js';
import { isWithin } from '../policy/index.js';
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

/** Today's date (UTC) as YYYY-MM-DD, the form deadlines are stored in. */
function today(ctx: VowContext): string {
  return ctx.clock.now().toISOString().slice(0, 10);
}

const OPEN_STATUSES = [
  'awaiting_verification',
  'awaiting_agent_confirmation',
  'awaiting_approval',
  'in_progress',
] as const;

/**
 * No request of these types past its deadline (the extended one, when extended), open or answered
 * late, nor a CCPA acknowledgement missed (P20-P24).
 */
function requestsOnTime(
  promise: string,
  filter: { types?: readonly string[]; channels?: readonly string[] },
): PromiseCheck {
  return {
    promise,
    description: `No ${filter.channels ? `request received by ${filter.channels.join(' or ')}` : `${filter.types!.join('/')} request`} past its deadline`,
    async run(ctx) {
      let q = ctx.store.db
        .selectFrom('rights_requests')
        .select([
          'id',
          'status',
          'due_on',
          'extended_due_on',
          'ack_due_on',
          'acknowledged_at',
          'responded_at',
        ]);
      if (filter.types) q = q.where('type', 'in', [...filter.types] as never[]);
      if (filter.channels) q = q.where('channel', 'in', [...filter.channels] as never[]);
      const rows = await q.execute();
      const now = today(ctx);
      const ids = rows
        .filter((r) => {
          const due = r.extended_due_on ?? r.due_on;
          const open = (OPEN_STATUSES as readonly string[]).includes(r.status);
          const overdue = open ? due < now : r.responded_at !== null && r.responded_at.slice(0, 10) > due;
          const ackMissed =
            r.ack_due_on !== null &&
            (r.acknowledged_at === null
              ? open && r.ack_due_on < now
              : r.acknowledged_at.slice(0, 10) > r.ack_due_on);
          return overdue || ackMissed;
        })
        .map((r) => `rights_requests:${r.id}`);
      return { ids, count: ids.length };
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
          if (!rc?.purposes.includes(d.purpose)) return true;
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
  {
    promise: 'P10',
    description: 'Every marketing email Vow prepared carries a working one-click unsubscribe token',
    async run(ctx) {
      const db = ctx.store.db;
      const rendered = await db
        .selectFrom('audit_log')
        .select(['seq', 'at', 'target_id', 'details'])
        .where('action', '=', 'email.rendered')
        .execute();
      const ids: string[] = [];
      for (const r of rendered) {
        if (!r.target_id) continue;
        const channel = (JSON.parse(r.details) as { channel?: string }).channel ?? 'email_marketing';
        const token = await db
          .selectFrom('unsubscribe_tokens')
          .select('token_index')
          .where('subject_id', '=', r.target_id)
          .where('channel', '=', channel)
          .where('created_at', '<=', r.at)
          .executeTakeFirst();
        if (token) continue;
        // A person since deleted or marked under 13 has no tokens left, rightly.
        const key = await db
          .selectFrom('data_keys')
          .select('wrapped_key')
          .where('subject_id', '=', r.target_id)
          .executeTakeFirst();
        const gone = key?.wrapped_key == null;
        if (!gone) ids.push(`audit_log:${r.seq}`);
      }
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
  requestsOnTime('P20', { types: ['access', 'portability'] }),
  requestsOnTime('P21', { types: ['correction'] }),
  requestsOnTime('P22', { types: ['deletion'] }),
  {
    promise: 'P22',
    description:
      'After a completed deletion of everything, nothing of the person is left outside the exempt categories',
    async run(ctx, deps) {
      const done = await ctx.store.db
        .selectFrom('rights_requests')
        .select(['id', 'subject_id', 'scope'])
        .where('type', '=', 'deletion')
        .where('status', '=', 'completed')
        .where('subject_id', 'is not', null)
        .orderBy('responded_at', 'desc')
        .limit(200)
        .execute();
      const ids: string[] = [];
      for (const r of done) {
        const scope = JSON.parse(r.scope) as { categories?: string[] };
        if (scope.categories && scope.categories.length > 0) continue;
        const subjectId = r.subject_id!;
        // The person's data key must be gone (crypto-shredding) ...
        const key = await ctx.store.db
          .selectFrom('data_keys')
          .select('wrapped_key')
          .where('subject_id', '=', subjectId)
          .executeTakeFirst();
        let leftover = key?.wrapped_key != null;
        // ... and a dry run of the same deletion must find nothing more to delete, in any dataset.
        if (!leftover && deps.datasets) {
          const plan = await deps.datasets.delete(
            { subjectIds: [subjectId] },
            { categories: 'all', dryRun: true },
            { type: 'system', id: 'promise-monitor', requestId: r.id },
          );
          leftover = plan.tables.some((t) => t.columns.some((c) => c.action !== 'retained' && c.rows > 0));
        }
        if (leftover) ids.push(`rights_requests:${r.id}`);
      }
      return { ids, count: ids.length };
    },
  },
  requestsOnTime('P23', { types: ['restriction', 'objection'] }),
  requestsOnTime('P24', { channels: ['email', 'postal'] }),
  {
    promise: 'P25',
    description: 'No complaint waits past its reply date without an answer',
    async run(ctx) {
      const rows = await ctx.store.db
        .selectFrom('complaints')
        .select(['id', 'reply_due_on', 'first_reply_at'])
        .execute();
      const now = today(ctx);
      const ids = rows
        .filter((c) =>
          c.first_reply_at === null ? c.reply_due_on < now : c.first_reply_at.slice(0, 10) > c.reply_due_on,
        )
        .map((c) => `complaints:${c.id}`);
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
  P15: ['test/accounts'],
  P16: ['test/rights'],
  P17: ['test/analytics', 'test/e2e'],
  P18: ['test/e2e'],
  P26: ['test/e2e/privacy.test.ts'],
};
