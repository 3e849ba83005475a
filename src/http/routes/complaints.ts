// Complaints (P25) over HTTP: public intake, status by token (with the regulator to escalate to),
// staff intake of complaints that arrived by email or post, the staff list, replies and closing.

import fastifyFormbody from '@fastify/formbody';
import { z } from 'zod';
import { statusOf } from '../../app/error-registry.js';
import { JURISDICTIONS } from '../../modules/rights/index.js';
import { isVowError } from '../../platform/errors.js';
import { csrfToken } from '../access.js';
import { renderStaffComplaint, renderStaffComplaints } from '../console/requests.js';
import { renderComplaintForm, renderComplaintStatus, renderRightsMessage } from '../pages/request-pages.js';
import { staffIdOf } from '../route-helpers.js';
import type { RouteModule } from '../route-module.js';

const id = z.string().min(1).max(64);
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
  name: z.string().min(1).max(200).optional(),
  message: z.string().min(1).max(8000),
};

export const complaintRoutes: RouteModule = async (app, ctx, services) => {
  if (!app.hasContentTypeParser('application/x-www-form-urlencoded')) await app.register(fastifyFormbody);
  const complaints = services.complaints;
  const page = (reply: import('fastify').FastifyReply, body: string, status = 200) =>
    reply.code(status).type('text/html; charset=utf-8').header('cache-control', 'no-store').send(body);

  app.get(
    '/privacy/complaint',
    { config: { access: 'public' }, schema: { tags: ['pages'], summary: 'The complaint form', hide: true } },
    async (req, reply) => page(reply, renderComplaintForm(ctx.policy, csrfToken(req, reply) ?? '')),
  );

  app.post(
    '/privacy/complaint',
    {
      config: { access: 'public', csrf: 'form' },
      schema: {
        tags: ['pages'],
        summary: 'The complaint form, posted',
        hide: true,
        body: z.object({
          _csrf: z.string().optional(),
          jurisdiction: z.enum(JURISDICTIONS),
          email: z.union([z.email().max(254), z.literal('')]).optional(),
          message: z.string().min(1).max(8000),
        }),
      },
    },
    async (req, reply) => {
      const { _csrf, email, ...rest } = req.body;
      const r = await complaints.submit({ ...rest, email: email || undefined }, { channel: 'web' });
      return reply.code(303).header('location', `/privacy/complaint/status/${r.statusToken}`).send();
    },
  );

  app.get(
    '/privacy/complaint/status/:token',
    {
      config: { access: 'public' },
      schema: {
        tags: ['pages'],
        summary: "A complaint's status page",
        hide: true,
        params: z.strictObject({ token: z.string().min(20).max(100) }),
      },
    },
    async (req, reply) => {
      try {
        return page(
          reply,
          renderComplaintStatus(ctx.policy, await complaints.statusByToken(req.params.token)),
        );
      } catch (err) {
        if (isVowError(err) && err.code === 'VOW_COMPLAINT_NOT_FOUND')
          return page(
            reply,
            renderRightsMessage(ctx.policy, 'Complaint not found', 'This link does not match a complaint.'),
            404,
          );
        throw err;
      }
    },
  );

  app.post(
    '/v1/complaints',
    {
      config: { access: 'public' },
      schema: {
        tags: ['complaints'],
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
      const r = await complaints.submit(req.body, { channel: 'web' });
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
        summary: "A complaint's status by its token",
        params: z.strictObject({ token: z.string().min(20).max(100) }),
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
        summary: 'Log a complaint that arrived by email or post',
        body: z.strictObject({
          ...fields,
          channel: z.enum(['email', 'postal']),
          receivedOn: z.string().regex(/^\d{4}-\d{2}-\d{2}$/),
          requestId: id.optional(),
        }),
        response: { 201: complaintView },
      },
    },
    async (req, reply) => {
      const { channel, receivedOn, ...input } = req.body;
      const r = await complaints.submit(input, { channel, receivedOn, staffId: staffIdOf(req) });
      return reply.code(201).send(r.view);
    },
  );

  app.get(
    '/v1/staff/complaints',
    {
      config: { access: 'staff:customer_service' },
      schema: {
        tags: ['complaints'],
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
        summary: 'Answer a complaint (emailed, with the regulator to escalate to)',
        params: z.strictObject({ id }),
        body: z.strictObject({ text: z.string().min(1).max(8000) }),
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
        summary: 'Close a complaint',
        params: z.strictObject({ id }),
        body: z.strictObject({}).optional(),
        response: { 200: complaintView },
      },
    },
    async (req) => complaints.close(req.params.id, staffIdOf(req)),
  );

  app.get(
    '/staff/complaints',
    {
      config: { access: 'staff:customer_service' },
      schema: { tags: ['pages'], summary: 'The complaints page', hide: true },
    },
    async (_req, reply) =>
      reply
        .type('text/html; charset=utf-8')
        .header('cache-control', 'no-store')
        .send(renderStaffComplaints(ctx.policy, await complaints.list())),
  );

  app.get(
    '/staff/complaints/:id',
    {
      config: { access: 'staff:customer_service' },
      schema: { tags: ['pages'], summary: "A complaint's page", hide: true, params: z.strictObject({ id }) },
    },
    async (req, reply) =>
      page(
        reply,
        renderStaffComplaint(
          ctx.policy,
          await complaints.detail(req.params.id, staffIdOf(req)),
          csrfToken(req, reply) ?? '',
        ),
      ),
  );

  app.post(
    '/staff/complaints/:id',
    {
      config: { access: 'staff:customer_service' },
      schema: {
        tags: ['pages'],
        summary: "A complaint page's action form",
        hide: true,
        params: z.strictObject({ id }),
        body: z.object({
          _csrf: z.string().optional(),
          action: z.enum(['reply', 'close']),
          text: z.string().max(8000).optional(),
        }),
      },
    },
    async (req, reply) => {
      const staff = staffIdOf(req);
      let message: string;
      try {
        if (req.body.action === 'reply') {
          await complaints.reply(req.params.id, req.body.text ?? '', staff);
          message = 'Reply sent.';
        } else {
          await complaints.close(req.params.id, staff);
          message = 'Complaint closed.';
        }
      } catch (err) {
        if (!isVowError(err) || statusOf(err.code) >= 500) throw err;
        message = `Not done: ${err.message}`;
      }
      return page(
        reply,
        renderStaffComplaint(
          ctx.policy,
          await complaints.detail(req.params.id, staff),
          csrfToken(req, reply) ?? '',
          message,
        ),
      );
    },
  );
};
