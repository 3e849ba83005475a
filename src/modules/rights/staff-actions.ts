// What staff do to a request, each in one transaction with its audit entry: confirm an agent, approve
// a correction, extend the deadline, deny, acknowledge, and lift a restriction (telling the person first).

import type { Transaction, Updateable } from 'kysely';
import { VowError } from '../../platform/errors.js';
import type { Database } from '../../platform/store/index.js';
import { deadlinesFor, isoDay, stateLawOf } from './deadlines.js';
import { advance, findRow, openSealed, type RightsDeps, seal } from './internal.js';
import { rightsMail } from './mail-text.js';
import { type RequestView, regulatorIn, view } from './queries.js';
import type { RequestStatus } from './tables.js';
import { withdrawPending } from './verification-approval.js';

/**
 * One staff step on a request, in one transaction: the row's changes (updated_at moves with
 * them), whatever else the step does (a notice to the person, moving the request on), and the
 * step's audit entry.
 */
async function staffStep<T = undefined>(
  deps: RightsDeps,
  requestId: string,
  staffId: string,
  step: {
    action: string;
    changes: Updateable<Database['rights_requests']>;
    reason?: string;
    details?: Record<string, unknown>;
  },
  alsoDo?: (trx: Transaction<Database>) => Promise<T>,
): Promise<T> {
  const ctx = deps.ctx;
  const now = ctx.clock.now().toISOString();
  return ctx.store.db.transaction().execute(async (trx) => {
    await trx
      .updateTable('rights_requests')
      .set({ ...step.changes, updated_at: now })
      .where('id', '=', requestId)
      .execute();
    const result = (alsoDo ? await alsoDo(trx) : undefined) as T;
    await ctx.audit.record(
      {
        actor: { type: 'staff', id: staffId },
        action: step.action,
        target: { type: 'request', id: requestId },
        reason: step.reason,
        details: step.details,
      },
      trx,
    );
    return result;
  });
}

/** Staff confirm an authorised agent's signed permission (recorded in the audit trail). */
export async function confirmAgent(
  deps: RightsDeps,
  requestId: string,
  staffId: string,
): Promise<RequestStatus> {
  const r = await findRow(deps.ctx, requestId);
  if (r.is_agent !== 1 || r.agent_confirmed_at !== null)
    throw new VowError('VOW_REQUEST_STATE', 'The request has no agent permission waiting for confirmation');
  const now = deps.ctx.clock.now().toISOString();
  const status = await staffStep(
    deps,
    requestId,
    staffId,
    {
      action: 'request.agent_confirmed',
      changes: { agent_confirmed_at: now, agent_confirmed_by: staffId },
    },
    (trx) => (r.verified_at ? advance(deps, trx, requestId) : Promise.resolve(r.status)),
  );
  deps.jobs.wake();
  return status;
}

/** Staff approve a correction after looking at the evidence; the change then runs as a job. */
export async function approveCorrection(
  deps: RightsDeps,
  requestId: string,
  staffId: string,
): Promise<RequestStatus> {
  const r = await findRow(deps.ctx, requestId);
  if (r.type !== 'correction' || r.status !== 'awaiting_approval')
    throw new VowError('VOW_REQUEST_STATE', 'The request is not a verified correction waiting for approval');
  const status = await staffStep(
    deps,
    requestId,
    staffId,
    { action: 'request.correction_approved', changes: { approved_by: staffId } },
    (trx) => advance(deps, trx, requestId),
  );
  deps.jobs.wake();
  return status;
}

/**
 * Extends the deadline (GDPR: by two months, CCPA: by 45 days), once, only before the first
 * deadline has passed; the person is told why in the same transaction.
 */
export async function extend(
  deps: RightsDeps,
  requestId: string,
  reason: string,
  staffId: string,
): Promise<RequestView> {
  const ctx = deps.ctx;
  const r = await findRow(ctx, requestId);
  const today = isoDay(ctx.clock.now());
  if (r.extended_due_on !== null)
    throw new VowError('VOW_EXTENSION_NOT_ALLOWED', 'The deadline was already extended once');
  if (r.status === 'completed' || r.status === 'denied')
    throw new VowError('VOW_REQUEST_STATE', 'The request is closed');
  if (today > r.due_on)
    throw new VowError('VOW_EXTENSION_NOT_ALLOWED', 'An extension must be notified within the first period', {
      dueOn: r.due_on,
    });
  const d = deadlinesFor(r.jurisdiction, r.received_at.slice(0, 10), ctx.policy);
  if (d.extendedDueOn === d.dueOn)
    throw new VowError('VOW_EXTENSION_NOT_ALLOWED', 'The law of this jurisdiction allows no extension');
  const contact = await openSealed(ctx, r);
  // The reason is personal to the request: it is sealed with the contact, not written to the log.
  const sealed = await seal(ctx, r.id, { ...contact, extensionReason: reason });
  const now = ctx.clock.now().toISOString();
  await staffStep(
    deps,
    requestId,
    staffId,
    {
      action: 'request.extended',
      changes: { extended_due_on: d.extendedDueOn, extended_at: now, sealed },
      details: { dueOn: d.extendedDueOn, notified: contact.email !== undefined },
    },
    async (trx) => {
      if (!contact.email) return;
      await deps.mail.enqueue(
        {
          to: contact.email,
          kind: 'rights.extension',
          subjectId: r.subject_id ?? undefined,
          ...rightsMail(r.locale).extended({
            type: rightsMail(r.locale).typeName[r.type],
            receivedOn: d.receivedOn,
            reason,
            dueOn: d.extendedDueOn,
          }),
        },
        trx,
      );
    },
  );
  return view(ctx, await findRow(ctx, requestId));
}

/** Staff refuse a request, giving the legal basis (kept in the 24-month request log). */
export async function deny(
  deps: RightsDeps,
  requestId: string,
  basis: string,
  staffId: string,
): Promise<RequestView> {
  const ctx = deps.ctx;
  const r = await findRow(ctx, requestId);
  if (r.status === 'completed' || r.status === 'denied')
    throw new VowError('VOW_REQUEST_STATE', 'The request is closed');
  const contact = await openSealed(ctx, r);
  const appeal = stateLawOf(r.jurisdiction, ctx.policy)?.appeal;
  const now = ctx.clock.now().toISOString();
  await staffStep(
    deps,
    requestId,
    staffId,
    {
      action: 'request.denied',
      changes: {
        status: 'denied',
        denial_basis: basis,
        denied_by: staffId,
        responded_at: now,
        response_nature: 'denied',
      },
      reason: basis,
    },
    async (trx) => {
      // A staff verification still waiting for approval can no longer be approved.
      await withdrawPending(trx, requestId, staffId, now);
      if (!contact.email) return;
      await deps.mail.enqueue(
        {
          to: contact.email,
          kind: 'rights.denied',
          ...rightsMail(r.locale).denied({
            type: rightsMail(r.locale).typeName[r.type],
            basis,
            regulator: regulatorIn(ctx, r.jurisdiction, r.locale),
            ...(appeal?.offered && appeal.decide_within_days !== undefined
              ? { appeal: { days: appeal.decide_within_days, cite: appeal.cite } }
              : {}),
          }),
        },
        trx,
      );
    },
  );
  return view(ctx, await findRow(ctx, requestId));
}

/** Staff mark a request acknowledged (a postal request answered by letter). */
export async function acknowledge(
  deps: RightsDeps,
  requestId: string,
  staffId: string,
): Promise<RequestView> {
  const ctx = deps.ctx;
  const r = await findRow(ctx, requestId);
  if (r.acknowledged_at !== null)
    throw new VowError('VOW_REQUEST_STATE', 'The request was already acknowledged');
  await staffStep(deps, requestId, staffId, {
    action: 'request.acknowledged',
    changes: { acknowledged_at: ctx.clock.now().toISOString() },
  });
  return view(ctx, await findRow(ctx, requestId));
}

/**
 * Lifts the restriction a request put in place. The person is told first (GDPR Art. 18(3)): the
 * notice is written to the outbox before the restriction ends, in the same transaction.
 */
export async function liftRestriction(
  deps: RightsDeps,
  requestId: string,
  staffId: string,
  reason: string,
): Promise<number> {
  const ctx = deps.ctx;
  const r = await findRow(ctx, requestId);
  if (!['restriction', 'objection'].includes(r.type))
    throw new VowError('VOW_REQUEST_STATE', 'Not a restriction');
  if (r.type === 'objection')
    throw new VowError(
      'VOW_REQUEST_STATE',
      'An objection to direct marketing is absolute and cannot be lifted by staff',
    );
  const contact = await openSealed(ctx, r);
  const now = ctx.clock.now().toISOString();
  return ctx.store.db.transaction().execute(async (trx) => {
    const open = await trx
      .selectFrom('restrictions')
      .select('id')
      .where('request_id', '=', requestId)
      .where('lifted_at', 'is', null)
      .execute();
    if (open.length === 0) throw new VowError('VOW_REQUEST_STATE', 'No open restriction for this request');
    await deps.ports().downstream?.event(trx, 'restriction.lifted', { requestId });
    if (contact.email) {
      await deps.mail.enqueue(
        {
          to: contact.email,
          kind: 'rights.restriction_lifted',
          ...rightsMail(r.locale).restrictionLifted({ since: r.received_at.slice(0, 10), reason }),
        },
        trx,
      );
    }
    await ctx.audit.record(
      {
        actor: { type: 'staff', id: staffId },
        action: 'restriction.lift_notified',
        target: { type: 'request', id: requestId },
        details: { notified: contact.email !== undefined },
      },
      trx,
    );
    await trx
      .updateTable('restrictions')
      .set({ lifted_at: now })
      .where('request_id', '=', requestId)
      .where('lifted_at', 'is', null)
      .execute();
    await ctx.audit.record(
      {
        actor: { type: 'staff', id: staffId },
        action: 'restriction.lifted',
        target: { type: 'request', id: requestId },
        reason,
      },
      trx,
    );
    return open.length;
  });
}
