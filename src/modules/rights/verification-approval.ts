// Four eyes on staff verifications (docs/security.md, "customer service alone deleting or exporting
// anyone"). A staff member who matches three details and records a signed declaration could
// otherwise verify, and so delete, correct or export, anyone: the details are on the person's page.
// Such a verification waits here instead, and only a privacy officer who is another person (the
// identity module's independence test, through the `independent` port) approves it, after which the
// request moves on exactly as an approved verification always did; or rejects it, and the request
// waits for verification again. The request stays `awaiting_verification` meanwhile: nothing that
// reads the request row takes it for verified, and its deadline runs on (the law's clock does not stop).

import type { Transaction } from 'kysely';
import { VowError } from '../../platform/errors.js';
import type { Database } from '../../platform/store/index.js';
import { holdsContactShape } from '../../platform/strings.js';
import type { VowContext } from '../policy/index.js';
import { advance, findRow, type RightsDeps, type Row } from './internal.js';
import type { DetailKind, RequestType, RightsTables, VerificationMethod } from './tables.js';

type ApprovalRow = RightsTables['rights_verification_approvals'];

/** A staff verification waiting for a privacy officer, as staff see it (no values). */
export interface PendingVerification {
  readonly id: string;
  readonly method: VerificationMethod;
  /** The person the details matched (the request's subject once approved). */
  readonly subjectId: string;
  /** The kinds of details that matched the person (email, phone, account, address). */
  readonly matched: readonly DetailKind[];
  readonly declarationSigned: boolean;
  readonly verifiedBy: string;
  readonly verifiedAt: string;
}

/**
 * Whether a staff verification needs a second person: the three-detail one (with the declaration)
 * that lets a deletion, a correction or a copy of the values (access, portability) go ahead. Two
 * details answer an access request with the kinds of data held only, which says nothing the verifier
 * cannot read on the person's page already, and a restriction or an objection only stops uses of the
 * person's data: neither waits (docs/security.md).
 */
export function needsApproval(type: RequestType, method: VerificationMethod): boolean {
  return method === 'data_points_3' && type !== 'restriction' && type !== 'objection';
}

function pendingView(a: ApprovalRow): PendingVerification {
  return {
    id: a.id,
    method: a.method,
    subjectId: a.subject_id,
    matched: JSON.parse(a.matched) as DetailKind[],
    declarationSigned: a.declaration_signed === 1,
    verifiedBy: a.verified_by,
    verifiedAt: a.verified_at,
  };
}

/** Whether the request waits for its identity still (a verification approved or emailed closes it). */
function stillUnverified(r: Pick<Row, 'status' | 'verified_at'>): boolean {
  return r.status === 'awaiting_verification' && r.verified_at === null;
}

/** The verification waiting for approval on a request still unverified, or none. */
export async function pendingVerification(
  ctx: VowContext,
  r: Pick<Row, 'id' | 'status' | 'verified_at'>,
): Promise<PendingVerification | null> {
  if (!stillUnverified(r)) return null;
  const a = await ctx.store.db
    .selectFrom('rights_verification_approvals')
    .selectAll()
    .where('request_id', '=', r.id)
    .where('status', '=', 'pending')
    .executeTakeFirst();
  return a ? pendingView(a) : null;
}

/** The ids of the unverified requests whose staff verification waits for approval (the queue). */
export async function requestsPendingApproval(ctx: VowContext): Promise<Set<string>> {
  const rows = await ctx.store.db
    .selectFrom('rights_verification_approvals')
    .innerJoin('rights_requests', 'rights_requests.id', 'rights_verification_approvals.request_id')
    .select('rights_verification_approvals.request_id')
    .where('rights_verification_approvals.status', '=', 'pending')
    .where('rights_requests.status', '=', 'awaiting_verification')
    .where('rights_requests.verified_at', 'is', null)
    .execute();
  return new Set(rows.map((r) => r.request_id));
}

/** Records a staff verification as waiting for approval (inside the verification's transaction). */
export async function recordPending(
  ctx: VowContext,
  trx: Transaction<Database>,
  input: {
    requestId: string;
    method: VerificationMethod;
    subjectId: string;
    matched: readonly DetailKind[];
    declarationSigned: boolean;
    staffId: string;
  },
): Promise<PendingVerification> {
  const waiting = await trx
    .selectFrom('rights_verification_approvals')
    .select('id')
    .where('request_id', '=', input.requestId)
    .where('status', '=', 'pending')
    .executeTakeFirst();
  if (waiting)
    throw new VowError(
      'VOW_REQUEST_STATE',
      'A verification of this request already waits for a privacy officer to approve or reject it',
    );
  const row: ApprovalRow = {
    id: ctx.random.uuid(),
    request_id: input.requestId,
    status: 'pending',
    method: input.method,
    subject_id: input.subjectId,
    matched: JSON.stringify(input.matched),
    declaration_signed: input.declarationSigned ? 1 : 0,
    verified_by: input.staffId,
    verified_at: ctx.clock.now().toISOString(),
    decided_by: null,
    decided_at: null,
    decision_reason: null,
  };
  // The partial unique index refuses a second pending row should two verifications race.
  await trx.insertInto('rights_verification_approvals').values(row).execute();
  return pendingView(row);
}

/** Closes a waiting verification when the request is refused (it can no longer be approved). */
export async function withdrawPending(
  trx: Transaction<Database>,
  requestId: string,
  staffId: string,
  at: string,
): Promise<void> {
  await trx
    .updateTable('rights_verification_approvals')
    .set({ status: 'withdrawn', decided_by: staffId, decided_at: at })
    .where('request_id', '=', requestId)
    .where('status', '=', 'pending')
    .execute();
}

/**
 * Whether this staff member may decide the waiting verification: another person than the verifier
 * (not their account, nor one they issued or were issued by). The role (privacy officer) is the
 * shell's to check, as for every route.
 */
export async function independentOfVerifier(
  deps: RightsDeps,
  pending: Pick<PendingVerification, 'verifiedBy'>,
  staffId: string,
): Promise<boolean> {
  if (staffId === pending.verifiedBy) return false;
  const independent = deps.ports().independent;
  return independent === undefined || (await independent(staffId, pending.verifiedBy));
}

async function requireDecidable(
  deps: RightsDeps,
  requestId: string,
  staffId: string,
): Promise<{ r: Row; pending: PendingVerification }> {
  const r = await findRow(deps.ctx, requestId);
  const pending = await pendingVerification(deps.ctx, r);
  if (!pending) throw new VowError('VOW_REQUEST_STATE', 'No verification of this request waits for approval');
  if (!(await independentOfVerifier(deps, pending, staffId)))
    throw new VowError(
      'VOW_APPROVAL_NOT_INDEPENDENT',
      'Another privacy officer must decide: you verified this request, or one of you issued the other’s credentials',
    );
  return { r, pending };
}

/** A reason goes to the audit trail: it may not carry an email address or a phone number. */
function checkReason(reason: string): string {
  const why = reason.trim();
  if (why.length < 3)
    throw new VowError('VOW_VALIDATION', 'Say why the verification is rejected (the verifier reads it)');
  // Read as the audit trail's guard reads it (NFKC: `ann＠example.com`, full-width digits; #53).
  if (holdsContactShape(why))
    throw new VowError(
      'VOW_VALIDATION',
      'The reason goes to the audit trail: it may not hold an email address or a phone number',
    );
  return why;
}

/**
 * A privacy officer independent of the verifier approves: the waiting row is claimed
 * (compare-and-set, so two approvals verify once), the request is verified with the verifier's
 * method and person, and moves on exactly as a verification always did (fulfilment, or the agent's
 * permission, or the correction's approval first).
 */
export async function approveVerification(
  deps: RightsDeps,
  requestId: string,
  staffId: string,
): Promise<{ status: Row['status']; method: VerificationMethod; verifiedBy: string }> {
  const ctx = deps.ctx;
  const { pending } = await requireDecidable(deps, requestId, staffId);
  const now = ctx.clock.now().toISOString();
  const status = await ctx.store.db.transaction().execute(async (trx) => {
    const claimed = await trx
      .updateTable('rights_verification_approvals')
      .set({ status: 'approved', decided_by: staffId, decided_at: now })
      .where('id', '=', pending.id)
      .where('status', '=', 'pending')
      .executeTakeFirst();
    const verified = await trx
      .updateTable('rights_requests')
      .set({
        verified_at: now,
        verification_method: pending.method,
        subject_id: pending.subjectId,
        updated_at: now,
      })
      .where('id', '=', requestId)
      .where('status', '=', 'awaiting_verification')
      .where('verified_at', 'is', null)
      .executeTakeFirst();
    if (Number(claimed.numUpdatedRows) !== 1 || Number(verified.numUpdatedRows) !== 1)
      throw new VowError('VOW_REQUEST_STATE', 'The verification was decided meanwhile');
    await ctx.audit.record(
      {
        actor: { type: 'staff', id: staffId },
        action: 'request.verification_approved',
        target: { type: 'request', id: requestId },
        details: { method: pending.method, verifiedBy: pending.verifiedBy, matched: pending.matched },
      },
      trx,
    );
    return advance(deps, trx, requestId);
  });
  deps.jobs.wake();
  return { status, method: pending.method, verifiedBy: pending.verifiedBy };
}

/**
 * A privacy officer independent of the verifier rejects, saying why: nothing is verified, the
 * request waits for verification again (by the emailed code, or by staff matching details anew).
 */
export async function rejectVerification(
  deps: RightsDeps,
  requestId: string,
  staffId: string,
  reason: string,
): Promise<{ status: Row['status']; verifiedBy: string }> {
  const ctx = deps.ctx;
  const why = checkReason(reason);
  const { r, pending } = await requireDecidable(deps, requestId, staffId);
  const now = ctx.clock.now().toISOString();
  await ctx.store.db.transaction().execute(async (trx) => {
    const res = await trx
      .updateTable('rights_verification_approvals')
      .set({ status: 'rejected', decided_by: staffId, decided_at: now, decision_reason: why })
      .where('id', '=', pending.id)
      .where('status', '=', 'pending')
      .executeTakeFirst();
    if (Number(res.numUpdatedRows) !== 1)
      throw new VowError('VOW_REQUEST_STATE', 'The verification was decided meanwhile');
    await trx.updateTable('rights_requests').set({ updated_at: now }).where('id', '=', requestId).execute();
    await ctx.audit.record(
      {
        actor: { type: 'staff', id: staffId },
        action: 'request.verification_rejected',
        target: { type: 'request', id: requestId },
        reason: why,
        details: { method: pending.method, verifiedBy: pending.verifiedBy },
      },
      trx,
    );
  });
  return { status: r.status, verifiedBy: pending.verifiedBy };
}
