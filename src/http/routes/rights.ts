// Data subject requests over HTTP: the public intake and code check, the shopper's pages (form,
// status by unguessable token, export download), the account holder's session-verified intake,
// and the staff queue with its actions (JSON API and console pages).

import fastifyFormbody from '@fastify/formbody';
import type { FastifyReply } from 'fastify';
import { z } from 'zod';
import { statusOf } from '../../app/error-registry.js';
import {
  JURISDICTIONS,
  REQUEST_TYPES,
  type RequestView,
  type SubmitInput,
} from '../../modules/rights/index.js';
import { isVowError, VowError } from '../../platform/errors.js';
import { csrfToken } from '../access.js';
import { renderStaffQueue, renderStaffRequest } from '../console/requests.js';
import {
  renderExportSummary,
  renderRequestForm,
  renderRequestStatus,
  renderRightsMessage,
} from '../pages/request-pages.js';
import { staffIdOf } from '../route-helpers.js';
import type { RouteModule } from '../route-module.js';

const id = z.string().min(1).max(64);
const day = z.string().regex(/^\d{4}-\d{2}-\d{2}$/, 'YYYY-MM-DD');
const token = z.string().min(20).max(100);
const email = z.email().max(254);

const requestFields = {
  type: z.enum(REQUEST_TYPES),
  jurisdiction: z
    .enum(JURISDICTIONS)
    .describe('Decides the clock: eea/uk GDPR, us-ca CCPA, other the GDPR clock'),
  name: z.string().min(1).max(200).optional(),
  categories: z
    .array(z.string().min(1).max(128))
    .max(64)
    .optional()
    .describe('Deletion/access of chosen categories only'),
  purposes: z
    .array(z.string().min(1).max(128))
    .max(64)
    .optional()
    .describe('Restriction/objection of chosen purposes'),
  correction: z
    .strictObject({
      category: z.string().min(1).max(128),
      column: z.string().min(1).max(128).optional(),
      value: z.string().min(1).max(2000),
      evidence: z.string().max(2000).optional(),
    })
    .optional(),
  details: z.string().max(4000).optional(),
  agent: z
    .strictObject({ name: z.string().min(1).max(200), permission: z.string().min(1).max(2000) })
    .optional(),
};

const publicRequestBody = z.strictObject({ ...requestFields, email });
const staffRequestBody = z.strictObject({
  ...requestFields,
  email: email.optional(),
  channel: z.enum(['email', 'postal']),
  receivedOn: day.describe('The day the email or letter arrived'),
});
const accountRequestBody = z.strictObject(requestFields);

const intakeResponse = z.object({
  statusToken: z.string(),
  statusUrl: z.string(),
  status: z.string(),
  dueOn: z.string(),
  message: z.string(),
});

const viewSchema = z.object({
  id: z.string(),
  type: z.string(),
  jurisdiction: z.string(),
  law: z.string(),
  channel: z.string(),
  status: z.string(),
  scope: z.object({ categories: z.array(z.string()).optional(), purposes: z.array(z.string()).optional() }),
  subjectId: z.string().nullable(),
  receivedOn: z.string(),
  dueOn: z.string(),
  originalDueOn: z.string(),
  extended: z.boolean(),
  extensionPossibleUntil: z.string().nullable(),
  ackDueOn: z.string().nullable(),
  acknowledgedAt: z.string().nullable(),
  overdue: z.boolean(),
  ackOverdue: z.boolean(),
  daysLeft: z.number(),
  verificationMethod: z.string().nullable(),
  verifiedAt: z.string().nullable(),
  isAgent: z.boolean(),
  agentConfirmed: z.boolean(),
  respondedAt: z.string().nullable(),
  responseNature: z.string().nullable(),
  denialBasis: z.string().nullable(),
  result: z.unknown(),
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

function html(reply: FastifyReply, body: string, status = 200): FastifyReply {
  return reply.code(status).type('text/html; charset=utf-8').header('cache-control', 'no-store').send(body);
}

const formBody = z.object({
  _csrf: z.string().optional(),
  type: z.enum(REQUEST_TYPES),
  jurisdiction: z.enum(JURISDICTIONS),
  email,
  name: z.string().max(200).optional(),
  correction_category: z.string().max(128).optional(),
  correction_value: z.string().max(2000).optional(),
  details: z.string().max(4000).optional(),
});

export const rightsRoutes: RouteModule = async (app, ctx, services) => {
  if (!app.hasContentTypeParser('application/x-www-form-urlencoded')) await app.register(fastifyFormbody);
  const rights = services.rights;
  const statusUrl = (t: string) => `${ctx.config.publicUrl}/privacy/request/status/${t}`;

  // ---------------------------------------------------------------- JSON API: shoppers
  app.post(
    '/v1/requests',
    {
      config: { access: 'public' },
      schema: {
        tags: ['rights'],
        summary:
          'Make a data subject request (access, portability, correction, deletion, restriction, objection)',
        description:
          'Answers 202 the same way whether or not the email is known. A 6-digit code is emailed; POST it to /v1/requests/verify with the status token.',
        body: publicRequestBody,
        response: { 202: intakeResponse },
      },
    },
    async (req, reply) => {
      const r = await rights.submit(req.body as SubmitInput, { channel: 'web' });
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
        summary: 'Confirm a request with the emailed code (5 attempts, 15 minutes)',
        body: z.strictObject({ statusToken: token, code: z.string().regex(/^\d{6}$/) }),
        response: { 200: z.object({ status: z.string() }) },
      },
    },
    async (req) => ({ status: (await rights.verifyCode(req.body.statusToken, req.body.code)).status }),
  );

  app.get(
    '/v1/requests/status/:token',
    {
      config: { access: 'public' },
      schema: {
        tags: ['rights'],
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
      const r = await rights.submit(req.body as SubmitInput, {
        channel: 'account',
        sessionSubjectId: subjectId,
      });
      return reply.code(202).send({
        statusToken: r.statusToken,
        statusUrl: statusUrl(r.statusToken),
        status: r.status,
        dueOn: r.dueOn,
        message: 'Your session confirmed who you are; we are answering your request.',
      });
    },
  );

  // ---------------------------------------------------------------- JSON API: staff
  app.post(
    '/v1/staff/requests',
    {
      config: { access: 'staff:customer_service' },
      schema: {
        tags: ['rights'],
        summary: 'Log a request that arrived by email or postal mail (P24), with its day of receipt',
        body: staffRequestBody,
        response: { 201: z.object({ request: viewSchema, statusToken: z.string() }) },
      },
    },
    async (req, reply) => {
      const { channel, receivedOn, ...input } = req.body;
      const r = await rights.submit(input as SubmitInput, { channel, receivedOn, staffId: staffIdOf(req) });
      return reply.code(201).send({ request: await rights.get(r.requestId), statusToken: r.statusToken });
    },
  );

  app.get(
    '/v1/staff/requests',
    {
      config: { access: 'staff:customer_service' },
      schema: {
        tags: ['rights'],
        summary: 'The request queue: soonest deadline first, overdue flagged',
        querystring: z.strictObject({ include: z.enum(['open', 'all']).default('open') }),
        response: { 200: z.object({ requests: z.array(viewSchema) }) },
      },
    },
    async (req) => ({ requests: await rights.queue({ includeClosed: req.query.include === 'all' }) }),
  );

  app.get(
    '/v1/staff/requests/:id',
    {
      config: { access: 'staff:customer_service' },
      schema: {
        tags: ['rights'],
        summary: 'One request, with the contact and evidence (the view is audited)',
        params: z.strictObject({ id }),
        response: { 200: viewSchema.extend({ contact: z.record(z.string(), z.unknown()) }) },
      },
    },
    async (req) => {
      const d = await rights.detail(req.params.id, staffIdOf(req));
      return { ...d, contact: { ...d.contact } as Record<string, unknown> };
    },
  );

  const staffAction = <B extends z.ZodType>(
    path: string,
    access: 'staff:customer_service' | 'staff:privacy_officer',
    summary: string,
    body: B,
    run: (requestId: string, body: z.infer<B>, staffId: string) => Promise<unknown>,
  ) =>
    app.post(
      `/v1/staff/requests/:id/${path}`,
      {
        config: { access },
        schema: {
          tags: ['rights'],
          summary,
          params: z.strictObject({ id }),
          body,
          response: { 200: z.object({ request: viewSchema, outcome: z.unknown() }) },
        },
      },
      async (req) => {
        const { id: requestId } = req.params as { id: string };
        const outcome = await run(requestId, req.body as z.infer<B>, staffIdOf(req));
        return { request: await rights.get(requestId), outcome: outcome ?? null };
      },
    );

  staffAction(
    'verify-data-points',
    'staff:customer_service',
    'Verify a person without an account by matching details (2 for categories; 3 and a signed declaration for more)',
    z.strictObject({
      email: email.optional(),
      phone: z.string().min(3).max(40).optional(),
      accountId: z.string().min(1).max(200).optional(),
      address: z
        .strictObject({
          line1: z.string().min(1).max(200),
          line2: z.string().max(200).optional(),
          city: z.string().min(1).max(100),
          region: z.string().max(100).optional(),
          postal_code: z.string().min(1).max(20),
          country: z.string().length(2),
        })
        .optional(),
      declarationSigned: z.boolean().default(false),
    }),
    (rid, b, staff) => {
      const { declarationSigned, ...points } = b;
      return rights.verifyByDataPoints(rid, points, declarationSigned, staff);
    },
  );
  staffAction(
    'confirm-agent',
    'staff:customer_service',
    "Confirm an authorised agent's signed permission",
    z.strictObject({}),
    (rid, _b, staff) => rights.confirmAgent(rid, staff),
  );
  staffAction(
    'approve-correction',
    'staff:customer_service',
    'Approve a correction after checking the evidence; it is applied to every dataset',
    z.strictObject({}),
    (rid, _b, staff) => rights.approveCorrection(rid, staff),
  );
  staffAction(
    'extend',
    'staff:customer_service',
    'Extend the deadline once (GDPR +2 months, CCPA +45 days) within the first period; the person is told why',
    z.strictObject({ reason: z.string().min(3).max(1000) }),
    (rid, b, staff) => rights.extend(rid, b.reason, staff),
  );
  staffAction(
    'deny',
    'staff:privacy_officer',
    'Refuse a request with its legal basis (kept in the request log)',
    z.strictObject({ basis: z.string().min(3).max(1000) }),
    (rid, b, staff) => rights.deny(rid, b.basis, staff),
  );
  staffAction(
    'acknowledge',
    'staff:customer_service',
    'Record that the request was acknowledged',
    z.strictObject({}),
    (rid, _b, staff) => rights.acknowledge(rid, staff),
  );
  staffAction(
    'lift-restriction',
    'staff:privacy_officer',
    'Lift a restriction: the person is told first (GDPR Art. 18(3)); objections to marketing cannot be lifted',
    z.strictObject({ reason: z.string().min(3).max(1000) }),
    async (rid, b, staff) => ({ lifted: await rights.liftRestriction(rid, staff, b.reason) }),
  );

  // ---------------------------------------------------------------- Shopper pages
  app.get(
    '/privacy/request',
    {
      config: { access: 'public' },
      schema: { tags: ['pages'], summary: 'The privacy request form', hide: true },
    },
    async (req, reply) => html(reply, renderRequestForm(ctx.policy, csrfToken(req, reply) ?? '')),
  );

  app.post(
    '/privacy/request',
    {
      config: { access: 'public', csrf: 'form' },
      schema: { tags: ['pages'], summary: 'The privacy request form, posted', hide: true, body: formBody },
    },
    async (req, reply) => {
      const b = req.body;
      const correction =
        b.type === 'correction' && b.correction_category && b.correction_value
          ? { category: b.correction_category, value: b.correction_value }
          : undefined;
      try {
        const r = await rights.submit(
          {
            type: b.type,
            jurisdiction: b.jurisdiction,
            email: b.email,
            name: b.name || undefined,
            details: b.details || undefined,
            correction,
          },
          { channel: 'web' },
        );
        return reply.code(303).header('location', `/privacy/request/status/${r.statusToken}`).send();
      } catch (err) {
        if (isVowError(err) && statusOf(err.code) < 500)
          return html(
            reply,
            renderRequestForm(ctx.policy, csrfToken(req, reply) ?? '', err.message),
            statusOf(err.code),
          );
        throw err;
      }
    },
  );

  app.get(
    '/privacy/request/status/:token',
    {
      config: { access: 'public' },
      schema: {
        tags: ['pages'],
        summary: 'The status page of a request',
        hide: true,
        params: z.strictObject({ token }),
        querystring: z.object({ m: z.enum(['ok', 'invalid', 'locked']).optional() }),
      },
    },
    async (req, reply) => {
      try {
        const v = await rights.statusByToken(req.params.token);
        const m = req.query.m;
        const message =
          m === 'ok'
            ? {
                kind: 'ok' as const,
                text: 'Thank you: we confirmed it is you. We are answering your request.',
              }
            : m === 'locked'
              ? { kind: 'error' as const, text: 'Too many wrong codes. Please make a new request.' }
              : m === 'invalid'
                ? {
                    kind: 'error' as const,
                    text: 'That code is not valid. Check the latest email from us and try again.',
                  }
                : undefined;
        return html(
          reply,
          renderRequestStatus(ctx.policy, v, req.params.token, csrfToken(req, reply) ?? '', message),
        );
      } catch (err) {
        if (isVowError(err) && err.code === 'VOW_REQUEST_NOT_FOUND')
          return html(
            reply,
            renderRightsMessage(ctx.policy, 'Request not found', 'This link does not match a request.'),
            404,
          );
        throw err;
      }
    },
  );

  app.post(
    '/privacy/request/status/:token',
    {
      config: { access: 'public', csrf: 'form' },
      schema: {
        tags: ['pages'],
        summary: 'The code form of a request',
        hide: true,
        params: z.strictObject({ token }),
        body: z.object({ _csrf: z.string().optional(), code: z.string().max(20) }),
      },
    },
    async (req, reply) => {
      const t = req.params.token;
      let outcome: 'ok' | 'invalid' | 'locked';
      try {
        await rights.verifyCode(t, req.body.code);
        outcome = 'ok';
      } catch (err) {
        if (!isVowError(err) || statusOf(err.code) >= 500) throw err;
        if (err.code === 'VOW_REQUEST_NOT_FOUND')
          return html(
            reply,
            renderRightsMessage(ctx.policy, 'Request not found', 'This link does not match a request.'),
            404,
          );
        outcome = err.code === 'VOW_VERIFICATION_LOCKED' ? 'locked' : 'invalid';
      }
      // Post/redirect/get: reloading the status page never sends the code again.
      return reply.code(303).header('location', `/privacy/request/status/${t}?m=${outcome}`).send();
    },
  );

  const exportErrors = async (reply: FastifyReply, work: () => Promise<FastifyReply>) => {
    try {
      return await work();
    } catch (err) {
      if (isVowError(err) && (err.code === 'VOW_EXPORT_EXPIRED' || err.code === 'VOW_REQUEST_NOT_FOUND'))
        return html(
          reply,
          renderRightsMessage(
            ctx.policy,
            'Link expired',
            'This download link has expired or does not exist. Make a new request.',
          ),
          statusOf(err.code),
        );
      throw err;
    }
  };

  app.get(
    '/privacy/request/export/:token',
    {
      config: { access: 'public' },
      schema: {
        tags: ['pages'],
        summary: 'The readable summary of an export (7-day link)',
        hide: true,
        params: z.strictObject({ token }),
      },
    },
    async (req, reply) =>
      exportErrors(reply, async () =>
        html(
          reply,
          renderExportSummary(ctx.policy, await rights.openExport(req.params.token), req.params.token),
        ),
      ),
  );

  app.get(
    '/privacy/request/export/:token/data.json',
    {
      config: { access: 'public' },
      schema: {
        tags: ['rights'],
        summary: 'The export as JSON (7-day link)',
        params: z.strictObject({ token }),
      },
    },
    async (req, reply) =>
      exportErrors(reply, async () => {
        const doc = await rights.openExport(req.params.token);
        return reply
          .type('application/json; charset=utf-8')
          .header('cache-control', 'no-store')
          .header('content-disposition', 'attachment; filename="my-data.json"')
          .send(JSON.stringify(doc, null, 2));
      }),
  );

  app.get(
    '/privacy/request/export/:token/csv/:table',
    {
      config: { access: 'public' },
      schema: {
        tags: ['rights'],
        summary: 'One table of the export as CSV (7-day link)',
        params: z.strictObject({ token, table: z.string().min(1).max(200) }),
      },
    },
    async (req, reply) =>
      exportErrors(reply, async () => {
        const doc = await rights.openExport(req.params.token);
        const csv = doc.csv[req.params.table];
        if (csv === undefined) throw new VowError('VOW_NOT_FOUND', 'No such table in this export');
        return reply
          .type('text/csv; charset=utf-8')
          .header('cache-control', 'no-store')
          .header(
            'content-disposition',
            `attachment; filename="${req.params.table.replace(/[^a-z0-9_.-]/gi, '_')}.csv"`,
          )
          .send(csv);
      }),
  );

  // ---------------------------------------------------------------- Staff pages
  app.get(
    '/staff/requests',
    {
      config: { access: 'staff:customer_service' },
      schema: { tags: ['pages'], summary: 'The request queue page', hide: true },
    },
    async (_req, reply) =>
      html(
        reply,
        renderStaffQueue(
          ctx.policy,
          await rights.queue(),
          (await services.complaints.list()).filter((c) => c.status === 'open').length,
        ),
      ),
  );

  app.get(
    '/staff/requests/:id',
    {
      config: { access: 'staff:customer_service' },
      schema: { tags: ['pages'], summary: "A request's page", hide: true, params: z.strictObject({ id }) },
    },
    async (req, reply) =>
      html(
        reply,
        renderStaffRequest(
          ctx.policy,
          await rights.detail(req.params.id, staffIdOf(req)),
          csrfToken(req, reply) ?? '',
        ),
      ),
  );

  app.post(
    '/staff/requests/:id',
    {
      config: { access: 'staff:customer_service' },
      schema: {
        tags: ['pages'],
        summary: "A request page's action form",
        hide: true,
        params: z.strictObject({ id }),
        body: z.object({
          _csrf: z.string().optional(),
          action: z.enum([
            'verify_data_points',
            'confirm_agent',
            'approve_correction',
            'extend',
            'acknowledge',
            'deny',
            'lift',
          ]),
          email: z.string().max(254).optional(),
          phone: z.string().max(40).optional(),
          accountId: z.string().max(200).optional(),
          declarationSigned: z.string().optional(),
          reason: z.string().max(1000).optional(),
          basis: z.string().max(1000).optional(),
        }),
      },
    },
    async (req, reply) => {
      const staff = staffIdOf(req);
      const rid = req.params.id;
      const b = req.body;
      const p = req.principal;
      const isOfficer = p?.kind === 'test' || (p?.kind === 'staff' && p.roles.includes('privacy_officer'));
      let message: string;
      try {
        switch (b.action) {
          case 'verify_data_points': {
            const r = await rights.verifyByDataPoints(
              rid,
              {
                email: b.email || undefined,
                phone: b.phone || undefined,
                accountId: b.accountId || undefined,
              },
              b.declarationSigned === 'yes',
              staff,
            );
            message = `Verified (${r.method}, ${r.matched} details matched).`;
            break;
          }
          case 'confirm_agent':
            await rights.confirmAgent(rid, staff);
            message = "The agent's permission is confirmed.";
            break;
          case 'approve_correction':
            await rights.approveCorrection(rid, staff);
            message = 'Correction approved; it is being applied.';
            break;
          case 'extend':
            await rights.extend(rid, b.reason ?? '', staff);
            message = 'Deadline extended; the person was told why.';
            break;
          case 'acknowledge':
            await rights.acknowledge(rid, staff);
            message = 'Marked acknowledged.';
            break;
          case 'deny':
            if (!isOfficer)
              throw new VowError('VOW_FORBIDDEN', 'Only the privacy officer may refuse a request');
            await rights.deny(rid, b.basis ?? '', staff);
            message = 'Request refused.';
            break;
          case 'lift':
            if (!isOfficer)
              throw new VowError('VOW_FORBIDDEN', 'Only the privacy officer may lift a restriction');
            await rights.liftRestriction(rid, staff, b.reason ?? '');
            message = 'The person was told; the restriction is lifted.';
            break;
        }
      } catch (err) {
        if (!isVowError(err) || statusOf(err.code) >= 500) throw err;
        message = `Not done: ${err.message}`;
      }
      return html(
        reply,
        renderStaffRequest(ctx.policy, await rights.detail(rid, staff), csrfToken(req, reply) ?? '', message),
      );
    },
  );
};
