// Privacy requests and complaints (P16, P20-P25): read whole at every run (the request log is small and
// deadlines move with time, not with writes).
// - no request past its deadline (the extended one, when extended), open or answered late, nor a
//   CCPA acknowledgement missed; by type, and by channel for requests received by email or post;
// - no request closed without a response (a response date and its nature; a refusal with its basis);
// - no request fulfilled before the person was verified (a correction also approved, an agent's
//   permission confirmed) and never verified after the answer;
// - every complaint answered by its reply date, with the reply recorded and the regulator named.
import type { Database } from '../../../platform/store/index.js';
import { BY_TYPE, requestsCover } from '../covers.js';
import { ALL, type Family, type Sink } from '../family.js';
import { REQUEST_COLUMNS } from '../person-batch.js';
import { ATTRIBUTION, type PolicyMap } from '../policy-map.js';

type Request = Omit<Database['rights_requests'], 'sealed' | 'result' | 'locale'>;

const OPEN = new Set([
  'awaiting_verification',
  'awaiting_agent_confirmation',
  'awaiting_approval',
  'in_progress',
]);
const BY_MAIL = new Set(['email', 'postal']);

function promisesOf(r: Request): string[] {
  const out = [BY_TYPE[r.type] ?? 'P20'];
  if (BY_MAIL.has(r.channel)) out.push(ATTRIBUTION.requestsByMail);
  return out;
}

function checkRequest(r: Request, today: string, sink: Sink): void {
  const flag = (
    rule: string,
    reason: string,
    promises: readonly string[],
    extra: Record<string, string | null> = {},
  ) => {
    for (const promise of promises)
      sink.add(ALL, {
        promise,
        table: 'rights_requests',
        row: r.id,
        rule,
        reason,
        values: {
          type: r.type,
          channel: r.channel,
          status: r.status,
          due_on: r.extended_due_on ?? r.due_on,
          ...extra,
        },
      });
  };
  const open = OPEN.has(r.status);
  const due = r.extended_due_on ?? r.due_on;
  if (open ? due < today : r.responded_at !== null && r.responded_at.slice(0, 10) > due)
    flag(
      'request.on_time',
      open ? 'The request is open past its deadline' : 'The request was answered after its deadline',
      promisesOf(r),
      {
        responded_at: r.responded_at,
      },
    );
  if (
    r.ack_due_on !== null &&
    (r.acknowledged_at === null
      ? open && r.ack_due_on < today
      : r.acknowledged_at.slice(0, 10) > r.ack_due_on)
  )
    flag('request.acknowledged', 'The acknowledgement the law requires was missed', promisesOf(r), {
      ack_due_on: r.ack_due_on,
    });
  if (open) return;
  if (r.responded_at === null || r.response_nature === null)
    flag('request.answered', 'The request was closed without a recorded response', promisesOf(r), {
      responded_at: r.responded_at,
    });
  if (r.status === 'denied' && r.denial_basis === null)
    flag('request.denial_basis', 'The request was refused without saying on what basis', promisesOf(r));
  if (r.status !== 'completed') return;
  const verifiedPromises =
    r.type === 'correction' ? [ATTRIBUTION.correctionVerified, ...promisesOf(r)] : promisesOf(r);
  if (r.verified_at === null || r.verification_method === null)
    flag('request.verified_first', 'The request was fulfilled without verifying who asked', verifiedPromises);
  else if (r.responded_at !== null && r.verified_at > r.responded_at)
    flag('request.verified_first', 'The request was verified only after it was answered', verifiedPromises, {
      verified_at: r.verified_at,
      responded_at: r.responded_at,
    });
  if (r.type === 'correction' && r.approved_by === null)
    flag(
      'request.correction_approved',
      'A correction was made without a privacy officer approving it',
      verifiedPromises,
    );
  if (Number(r.is_agent) === 1 && r.agent_confirmed_at === null)
    flag(
      'request.agent_confirmed',
      'An agent’s request was fulfilled without confirming their permission',
      promisesOf(r),
    );
}

function checkComplaint(
  map: PolicyMap,
  c: Database['complaints'],
  replies: ReadonlySet<string>,
  today: string,
  sink: Sink,
): void {
  const flag = (rule: string, reason: string, extra: Record<string, string | null> = {}) =>
    sink.add(ALL, {
      promise: ATTRIBUTION.complaints,
      table: 'complaints',
      row: c.id,
      rule,
      reason,
      values: { status: c.status, jurisdiction: c.jurisdiction, reply_due_on: c.reply_due_on, ...extra },
    });
  if (c.first_reply_at === null ? c.reply_due_on < today : c.first_reply_at.slice(0, 10) > c.reply_due_on)
    flag(
      'complaint.on_time',
      c.first_reply_at === null ? 'No reply by the reply date' : 'Replied after the reply date',
      {
        first_reply_at: c.first_reply_at,
      },
    );
  if (c.status !== 'open' && c.first_reply_at === null)
    flag('complaint.answered', 'The complaint was closed without a reply');
  if (c.first_reply_at !== null && !replies.has(c.id))
    flag('complaint.reply_recorded', 'The complaint is marked replied, but no reply is recorded');
  if (
    map.policy.regulator(c.jurisdiction) !== undefined
      ? c.regulator !== c.jurisdiction
      : c.regulator !== null && map.policy.regulator(c.regulator) === undefined
  )
    flag(
      'complaint.regulator_named',
      'The complaint does not name the regulator of the person’s jurisdiction',
      {
        regulator: c.regulator,
      },
    );
}

export const requestsFamily: Family = {
  ...requestsCover,
  async run(env, sink) {
    sink.checked(ALL);
    const db = env.ctx.store.db;
    const today = env.now.toISOString().slice(0, 10);
    const requests = await db.selectFrom('rights_requests').select(REQUEST_COLUMNS).execute();
    for (const r of requests) checkRequest(r, today, sink);
    const complaints = await db.selectFrom('complaints').selectAll().execute();
    const replied = new Set(
      (await db.selectFrom('complaint_replies').select('complaint_id').distinct().execute()).map(
        (r) => r.complaint_id,
      ),
    );
    for (const c of complaints) checkComplaint(env.map, c, replied, today, sink);
    return 'done';
  },
};
