// Data subject requests, the JSON API: a shopper's intake and code check, an account holder's
// session-verified intake, and the staff queue; the staff's actions on a request (verify, extend,
// deny, lift, ...) are in rights-staff-actions.ts.

import { z } from 'zod';
import {
  JURISDICTIONS,
  REQUEST_TYPES,
  type RequestView,
  type SubmitInput,
} from '../../modules/rights/index.js';
import { correctedAddress } from '../../modules/subjects/index.js';
import { VowError } from '../../platform/errors.js';
import { LOCALES, type Locale } from '../../platform/i18n/index.js';
import { line, prose } from '../../platform/strings.js';
import { email, id, viewSchema } from '../rights-schemas.js';
import { staffIdOf } from '../route-helpers.js';
import type { RouteModule } from '../route-module.js';

const day = line().regex(/^\d{4}-\d{2}-\d{2}$/, 'YYYY-MM-DD');
const token = line().min(20).max(100);

const ADDRESS = 'contact.postal_address';
const part = line().max(200);
/** A corrected postal address in its parts (docs/api.md, "What a correction's value is"). */
const addressParts = z
  .strictObject({
    line1: line().trim().min(1).max(200),
    line2: part.optional(),
    city: part.optional(),
    region: part.optional(),
    postal_code: part.optional(),
    country: part.optional().describe('ISO 3166-1 alpha-2, e.g. US'),
  })
  .describe('The new postal address in its parts (preferred: each part lands in its own column)');

/** A corrected address given in its parts is shown in its parts, as it was sent (not as JSON text). */
function withAddressParts(contact: Record<string, unknown>): Record<string, unknown> {
  const c = contact.correction as { category?: unknown; value?: unknown } | undefined;
  if (c?.category !== ADDRESS || typeof c.value !== 'string' || !c.value.trim().startsWith('{'))
    return { ...contact };
  return { ...contact, correction: { ...c, value: correctedAddress(c.value) ?? c.value } };
}

const requestFields = {
  type: z.enum(REQUEST_TYPES),
  jurisdiction: z
    .enum(JURISDICTIONS)
    .describe(
      'Where the person says they live; decides the clock: eea/uk GDPR, us-ca CCPA, another US state its law in the policy (us_state_laws), other and states without a law the GDPR clock',
    ),
  name: line().min(1).max(200).optional(),
  categories: z
    .array(line().min(1).max(128))
    .max(64)
    .optional()
    .describe('Deletion/access of chosen categories only'),
  purposes: z
    .array(line().min(1).max(128))
    .max(64)
    .optional()
    .describe('Restriction/objection of chosen purposes'),
  correction: z
    .strictObject({
      category: line().min(1).max(128),
      column: line().min(1).max(128).optional(),
      value: z.union([line().min(1).max(2000), addressParts], {
        error:
          'give the new value as text, or a postal address as an object of its parts with line1 (and line2, city, region, postal_code, country as text)',
      }),
      evidence: prose().max(2000).optional(),
    })
    .refine((c) => typeof c.value === 'string' || c.category === ADDRESS, {
      path: ['value'],
      message: `only a postal address (${ADDRESS}) is given as an object of its parts; other values are text`,
    })
    // The service takes the parts as JSON text (subjects.correctedAddress reads both forms).
    .transform((c) => (typeof c.value === 'string' ? c : { ...c, value: JSON.stringify(c.value) }))
    .optional(),
  details: prose().max(4000).optional(),
  agent: z.strictObject({ name: line().min(1).max(200), permission: line().min(1).max(2000) }).optional(),
  locale: z
    .enum(LOCALES)
    .optional()
    .describe('The language of every message about the request (default en-US)'),
};

const publicRequestBody = z.strictObject({ ...requestFields, email });
const staffRequestBody = z.strictObject({
  ...requestFields,
  email: email.optional(),
  channel: z.enum(['email', 'postal']),
  receivedOn: day.describe('The day the email or letter arrived'),
});
const accountRequestBody = z.strictObject({
  ...requestFields,
  jurisdiction: requestFields.jurisdiction
    .optional()
    .describe('Absent: from the address on file, else `other` (IP geolocation is never used)'),
});

const intakeResponse = z.object({
  statusToken: z.string(),
  statusUrl: z.string(),
  status: z.string(),
  dueOn: z.string(),
  message: z.string(),
});

const pendingSchema = z.object({
  id: z.string(),
  method: z.string(),
  subjectId: z.string(),
  matched: z
    .array(z.string())
    .readonly()
    .describe('The kinds of details that matched (email, phone, account, address)'),
  declarationSigned: z.boolean(),
  verifiedBy: z.string().describe('The staff member who verified'),
  verifiedAt: z.string(),
});

const shopperStatus = z.object({
  type: z.string(),
  status: z.string(),
  receivedOn: z.string(),
  dueOn: z.string(),
  extended: z.boolean(),
  respondedAt: z.string().nullable(),
});

function shopperView(v: RequestView): z.infer<typeof shopperStatus> {
  return {
    type: v.type,
    status: v.status,
    receivedOn: v.receivedOn,
    dueOn: v.dueOn,
    extended: v.extended,
    respondedAt: v.respondedAt,
  };
}

const SENT =
  'If we can match this address, we sent a code to it. Enter it on your status page within 15 minutes.';
const RESENT =
  'We sent a new code to the address given with the request. Enter it within 15 minutes; the earlier code no longer works.';

export const rightsApiRoutes: RouteModule = (app, ctx, services) => {
  const rights = services.rights;
  const statusUrl = (t: string) => `${ctx.config.publicUrl}/privacy/request/status/${t}`;

  // Shoppers.
  app.post(
    '/v1/requests',
    {
      config: { access: 'public', mailsTo: 'email' },
      schema: {
        tags: ['rights'],
        errors: ['VOW_NOT_CORRECTABLE', 'VOW_REQUEST_INVALID', 'VOW_SUBJECT_SHREDDED'],
        summary:
          'Make a data subject request (access, portability, correction, deletion, restriction, objection)',
        description:
          'Answers 202 the same way whether or not the email is known. A 6-digit code is emailed; POST it to /v1/requests/verify with the status token.',
        body: publicRequestBody,
        response: { 202: intakeResponse },
      },
    },
    async (req, reply) => {
      const { locale, ...input } = req.body;
      const r = await rights.submit(input as SubmitInput, { channel: 'web', locale });
      return reply.code(202).send({
        statusToken: r.statusToken,
        statusUrl: statusUrl(r.statusToken),
        status: r.status,
        dueOn: r.dueOn,
        message: SENT,
      });
    },
  );

  app.post(
    '/v1/requests/verify',
    {
      config: { access: 'public' },
      schema: {
        tags: ['rights'],
        errors: ['VOW_LOCKED_OUT', 'VOW_VERIFICATION_FAILED', 'VOW_VERIFICATION_LOCKED'],
        summary: 'Confirm a request with the emailed code (5 attempts, 15 minutes)',
        body: z.strictObject({ statusToken: token, code: line().regex(/^\d{6}$/) }),
        response: { 200: z.object({ status: z.string() }) },
      },
    },
    async (req) => ({
      status: (await rights.verifyCode(req.body.statusToken, req.body.code, req.ip)).status,
    }),
  );

  app.post(
    '/v1/requests/resend-code',
    {
      // Limited as the code checks are per client address, and per request and per address below.
      config: { access: 'public', limit: 'code' },
      schema: {
        tags: ['rights'],
        errors: ['VOW_REQUEST_NOT_FOUND', 'VOW_REQUEST_STATE'],
        summary: 'Send a new code for a request waiting for its code (the earlier one stops working)',
        description:
          'The code goes to the email address given with the request, never to one in this body. A code that ran out, or five wrong codes, need no new request: the request keeps its id and its deadline. At most one code a minute and five a day per request, and the address’s mail budget (VOW_RATE_LIMITED with `reason` and `retryAfterSeconds`).',
        body: z.strictObject({ statusToken: token }),
        response: { 202: z.object({ status: z.string(), expiresAt: z.string(), message: z.string() }) },
      },
    },
    async (req, reply) => {
      const sent = await rights.resendCode(req.body.statusToken);
      return reply.code(202).send({
        status: 'awaiting_verification',
        expiresAt: sent.expiresAt,
        message: RESENT,
      });
    },
  );

  app.get(
    '/v1/requests/status/:token',
    {
      config: { access: 'public' },
      schema: {
        tags: ['rights'],
        errors: ['VOW_REQUEST_NOT_FOUND'],
        summary: "A request's status, by its status token",
        params: z.strictObject({ token }),
        response: { 200: shopperStatus },
      },
    },
    async (req) => shopperView(await rights.statusByToken(req.params.token)),
  );

  app.post(
    '/v1/me/requests',
    {
      config: { access: 'shopper' },
      schema: {
        tags: ['rights'],
        errors: ['VOW_REQUEST_INVALID'],
        summary: "An account holder's request, verified by their session",
        body: accountRequestBody,
        response: { 202: intakeResponse },
      },
    },
    async (req, reply) => {
      const p = req.principal;
      const subjectId = p?.kind === 'shopper' || p?.kind === 'test' ? p.subjectId : null;
      if (!subjectId)
        throw new VowError(
          'VOW_REQUEST_INVALID',
          'Verify your account email first; then your session proves who you are',
        );
      // The answer (an access export's link) goes to the account's confirmed email.
      const account = p?.kind === 'shopper' ? await services.identity.accounts.view(p.accountId) : undefined;
      const { locale, ...body } = req.body as Omit<SubmitInput, 'jurisdiction'> & {
        jurisdiction?: SubmitInput['jurisdiction'];
        locale?: Locale;
      };
      const { jurisdiction } = await rights.resolveJurisdiction(body.jurisdiction, subjectId);
      const r = await rights.submit(
        { ...body, jurisdiction },
        {
          channel: 'account',
          locale,
          sessionSubjectId: subjectId,
          replyTo: account?.emailVerifiedAt ? (account.email ?? undefined) : undefined,
        },
      );
      return reply.code(202).send({
        statusToken: r.statusToken,
        statusUrl: statusUrl(r.statusToken),
        status: r.status,
        dueOn: r.dueOn,
        message: 'Your session confirmed who you are; we are answering your request.',
      });
    },
  );

  // Staff.
  app.post(
    '/v1/staff/requests',
    {
      config: { access: 'staff:customer_service' },
      schema: {
        tags: ['rights'],
        errors: ['VOW_REQUEST_INVALID'],
        summary: 'Log a request that arrived by email or postal mail (P24), with its day of receipt',
        body: staffRequestBody,
        response: { 201: z.object({ request: viewSchema, statusToken: z.string() }) },
      },
    },
    async (req, reply) => {
      const { channel, receivedOn, locale, ...input } = req.body;
      const r = await rights.submit(input as SubmitInput, {
        channel,
        receivedOn,
        locale,
        staffId: staffIdOf(req),
      });
      return reply.code(201).send({ request: await rights.get(r.requestId), statusToken: r.statusToken });
    },
  );

  app.get(
    '/v1/staff/requests',
    {
      config: { access: 'staff:customer_service' },
      schema: {
        tags: ['rights'],
        errors: [],
        summary:
          "The request queue: soonest deadline first, overdue flagged, staff verifications waiting for a privacy officer's approval flagged (`pendingApproval=true`: only those)",
        querystring: z.strictObject({
          include: z.enum(['open', 'all']).default('open'),
          pendingApproval: z
            .enum(['true', 'false'])
            .optional()
            .describe(
              "`true`: only requests whose staff verification waits for a privacy officer's approval",
            ),
        }),
        response: {
          200: z.object({
            requests: z.array(
              viewSchema.extend({
                pendingApproval: z
                  .boolean()
                  .describe(
                    "Its staff verification waits for a privacy officer's approval (approve-verification, reject-verification)",
                  ),
              }),
            ),
          }),
        },
      },
    },
    async (req) => ({
      requests: await rights.queue({
        includeClosed: req.query.include === 'all',
        pendingApproval: req.query.pendingApproval === 'true',
      }),
    }),
  );

  app.get(
    '/v1/staff/requests/:id',
    {
      config: { access: 'staff:customer_service' },
      schema: {
        tags: ['rights'],
        errors: ['VOW_REQUEST_NOT_FOUND'],
        summary: 'One request, with the contact and evidence (the view is audited)',
        params: z.strictObject({ id }),
        response: {
          200: viewSchema.extend({
            contact: z.record(z.string(), z.unknown()),
            pendingVerification: pendingSchema
              .nullable()
              .describe(
                "A staff verification waiting for a privacy officer's approval (approve-verification, reject-verification)",
              ),
          }),
        },
      },
    },
    async (req) => {
      const d = await rights.detail(req.params.id, staffIdOf(req));
      return { ...d, contact: withAddressParts(d.contact as Record<string, unknown>) };
    },
  );
};
