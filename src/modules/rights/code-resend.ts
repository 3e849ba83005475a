// "Send me a new code" on a request's status page: a code that ran out (15 minutes) or a request
// locked by wrong codes needs no new request. The new code goes to the contact sealed with the
// request, never to an address the caller gives; the earlier code stops working; the request keeps
// its id and its deadline (the statutory clock runs from receipt, not from the code).

import { VowError } from '../../platform/errors.js';
import { mailboxOf } from '../../platform/mail/index.js';
import { CODE_TTL_MS, newCode, statusUrl } from './intake.js';
import { newToken, openSealed, type RightsDeps, statusIndex } from './internal.js';
import { rightsMail } from './mail-text.js';

/** At least this long between two codes of one request (the mail may simply be slow). */
export const RESEND_GAP_MS = 60_000;
/** At most this many codes per request in any 24 hours, the first one included. */
export const CODES_PER_DAY = 5;
const DAY_MS = 24 * 3600_000;

/** Why a new code is not sent now (in the refusal's details, with the seconds to wait). */
export type ResendLimit = 'gap' | 'daily';

function limited(reason: ResendLimit, retryAfterMs: number): VowError {
  const seconds = Math.max(1, Math.ceil(retryAfterMs / 1000));
  return new VowError(
    'VOW_RATE_LIMITED',
    reason === 'gap'
      ? `A code was sent less than a minute ago; check the inbox, or ask again in ${seconds} seconds`
      : `${CODES_PER_DAY} codes were sent for this request in the last 24 hours; ask again in ${seconds} seconds`,
    { reason, retryAfterSeconds: seconds },
  );
}

/**
 * Mails a new code for the request of this status token, to the address on the request. Refused
 * when the request is not waiting for its code (VOW_REQUEST_STATE), has no address to mail
 * (logged by staff without one, or its contact forgotten), too soon after the last code or past the
 * day's codes (VOW_RATE_LIMITED, with `reason` and `retryAfterSeconds`), or past the address's mail
 * budget (the mail budget port). As at intake, an address Vow does not know gets a code that no
 * row can verify, so the answer never says whether Vow knows someone.
 */
export async function resendCode(
  deps: RightsDeps,
  statusToken: string,
): Promise<{ requestId: string; expiresAt: string }> {
  const ctx = deps.ctx;
  const index = statusIndex(ctx, statusToken);
  const r = await ctx.store.db
    .selectFrom('rights_requests')
    .selectAll()
    .where('status_token_index', '=', index)
    .executeTakeFirst();
  if (!r) throw new VowError('VOW_REQUEST_NOT_FOUND', 'No such request');
  const state = (status: string) =>
    new VowError('VOW_REQUEST_STATE', 'This request is not waiting for a code: see its status page', {
      status,
    });
  if (r.status !== 'awaiting_verification') throw state(r.status);
  const contact = await openSealed(ctx, r);
  if (!contact.email || !r.email_index)
    throw new VowError(
      'VOW_REQUEST_STATE',
      'This request has no email address to send a code to: write to us, or make a new request',
    );
  const to = contact.email;
  /** The limits of this request, read again inside the transaction that sends. */
  const check = async (db: typeof ctx.store.db, now: Date) => {
    const codes = await db
      .selectFrom('rights_verifications')
      .select('created_at')
      .where('request_id', '=', r.id)
      .where('created_at', '>', new Date(now.getTime() - DAY_MS).toISOString())
      .orderBy('created_at', 'desc')
      .execute();
    const last = codes[0] ? Date.parse(codes[0].created_at) : undefined;
    if (last !== undefined && now.getTime() - last < RESEND_GAP_MS)
      throw limited('gap', last + RESEND_GAP_MS - now.getTime());
    if (codes.length >= CODES_PER_DAY) {
      const oldest = Date.parse(codes[CODES_PER_DAY - 1]!.created_at);
      throw limited('daily', oldest + DAY_MS - now.getTime());
    }
    return codes.length;
  };
  const now = ctx.clock.now();
  await check(ctx.store.db, now);
  const code = newCode(ctx);
  const verificationId = ctx.random.uuid();
  const known = r.subject_id !== null;
  const codeHash = ctx.vault.blindIndex('token', `code:${verificationId}:${known ? code : newToken(ctx)}`);
  const nowIso = now.toISOString();
  const expiresAt = new Date(now.getTime() + CODE_TTL_MS).toISOString();
  await ctx.store.db.transaction().execute(async (trx) => {
    // Two sends at once: the request row is held (PostgreSQL; SQLite runs one writer at a time).
    let held = trx.selectFrom('rights_requests').select('status').where('id', '=', r.id);
    if (ctx.store.dialect === 'postgres') held = held.forUpdate();
    const status = (await held.executeTakeFirst())?.status ?? 'missing';
    if (status !== 'awaiting_verification') throw state(status);
    const sentBefore = await check(trx, now);
    // One message of the budget of the mailbox the address delivers to (`ann+1@` is `ann@`), shared
    // with every other route that mails it (security.md #29). Spent in the transaction that issues
    // the code and queues its mail: a crash before it commits spends nothing, and a refusal issues
    // nothing.
    await deps.ports().mailBudget?.(
      {
        address: ctx.vault.blindIndex('email', to.trim().toLowerCase()),
        mailbox: ctx.vault.blindIndex('email', mailboxOf(to)),
      },
      trx,
    );
    // The earlier codes stop working (the newest row is the one checked; this makes it explicit).
    await trx
      .updateTable('rights_verifications')
      .set({ expires_at: nowIso })
      .where('request_id', '=', r.id)
      .where('used_at', 'is', null)
      .where('expires_at', '>', nowIso)
      .execute();
    await trx
      .insertInto('rights_verifications')
      .values({
        id: verificationId,
        request_id: r.id,
        code_hash: codeHash,
        expires_at: expiresAt,
        attempts: 0,
        used_at: null,
        created_at: nowIso,
      })
      .execute();
    await trx.updateTable('rights_requests').set({ updated_at: nowIso }).where('id', '=', r.id).execute();
    await ctx.audit.record(
      {
        actor: { type: 'subject' },
        action: 'request.code_resent',
        target: { type: 'request', id: r.id },
        details: { codesToday: sentBefore + 1 },
      },
      trx,
    );
    const say = rightsMail(r.locale);
    await deps.mail.enqueue(
      {
        to,
        kind: 'rights.code',
        ...say.code({
          shop: ctx.policy.doc.controller.name,
          type: say.typeName[r.type],
          receivedOn: r.received_at.slice(0, 10),
          code,
          statusUrl: statusUrl(ctx, statusToken),
          dueOn: r.extended_due_on ?? r.due_on,
          again: true,
        }),
      },
      trx,
    );
  });
  deps.jobs.wake();
  return { requestId: r.id, expiresAt };
}
