// Complaints (P25), the JSON API: a shopper's complaint and its status by token (with the
// regulator to escalate to); staff log complaints that arrived by email or post, list, answer, close.

import { z } from 'zod';
import { JURISDICTIONS } from '../../modules/rights/index.js';
import { LOCALES } from '../../platform/i18n/index.js';
import { line, prose } from '../../platform/strings.js';
import { staffIdOf } from '../route-helpers.js';
import type { RouteModule } from '../route-module.js';

const id = line().min(1).max(64);
const regulator = z.object({ id: z.string(), name: z.string(), url: z.string() }).nullable();
const complaintView = z.object({
  id: z.string(),
  jurisdiction: z.string(),
  channel: z.string(),
  status: z.string(),
  receivedOn: z.string(),
  replyDueOn: z.string(),
  firstReplyAt: z.string().nullable(),
  overdue: z.boolean(),
  regulator,
  requestId: z.string().nullable(),
});
const fields = {
  jurisdiction: z.enum(JURISDICTIONS),
  email: z.email().max(254).optional(),
  name: line().min(1).max(200).optional(),
  message: prose().min(1).max(8000),
  locale: z
    .enum(LOCALES)
    .optional()
    .describe('The language of every message about the complaint (default en-US)'),
};

export const complaintApiRoutes: RouteModule = (app, ctx, services) => {
  const complaints = services.complaints;

  app.post(
    '/v1/complaints',
    {
      config: { access: 'public', mailsTo: 'email' },
      schema: {
        tags: ['complaints'],
        errors: ['VOW_REQUEST_INVALID'],
        summary: 'Make a privacy complaint; the answer names the regulator to escalate to',
        body: z.strictObject(fields),
        response: {
          202: z.object({
            statusToken: z.string(),
            statusUrl: z.string(),
            replyDueOn: z.string(),
            regulator,
          }),
        },
      },
    },
    async (req, reply) => {
      const { locale, ...input } = req.body;
      const r = await complaints.submit(input, { channel: 'web', locale });
      return reply.code(202).send({
        statusToken: r.statusToken,
        statusUrl: `${ctx.config.publicUrl}/privacy/complaint/status/${r.statusToken}`,
        replyDueOn: r.view.replyDueOn,
        regulator: r.view.regulator,
      });
    },
  );

  app.get(
    '/v1/complaints/status/:token',
    {
      config: { access: 'public' },
      schema: {
        tags: ['complaints'],
        errors: ['VOW_COMPLAINT_NOT_FOUND'],
        summary: "A complaint's status by its token",
        params: z.strictObject({ token: line().min(20).max(100) }),
        response: {
          200: z.object({
            status: z.string(),
            receivedOn: z.string(),
            replyDueOn: z.string(),
            firstReplyAt: z.string().nullable(),
            regulator,
          }),
        },
      },
    },
    async (req) => {
      const v = await complaints.statusByToken(req.params.token);
      return {
        status: v.status,
        receivedOn: v.receivedOn,
        replyDueOn: v.replyDueOn,
        firstReplyAt: v.firstReplyAt,
        regulator: v.regulator,
      };
    },
  );

  app.post(
    '/v1/staff/complaints',
    {
      config: { access: 'staff:customer_service' },
      schema: {
        tags: ['complaints'],
        errors: ['VOW_REQUEST_INVALID'],
        summary: 'Log a complaint that arrived by email or post',
        body: z.strictObject({
          ...fields,
          channel: z.enum(['email', 'postal']),
          receivedOn: line().regex(/^\d{4}-\d{2}-\d{2}$/),
          requestId: id.optional(),
        }),
        response: { 201: complaintView },
      },
    },
    async (req, reply) => {
      const { channel, receivedOn, locale, ...input } = req.body;
      const r = await complaints.submit(input, { channel, receivedOn, locale, staffId: staffIdOf(req) });
      return reply.code(201).send(r.view);
    },
  );

  app.get(
    '/v1/staff/complaints',
    {
      config: { access: 'staff:customer_service' },
      schema: {
        tags: ['complaints'],
        errors: [],
        summary: 'Complaints, soonest reply due first, overdue flagged',
        querystring: z.strictObject({ include: z.enum(['open', 'all']).default('open') }),
        response: { 200: z.object({ complaints: z.array(complaintView) }) },
      },
    },
    async (req) => ({ complaints: await complaints.list({ includeClosed: req.query.include === 'all' }) }),
  );

  app.get(
    '/v1/staff/complaints/:id',
    {
      config: { access: 'staff:customer_service' },
      schema: {
        tags: ['complaints'],
        errors: ['VOW_COMPLAINT_NOT_FOUND'],
        summary: 'One complaint with its message and replies (the view is audited)',
        params: z.strictObject({ id }),
        response: {
          200: complaintView.extend({
            contact: z.object({
              email: z.string().optional(),
              name: z.string().optional(),
              message: z.string(),
            }),
            replies: z.array(z.object({ at: z.string(), staffId: z.string().nullable(), text: z.string() })),
          }),
        },
      },
    },
    async (req) => complaints.detail(req.params.id, staffIdOf(req)),
  );

  app.post(
    '/v1/staff/complaints/:id/reply',
    {
      config: { access: 'staff:customer_service' },
      schema: {
        tags: ['complaints'],
        errors: ['VOW_COMPLAINT_NOT_FOUND', 'VOW_REQUEST_INVALID', 'VOW_REQUEST_STATE'],
        summary: 'Answer a complaint (emailed, with the regulator to escalate to)',
        params: z.strictObject({ id }),
        body: z.strictObject({ text: prose().min(1).max(8000) }),
        response: { 200: complaintView },
      },
    },
    async (req) => complaints.reply(req.params.id, req.body.text, staffIdOf(req)),
  );

  app.post(
    '/v1/staff/complaints/:id/close',
    {
      config: { access: 'staff:customer_service' },
      schema: {
        tags: ['complaints'],
        errors: ['VOW_COMPLAINT_NOT_FOUND'],
        summary: 'Close a complaint',
        params: z.strictObject({ id }),
        body: z.strictObject({}).optional(),
        response: { 200: complaintView },
      },
    },
    async (req) => complaints.close(req.params.id, staffIdOf(req)),
  );
};
