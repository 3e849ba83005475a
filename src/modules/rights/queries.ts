// What staff and the person see of requests: the log entry as a view with its deadlines, the staff
// queue, the audited staff detail, the shopper's status page and a subject's requests.

import { VowError } from '../../platform/errors.js';
import type { VowContext } from '../policy/index.js';
import { regulatorName } from '../policy/index.js';
import { isOverdue, isoDay, lawOf } from './deadlines.js';
import { findRow, openSealed, type Row, type Sealed, statusIndex } from './internal.js';
import type {
  Jurisdiction,
  RequestChannel,
  RequestStatus,
  RequestType,
  VerificationMethod,
} from './tables.js';
import {
  type PendingVerification,
  pendingVerification,
  requestsPendingApproval,
} from './verification-approval.js';

export interface RequestView {
  readonly id: string;
  readonly type: RequestType;
  readonly jurisdiction: Jurisdiction;
  readonly law: string;
  readonly channel: RequestChannel;
  readonly status: RequestStatus;
  readonly scope: { categories?: string[]; purposes?: string[] };
  readonly subjectId: string | null;
  readonly receivedOn: string;
  readonly dueOn: string;
  readonly originalDueOn: string;
  readonly extended: boolean;
  readonly extensionPossibleUntil: string | null;
  readonly ackDueOn: string | null;
  readonly acknowledgedAt: string | null;
  readonly overdue: boolean;
  readonly ackOverdue: boolean;
  readonly daysLeft: number;
  readonly verificationMethod: VerificationMethod | null;
  readonly verifiedAt: string | null;
  readonly isAgent: boolean;
  readonly agentConfirmed: boolean;
  readonly respondedAt: string | null;
  readonly responseNature: string | null;
  readonly denialBasis: string | null;
  readonly result: unknown;
}

/** What staff see of a request beyond the log: the contact and the evidence, decrypted. */
export interface RequestDetail extends RequestView {
  readonly contact: Sealed;
  /** A staff verification waiting for a privacy officer's approval (four eyes), or none. */
  readonly pendingVerification: PendingVerification | null;
}

function dayDiff(from: string, to: string): number {
  return Math.round((Date.parse(`${to}T00:00:00Z`) - Date.parse(`${from}T00:00:00Z`)) / 86_400_000);
}

/** The authority a person of this jurisdiction may complain to (none named for `other`). */
export function regulatorFor(
  ctx: VowContext,
  jurisdiction: Jurisdiction,
): { id: string; name: string; url: string } | undefined {
  return ctx.policy.regulator(jurisdiction);
}

/** The regulator's name as the person reads it (in the request's language). */
export function regulatorIn(ctx: VowContext, jurisdiction: Jurisdiction, locale: string): string | undefined {
  const r = ctx.policy.regulator(jurisdiction);
  return r ? regulatorName(ctx.policy, r.id, locale) : undefined;
}

/** A log entry as shown, with its deadlines read against today's date (the injected clock). */
export function view(ctx: VowContext, r: Row): RequestView {
  const today = isoDay(ctx.clock.now());
  const dueOn = r.extended_due_on ?? r.due_on;
  const open = r.status !== 'completed' && r.status !== 'denied';
  return {
    id: r.id,
    type: r.type,
    jurisdiction: r.jurisdiction,
    law: lawOf(r.jurisdiction, ctx.policy),
    channel: r.channel,
    status: r.status,
    scope: JSON.parse(r.scope),
    subjectId: r.subject_id,
    receivedOn: r.received_at.slice(0, 10),
    dueOn,
    originalDueOn: r.due_on,
    extended: r.extended_due_on !== null,
    extensionPossibleUntil: r.extended_due_on === null && open && today <= r.due_on ? r.due_on : null,
    ackDueOn: r.ack_due_on,
    acknowledgedAt: r.acknowledged_at,
    overdue: open && isOverdue(dueOn, today),
    ackOverdue: r.ack_due_on !== null && r.acknowledged_at === null && isOverdue(r.ack_due_on, today),
    daysLeft: dayDiff(today, dueOn),
    verificationMethod: r.verification_method,
    verifiedAt: r.verified_at,
    isAgent: r.is_agent === 1,
    agentConfirmed: r.agent_confirmed_at !== null,
    respondedAt: r.responded_at,
    responseNature: r.response_nature,
    denialBasis: r.denial_basis,
    result: r.result === null ? null : JSON.parse(r.result),
  };
}

/** A request as the staff API lists it: the log entry and whether its verification waits (four eyes). */
export interface ListedRequest extends RequestView {
  /** Its staff verification waits for a privacy officer's approval (the request detail's `pendingVerification`). */
  readonly pendingApproval: boolean;
}

/**
 * The staff queue: open requests (or all), soonest deadline first, overdue ones flagged, each saying
 * whether its staff verification waits for a privacy officer; `pendingApproval` keeps only those
 * (the console queue's "Verifications to approve only").
 */
export async function queue(
  ctx: VowContext,
  options: { includeClosed?: boolean; pendingApproval?: boolean } = {},
): Promise<ListedRequest[]> {
  let q = ctx.store.db.selectFrom('rights_requests').selectAll();
  if (!options.includeClosed) q = q.where('status', 'not in', ['completed', 'denied']);
  if (options.pendingApproval) q = q.where('status', '=', 'awaiting_verification');
  const rows = await q.limit(2000).execute();
  const pending = await requestsPendingApproval(ctx);
  return rows
    .filter((r) => !options.pendingApproval || pending.has(r.id))
    .map((r) => ({ ...view(ctx, r), pendingApproval: pending.has(r.id) }))
    .sort((a, b) =>
      a.dueOn < b.dueOn ? -1 : a.dueOn > b.dueOn ? 1 : a.receivedOn.localeCompare(b.receivedOn),
    );
}

export async function getRequest(ctx: VowContext, requestId: string): Promise<RequestView> {
  return view(ctx, await findRow(ctx, requestId));
}

/** Staff detail: the log entry plus the decrypted contact and evidence (the access is audited). */
export async function detail(ctx: VowContext, requestId: string, staffId: string): Promise<RequestDetail> {
  const r = await findRow(ctx, requestId);
  const contact = await openSealed(ctx, r);
  await ctx.audit.record({
    actor: { type: 'staff', id: staffId },
    action: 'request.viewed',
    target: { type: 'request', id: requestId },
  });
  return { ...view(ctx, r), contact, pendingVerification: await pendingVerification(ctx, r) };
}

/** What the shopper's status page shows (no personal values). */
export async function statusByToken(ctx: VowContext, statusToken: string): Promise<RequestView> {
  const r = await ctx.store.db
    .selectFrom('rights_requests')
    .selectAll()
    .where('status_token_index', '=', statusIndex(ctx, statusToken))
    .executeTakeFirst();
  if (!r) throw new VowError('VOW_REQUEST_NOT_FOUND', 'No request matches this link');
  return view(ctx, r);
}

/** A verified subject's requests (for other modules' "my data" pages and the staff person view). */
export async function forSubject(ctx: VowContext, subjectId: string): Promise<RequestView[]> {
  const rows = await ctx.store.db
    .selectFrom('rights_requests')
    .selectAll()
    .where('subject_id', '=', subjectId)
    .execute();
  return rows.map((r) => view(ctx, r));
}
