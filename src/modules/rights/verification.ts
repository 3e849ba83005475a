// Verification of who is asking, before anything is disclosed, changed or deleted (P16, CCPA
// regulations): the emailed code typed on the status page, or staff matching two or three data points.

import { Vault } from '../../platform/crypto/index.js';
import { VowError } from '../../platform/errors.js';
import { advance, findRow, type RightsDeps, requireDirectory, statusIndex } from './internal.js';
import type { HeldPoint, PersonDirectory, PostalAddressInput } from './ports.js';
import type { DetailKind, RequestStatus, VerificationMethod } from './tables.js';
import { needsApproval, pendingVerification, recordPending } from './verification-approval.js';

/** Wrong codes allowed before a request's code is locked (a new code can be asked for: code-resend.ts). */
const MAX_ATTEMPTS = 5;
const LOCKED = 'Too many wrong codes; ask for a new code on the request’s status page';

export interface DataPoints {
  readonly email?: string | undefined;
  readonly phone?: string | undefined;
  readonly accountId?: string | undefined;
  readonly address?: PostalAddressInput | undefined;
}

/**
 * Checks a code typed on the status page. Every failure (wrong, expired, used, unknown person)
 * answers the same; after five wrong codes the request is locked. Guesses are also limited per
 * email address across all its requests (the code guard, when connected), counted before the check.
 */
export async function verifyCode(
  deps: RightsDeps,
  statusToken: string,
  code: string,
  from = 'local',
): Promise<{ requestId: string; status: RequestStatus }> {
  const ctx = deps.ctx;
  const index = statusIndex(ctx, statusToken);
  const guard = deps.ports().codeGuard;
  let attempt: { succeeded(): Promise<void> } | undefined;
  if (guard) {
    const target = await ctx.store.db
      .selectFrom('rights_requests')
      .leftJoin('rights_verifications', 'rights_verifications.request_id', 'rights_requests.id')
      .select(['rights_requests.email_index', 'rights_verifications.attempts'])
      .where('rights_requests.status_token_index', '=', index)
      .orderBy('rights_verifications.created_at', 'desc')
      .limit(1)
      .executeTakeFirst();
    // A request already locked answers so without spending a guess of the address.
    if (target && Number(target.attempts ?? 0) >= MAX_ATTEMPTS)
      throw new VowError('VOW_VERIFICATION_LOCKED', LOCKED);
    if (target?.email_index) attempt = await guard(target.email_index, from);
  }
  const now = ctx.clock.now();
  const outcome = await ctx.store.db.transaction().execute(async (trx) => {
    const r = await trx
      .selectFrom('rights_requests')
      .selectAll()
      .where('status_token_index', '=', index)
      .executeTakeFirst();
    if (!r) return { kind: 'not_found' as const };
    let vq = trx
      .selectFrom('rights_verifications')
      .selectAll()
      .where('request_id', '=', r.id)
      .orderBy('created_at', 'desc')
      .limit(1);
    // Concurrent guesses wait on the row, so none escapes the attempt count (SQLite serialises writers).
    if (ctx.store.dialect === 'postgres') vq = vq.forUpdate();
    const v = await vq.executeTakeFirst();
    if (!v || r.status !== 'awaiting_verification') return { kind: 'failed' as const, requestId: r.id };
    if (Number(v.attempts) >= MAX_ATTEMPTS) return { kind: 'locked' as const, requestId: r.id };
    await trx
      .updateTable('rights_verifications')
      .set({ attempts: Number(v.attempts) + 1 })
      .where('id', '=', v.id)
      .execute();
    const candidate = ctx.vault.blindIndex('token', `code:${v.id}:${code.trim()}`);
    const matches = Vault.equal(candidate, v.code_hash);
    const usable = v.used_at === null && v.expires_at > now.toISOString();
    if (!matches || !usable) {
      await ctx.audit.record(
        {
          actor: { type: 'subject' },
          action: 'request.verification_failed',
          target: { type: 'request', id: r.id },
          details: { attempt: Number(v.attempts) + 1 },
        },
        trx,
      );
      return { kind: 'failed' as const, requestId: r.id };
    }
    // Only a known person's row can match (an unknown one holds the hash of a secret never sent).
    const subjectId = r.subject_id;
    await trx
      .updateTable('rights_verifications')
      .set({ used_at: now.toISOString() })
      .where('id', '=', v.id)
      .execute();
    await trx
      .updateTable('rights_requests')
      .set({
        verified_at: now.toISOString(),
        verification_method: 'email_code',
        subject_id: subjectId,
        updated_at: now.toISOString(),
      })
      .where('id', '=', r.id)
      .execute();
    await ctx.audit.record(
      {
        actor: { type: 'subject', id: subjectId ?? undefined },
        action: 'request.verified',
        target: { type: 'request', id: r.id },
        details: { method: 'email_code' },
      },
      trx,
    );
    return { kind: 'ok' as const, requestId: r.id, status: await advance(deps, trx, r.id) };
  });
  if (outcome.kind === 'ok') {
    await attempt?.succeeded();
    deps.jobs.wake();
    return { requestId: outcome.requestId, status: outcome.status };
  }
  if (outcome.kind === 'locked') throw new VowError('VOW_VERIFICATION_LOCKED', LOCKED);
  throw new VowError('VOW_VERIFICATION_FAILED', 'The code is not valid');
}

/** The details supplied, as identifiers the directory can check a person holds. */
function suppliedPoints(points: DataPoints): HeldPoint[] {
  const out: HeldPoint[] = [];
  if (points.email) out.push({ kind: 'email', value: points.email });
  if (points.phone) out.push({ kind: 'phone', value: points.phone });
  if (points.accountId) out.push({ kind: 'account', value: points.accountId });
  if (points.address) out.push({ kind: 'address', value: points.address });
  return out;
}

/** Who a detail finds by itself (a postal address only where the directory can look one up). */
async function lookUp(directory: PersonDirectory, p: HeldPoint): Promise<string | undefined> {
  switch (p.kind) {
    case 'email':
      return directory.findByEmail(p.value);
    case 'phone':
      return directory.findByPhone(p.value);
    case 'account':
      return directory.findByAccount(p.value);
    case 'address':
      return directory.findByAddress?.(p.value);
  }
}

/** What a staff verification by matching details came to. */
export interface DataPointVerification {
  readonly status: RequestStatus;
  readonly method: VerificationMethod;
  readonly matched: number;
  readonly matchedKinds: DetailKind[];
  /** A privacy officer's approval is awaited before the request moves on (four eyes). */
  readonly pendingApproval: boolean;
}

/**
 * Staff verify a person without an account by matching details they supplied against what is
 * held (CCPA regulations): two matching points allow an answer listing categories, three plus a
 * signed declaration allow specific pieces, correction and deletion. Those three-detail ones wait for
 * a privacy officer independent of the verifier (verification-approval.ts): the request stays
 * unverified until approved.
 */
export async function verifyByDataPoints(
  deps: RightsDeps,
  requestId: string,
  points: DataPoints,
  declarationSigned: boolean,
  staffId: string,
): Promise<DataPointVerification> {
  const ctx = deps.ctx;
  const directory = requireDirectory(deps);
  const r = await findRow(ctx, requestId);
  if (r.status !== 'awaiting_verification')
    throw new VowError('VOW_REQUEST_STATE', 'The request is already verified');
  if (await pendingVerification(ctx, r))
    throw new VowError(
      'VOW_REQUEST_STATE',
      'A verification of this request already waits for a privacy officer to approve or reject it',
    );
  const supplied = suppliedPoints(points).filter((p) => p.kind !== 'address' || directory.findByAddress);
  const found: (string | undefined)[] = [];
  for (const p of supplied) found.push(await lookUp(directory, p));
  // The kinds of details that match each person found: those that found them, or, where the
  // directory can tell, those the person holds. A detail that does not find anyone by itself can
  // still be one the person holds: a postal address is a look-up only for people who gave nothing
  // else, so a catalog requester who also gave an email is found by the email and matched on the
  // address they hold.
  const kindsOf = new Map<string, DetailKind[]>();
  for (const s of new Set(found)) {
    if (!s) continue;
    const byLookUp = supplied.filter((_, i) => found[i] === s).map((p) => p.kind);
    const held: DetailKind[] = [];
    if (directory.holds)
      for (const p of suppliedPoints(points)) if (await directory.holds(s, p)) held.push(p.kind);
    kindsOf.set(s, held.length >= byLookUp.length ? held : byLookUp);
  }
  const [subjectId, matchedKinds] = [...kindsOf.entries()].sort((a, b) => b[1].length - a[1].length)[0] ?? [
    undefined,
    [],
  ];
  const matched = matchedKinds.length;
  const needsThree = !['access', 'restriction', 'objection'].includes(r.type);
  const method: VerificationMethod | null =
    matched >= 3 && declarationSigned
      ? 'data_points_3'
      : matched >= 2 && !needsThree
        ? 'data_points_2'
        : null;
  const waits = method !== null && needsApproval(r.type, method);
  const now = ctx.clock.now().toISOString();
  const result = await ctx.store.db.transaction().execute(async (trx) => {
    await ctx.audit.record(
      {
        actor: { type: 'staff', id: staffId },
        action: !method
          ? 'request.verification_failed'
          : waits
            ? 'request.verification_awaiting_approval'
            : 'request.verified',
        target: { type: 'request', id: requestId },
        details: {
          method: method ?? 'data_points',
          matched,
          matchedKinds,
          supplied: found.length,
          declarationSigned,
        },
      },
      trx,
    );
    if (!method || !subjectId) return null;
    if (waits) {
      await recordPending(ctx, trx, {
        requestId,
        method,
        subjectId,
        matched: matchedKinds,
        declarationSigned,
        staffId,
      });
      await trx.updateTable('rights_requests').set({ updated_at: now }).where('id', '=', requestId).execute();
      return r.status;
    }
    await trx
      .updateTable('rights_requests')
      .set({ verified_at: now, verification_method: method, subject_id: subjectId, updated_at: now })
      .where('id', '=', requestId)
      .execute();
    return advance(deps, trx, requestId);
  });
  if (result === null)
    throw new VowError('VOW_VERIFICATION_FAILED', 'Too few of the details supplied match what we hold', {
      matched,
      needed: needsThree ? 3 : 2,
      declarationNeeded: needsThree,
    });
  if (!waits) deps.jobs.wake();
  return { status: result, method: method!, matched, matchedKinds, pendingApproval: waits };
}
