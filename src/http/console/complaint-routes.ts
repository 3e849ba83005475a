// Complaints (P25) in the staff console: the list (soonest reply due first) and a complaint's page
// with its replies, where staff answer (emailed with the regulator to escalate to) or close it.

import type { FastifyReply, FastifyRequest } from 'fastify';
import { z } from 'zod';
import { isoDay } from '../../modules/rights/index.js';
import { line, prose } from '../../platform/strings.js';
import { consoleFrame, refusalOf, sendHtml, staffIdOf } from '../route-helpers.js';
import type { RouteModule } from '../route-module.js';
import { renderStaffComplaint, renderStaffComplaints } from './complaints.js';
import { renderConfirmation } from './confirm.js';
import type { FilterRefusal } from './filter-refusal.js';
import { staffNames } from './labels.js';
import { refused } from './shell.js';

const DONE = { reply: 'Reply sent.', close: 'Complaint closed.' } as const;

const id = line().min(1).max(64);

export const complaintConsoleRoutes: RouteModule = (app, ctx, services) => {
  const complaints = services.complaints;

  const listPage = async (req: FastifyRequest, show: string | undefined, refusal?: FilterRefusal) => {
    const showClosed = show === 'all';
    return renderStaffComplaints(
      consoleFrame(ctx, req),
      await complaints.list({ includeClosed: showClosed }),
      { today: isoDay(ctx.clock.now()), showClosed },
      refusal,
    );
  };

  app.get(
    '/staff/complaints',
    {
      config: {
        access: 'staff:customer_service',
        // A refused `show` in the address: the open complaints, the alert naming it (400).
        filterPage: (req, refusal) => listPage(req, undefined, refusal),
      },
      schema: {
        tags: ['pages'],
        summary: 'The complaints page',
        hide: true,
        querystring: z.strictObject({ show: z.enum(['open', 'all']).optional() }),
      },
    },
    async (req, reply) => sendHtml(reply, await listPage(req, req.query.show)),
  );

  async function complaintPage(
    req: FastifyRequest,
    reply: FastifyReply,
    cid: string,
    message?: { ok: boolean; text: string },
    status = 200,
  ) {
    const complaint = await complaints.detail(cid, staffIdOf(req));
    const [events, names] = await Promise.all([
      ctx.audit.list({ targetType: 'complaint', targetId: cid, limit: 1000 }),
      staffNames(services),
    ]);
    return sendHtml(
      reply,
      renderStaffComplaint(consoleFrame(ctx, req), complaint, events, names, message),
      status,
    );
  }

  app.get(
    '/staff/complaints/:id',
    {
      config: { access: 'staff:customer_service' },
      schema: {
        tags: ['pages'],
        summary: "A complaint's page",
        hide: true,
        params: z.strictObject({ id }),
        querystring: z.strictObject({ done: z.enum(['reply', 'close']).optional() }),
      },
    },
    async (req, reply) =>
      complaintPage(
        req,
        reply,
        req.params.id,
        req.query.done ? { ok: true, text: DONE[req.query.done] } : undefined,
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
          _csrf: line().optional(),
          action: z.enum(['reply', 'close']),
          confirmed: z.literal('yes').optional(),
          text: prose().max(8000).optional(),
        }),
      },
    },
    async (req, reply) => {
      const staff = staffIdOf(req);
      const cid = req.params.id;
      if (req.body.action === 'close' && req.body.confirmed !== 'yes')
        return sendHtml(
          reply,
          renderConfirmation(consoleFrame(ctx, req), {
            title: 'close the complaint',
            section: '/staff/complaints',
            action: `/staff/complaints/${cid}`,
            back: `/staff/complaints/${cid}`,
            fields: { action: 'close' },
            willHappen: [
              'The complaint is marked closed and leaves the list of complaints to answer.',
              'No email is sent: send your reply first if the person is still waiting for one.',
            ],
            cannotUndo:
              'A closed complaint cannot be reopened or replied to; a new complaint would be needed.',
            confirmLabel: 'Close the complaint',
            tone: 'proceed',
          }),
        );
      try {
        if (req.body.action === 'reply') await complaints.reply(cid, req.body.text ?? '', staff);
        else await complaints.close(cid, staff);
      } catch (err) {
        const { error, status } = refusalOf(err);
        return complaintPage(req, reply, cid, refused(error), status);
      }
      return reply.redirect(`/staff/complaints/${cid}?done=${req.body.action}`, 303);
    },
  );
};
