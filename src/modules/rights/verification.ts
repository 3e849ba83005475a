// Verification of who is asking, before anything is disclosed, changed or deleted (P16, CCPA
// regulations): the emailed code typed on the status page, or staff matching two or three data points.

import { Vault } from '../../platform/crypto/index.js';
import { VowError } from '../../platform/errors.js';
import { advance, findRow, type RightsDeps, requireDirectory, statusIndex } from './internal.js';
import type { HeldPoint, PostalAddressInput } from './ports.js';
import type { RequestStatus, VerificationMethod } from './tables.js';

/** Wrong codes allowed before a request is locked (a new request must be made). */
const MAX_ATTEMPTS = 5;

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
      throw new VowError('VOW_VERIFICATION_LOCKED', 'Too many wrong codes; please make a new request');
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
  if (outcome.kind === 'locked')
    throw new VowError('VOW_VERIFICATION_LOCKED', 'Too many wrong codes; please make a new request');
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

/**
 * Staff verify a person without an account by matching details they supplied against what is
 * held (CCPA regulations): two matching points allow an answer listing categories, three plus a
 * signed declaration allow specific pieces, correction and deletion.
 */
export async function verifyByDataPoints(
  deps: RightsDeps,
  requestId: string,
  points: DataPoints,
  declarationSigned: boolean,
  staffId: string,
): Promise<{ status: RequestStatus; method: VerificationMethod; matched: number }> {
  const ctx = deps.ctx;
  const directory = requireDirectory(deps);
  const r = await findRow(ctx, requestId);
  if (r.status !== 'awaiting_verification')
    throw new VowError('VOW_REQUEST_STATE', 'The request is already verified');
  const found: (string | undefined)[] = [];
  if (points.email) found.push(await directory.findByEmail(points.email));
  if (points.phone) found.push(await directory.findByPhone(points.phone));
  if (points.accountId) found.push(await directory.findByAccount(points.accountId));
  if (points.address && directory.findByAddress) found.push(await directory.findByAddress(points.address));
  const tally = new Map<string, number>();
  for (const s of found) if (s) tally.set(s, (tally.get(s) ?? 0) + 1);
  // A detail that does not find anyone by itself can still be one the person holds: a postal
  // address is a look-up only for people who gave nothing else, so a catalog requester who also
  // gave an email is found by the email and matched on the address they hold.
  if (directory.holds) {
    const supplied = suppliedPoints(points);
    for (const s of tally.keys()) {
      let held = 0;
      for (const p of supplied) if (await directory.holds(s, p)) held++;
      tally.set(s, Math.max(tally.get(s) ?? 0, held));
    }
  }
  const [subjectId, matched] = [...tally.entries()].sort((a, b) => b[1] - a[1])[0] ?? [undefined, 0];
  const needsThree = !['access', 'restriction', 'objection'].includes(r.type);
  const method: VerificationMethod | null =
    matched >= 3 && declarationSigned
      ? 'data_points_3'
      : matched >= 2 && !needsThree
        ? 'data_points_2'
        : null;
  const now = ctx.clock.now().toISOString();
  const result = await ctx.store.db.transaction().execute(async (trx) => {
    await ctx.audit.record(
      {
        actor: { type: 'staff', id: staffId },
        action: method ? 'request.verified' : 'request.verification_failed',
        target: { type: 'request', id: requestId },
        details: { method: method ?? 'data_points', matched, supplied: found.length, declarationSigned },
      },
      trx,
    );
    if (!method || !subjectId) return null;
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
  deps.jobs.wake();
  return { status: result, method: method!, matched };
}
