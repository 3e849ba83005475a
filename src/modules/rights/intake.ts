// Intake of data subject requests (P24): the web form, the account page and staff logging email or
// post; the law's deadlines set on receipt, the contact sealed, and a confirmation code mailed.

import { VowError } from '../../platform/errors.js';
import { DEFAULT_LOCALE, type Locale } from '../../platform/i18n/index.js';
import { isEmailShaped } from '../../platform/strings.js';
import type { VowContext } from '../policy/index.js';
import { categoryName, isWithin } from '../policy/index.js';
import { correctedAddress, normaliseEmail, normalisePhone } from '../subjects/index.js';
import { deadlinesFor, EARLIEST_DAY, isCalendarDay, isoDay } from './deadlines.js';
import { advance, emailIndex, newToken, type RightsDeps, seal, statusIndex } from './internal.js';
import { rightsMail } from './mail-text.js';
import type { Jurisdiction, RequestChannel, RequestStatus, RequestType } from './tables.js';

/** A code is typed on the status page within 15 minutes of the mail. */
export const CODE_TTL_MS = 15 * 60_000;

export interface SubmitInput {
  readonly type: RequestType;
  readonly jurisdiction: Jurisdiction;
  readonly email?: string | undefined;
  readonly name?: string | undefined;
  /** Deletion or access of chosen categories only. */
  readonly categories?: readonly string[] | undefined;
  /** Restriction or objection of chosen purposes (ids or prefixes, e.g. `marketing`). */
  readonly purposes?: readonly string[] | undefined;
  readonly correction?:
    | {
        readonly category: string;
        readonly column?: string | undefined;
        readonly value: string;
        readonly evidence?: string | undefined;
      }
    | undefined;
  readonly details?: string | undefined;
  /** An authorised agent acting for the person, with their signed permission (described). */
  readonly agent?: { readonly name: string; readonly permission: string } | undefined;
}

export interface SubmitOptions {
  readonly channel: RequestChannel;
  /** The language the person uses (the page's, or the API body's `locale`): every message is in it. */
  readonly locale?: Locale | undefined;
  /** Staff logging a request that arrived by email or post give the day it was received. */
  readonly receivedOn?: string | undefined;
  readonly staffId?: string | undefined;
  /** A logged-in account holder: verified by their session (the security module's shopper session). */
  readonly sessionSubjectId?: string | undefined;
  /**
   * Where a session-verified request is answered: the account's confirmed email (sealed with the
   * request like any contact; no code is mailed, the session verified the person).
   */
  readonly replyTo?: string | undefined;
}

export interface SubmitResult {
  readonly requestId: string;
  /** The secret of the shopper's status page; shown once, stored only as a keyed hash. */
  readonly statusToken: string;
  readonly status: RequestStatus;
  readonly dueOn: string;
}

/** The request's scope, in the policy's own ids only (so the log never holds free text there). */
function validate(ctx: VowContext, input: SubmitInput): { categories?: string[]; purposes?: string[] } {
  const policy = ctx.policy;
  const scope: { categories?: string[]; purposes?: string[] } = {};
  if (input.categories && input.categories.length > 0) {
    if (!['deletion', 'access', 'portability'].includes(input.type))
      throw new VowError('VOW_REQUEST_INVALID', 'Only access and deletion requests take categories');
    for (const c of input.categories)
      if (!policy.hasCategory(c))
        throw new VowError('VOW_REQUEST_INVALID', `Unknown data category "${c}"`, { category: c });
    scope.categories = [...new Set(input.categories)];
  }
  if (input.purposes && input.purposes.length > 0) {
    if (!['restriction', 'objection'].includes(input.type))
      throw new VowError('VOW_REQUEST_INVALID', 'Only restriction and objection requests take purposes');
    const ids = Object.keys(policy.doc.purposes);
    for (const p of input.purposes)
      if (!ids.some((id) => isWithin(id, p)))
        throw new VowError('VOW_REQUEST_INVALID', `Unknown purpose "${p}"`, { purpose: p });
    scope.purposes = [...new Set(input.purposes)];
  }
  if (input.type === 'objection' && !scope.purposes) scope.purposes = ['marketing'];
  if (input.type === 'correction') {
    if (!input.correction)
      throw new VowError('VOW_REQUEST_INVALID', 'A correction request needs the field and its new value');
    if (!policy.hasCategory(input.correction.category))
      throw new VowError('VOW_REQUEST_INVALID', `Unknown data category "${input.correction.category}"`, {
        category: input.correction.category,
      });
    // The policy says what a person may correct: not the record of what happened, nor a password.
    if (!policy.isCorrectable(input.correction.category))
      throw new VowError(
        'VOW_NOT_CORRECTABLE',
        `"${categoryName(policy, input.correction.category)}" cannot be corrected: choose another kind of information`,
        {
          category: input.correction.category,
          issues: [{ path: '/correction/category', code: 'not_allowed', message: 'not correctable' }],
        },
      );
  } else if (input.correction) {
    throw new VowError('VOW_REQUEST_INVALID', 'Only correction requests carry a correction');
  }
  return scope;
}

/**
 * A correction of an identifier is stored as the subjects module stores identifiers (an email
 * trimmed and lower-cased, a phone in E.164, an address's parts trimmed), so the corrected value
 * finds the person again; a value that is not one is refused now, before anyone approves it.
 */
function normaliseCorrection(input: SubmitInput): SubmitInput['correction'] {
  const c = input.correction;
  if (!c) return c;
  if (c.category === 'contact.email') {
    const value = normaliseEmail(c.value);
    if (!isEmailShaped(value))
      throw new VowError('VOW_REQUEST_INVALID', 'The corrected email is not an email address');
    return { ...c, value };
  }
  if (c.category === 'contact.phone') {
    const country =
      input.jurisdiction === 'uk' ? 'GB' : input.jurisdiction.startsWith('us') ? 'US' : undefined;
    const value =
      country || c.value.trim().startsWith('+') ? normalisePhone(c.value, country ?? 'US') : undefined;
    if (!value)
      throw new VowError(
        'VOW_REQUEST_INVALID',
        'The corrected phone is not a valid number (give it with its country code, e.g. +44 20 7946 0000)',
      );
    return { ...c, value };
  }
  if (c.category === 'contact.postal_address') {
    // One line (the whole address as written) or a JSON object of its parts: docs/api.md.
    const address = correctedAddress(c.value);
    if (!address)
      throw new VowError(
        'VOW_REQUEST_INVALID',
        'The corrected postal address is not an address (one line, or a JSON object with line1, line2, city, region, postal_code and country as text)',
      );
    return { ...c, value: c.value.trim().startsWith('{') ? JSON.stringify(address) : c.value.trim() };
  }
  return c;
}

/** Six digits, uniform: draws above the last whole million are thrown away rather than skewing. */
export function newCode(ctx: VowContext): string {
  for (;;) {
    const n = ctx.random.bytes(4).readUInt32BE(0);
    if (n < 4_294_000_000) return String(n % 1_000_000).padStart(6, '0');
  }
}

export function statusUrl(ctx: VowContext, token: string): string {
  return `${ctx.config.publicUrl}/privacy/request/status/${token}`;
}

/**
 * Files a request. A web request is answered the same way whether or not the email is known:
 * a code is mailed either way, and for an unknown address the stored hash belongs to a secret
 * that was never sent, so no code can ever verify it.
 */
export async function submit(
  deps: RightsDeps,
  input: SubmitInput,
  options: SubmitOptions,
): Promise<SubmitResult> {
  const ctx = deps.ctx;
  const scope = validate(ctx, input);
  const email = input.email?.trim() || undefined;
  if (options.channel === 'web' && !email && !options.sessionSubjectId)
    throw new VowError('VOW_REQUEST_INVALID', 'An email address is needed to verify who is asking');
  const now = ctx.clock.now();
  const receivedOn = options.receivedOn ?? isoDay(now);
  if (!isCalendarDay(receivedOn))
    throw new VowError(
      'VOW_REQUEST_INVALID',
      `The day of receipt is not a day of the calendar from ${EARLIEST_DAY} on (YYYY-MM-DD)`,
    );
  if (receivedOn > isoDay(now))
    throw new VowError('VOW_REQUEST_INVALID', 'The day of receipt cannot be in the future');
  const deadlines = deadlinesFor(input.jurisdiction, receivedOn, ctx.policy);
  const id = ctx.random.uuid();
  const statusToken = newToken(ctx);
  const sealed = await seal(ctx, id, {
    email:
      email ?? (options.sessionSubjectId !== undefined ? options.replyTo?.trim() || undefined : undefined),
    name: input.name,
    details: input.details,
    correction: normaliseCorrection(input),
    agent: input.agent,
  });
  // Look-ups happen before the transaction (and whatever their answer, the same work follows).
  const directory = deps.ports().directory;
  const known = email && directory ? await directory.findByEmail(email) : undefined;
  const code = newCode(ctx);
  const verificationId = ctx.random.uuid();
  const neverSent = newToken(ctx);
  const codeHash = ctx.vault.blindIndex('token', `code:${verificationId}:${known ? code : neverSent}`);
  const sessionVerified = options.sessionSubjectId !== undefined;
  const nowIso = now.toISOString();
  const locale = options.locale ?? DEFAULT_LOCALE;
  const receivedAt = options.receivedOn ? `${options.receivedOn}T00:00:00.000Z` : nowIso;

  const status = await ctx.store.db.transaction().execute(async (trx) => {
    await trx
      .insertInto('rights_requests')
      .values({
        id,
        type: input.type,
        scope: JSON.stringify(scope),
        jurisdiction: input.jurisdiction,
        channel: options.channel,
        status: 'awaiting_verification',
        // The person the email points at (unverified until the code is typed); never shown to the requester.
        subject_id: sessionVerified ? options.sessionSubjectId! : (known ?? null),
        email_index: email ? emailIndex(ctx, email) : null,
        sealed,
        received_at: receivedAt,
        due_on: deadlines.dueOn,
        ack_due_on: deadlines.ackDueOn,
        extended_due_on: null,
        extended_at: null,
        acknowledged_at: email ? nowIso : null,
        verified_at: sessionVerified ? nowIso : null,
        verification_method: sessionVerified ? 'session' : null,
        is_agent: input.agent ? 1 : 0,
        agent_confirmed_at: null,
        agent_confirmed_by: null,
        approved_by: null,
        denied_by: null,
        responded_at: null,
        response_nature: null,
        denial_basis: null,
        result: null,
        status_token_index: statusIndex(ctx, statusToken),
        created_by: options.staffId ?? null,
        created_at: nowIso,
        updated_at: nowIso,
        locale,
      })
      .execute();
    await ctx.audit.record(
      {
        actor: options.staffId
          ? { type: 'staff', id: options.staffId }
          : sessionVerified
            ? { type: 'subject', id: options.sessionSubjectId }
            : { type: 'subject' },
        action: 'request.received',
        target: { type: 'request', id },
        details: {
          type: input.type,
          jurisdiction: input.jurisdiction,
          channel: options.channel,
          receivedOn,
          dueOn: deadlines.dueOn,
          agent: input.agent !== undefined,
        },
      },
      trx,
    );
    if (sessionVerified) {
      await ctx.audit.record(
        {
          actor: { type: 'subject', id: options.sessionSubjectId },
          action: 'request.verified',
          target: { type: 'request', id },
          details: { method: 'session' },
        },
        trx,
      );
      return advance(deps, trx, id);
    }
    if (email) {
      await trx
        .insertInto('rights_verifications')
        .values({
          id: verificationId,
          request_id: id,
          code_hash: codeHash,
          expires_at: new Date(now.getTime() + CODE_TTL_MS).toISOString(),
          attempts: 0,
          used_at: null,
          created_at: nowIso,
        })
        .execute();
      const say = rightsMail(locale);
      await deps.mail.enqueue(
        {
          to: email,
          kind: 'rights.code',
          ...say.code({
            shop: ctx.policy.doc.controller.name,
            type: say.typeName[input.type],
            receivedOn,
            code,
            statusUrl: statusUrl(ctx, statusToken),
            dueOn: deadlines.dueOn,
          }),
        },
        trx,
      );
    }
    return 'awaiting_verification' as RequestStatus;
  });
  return { requestId: id, statusToken, status, dueOn: deadlines.dueOn };
}
