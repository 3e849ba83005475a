// Complaints (P25) in the staff console: the list (soonest reply due first) and a complaint's page
// with its replies, where staff answer (emailed with the regulator to escalate to) or close it.

import { z } from 'zod';
import { line, prose } from '../../platform/strings.js';
import { consoleFrame, refusalOf, sendHtml, staffIdOf } from '../route-helpers.js';
import type { RouteModule } from '../route-module.js';
import { renderStaffComplaint, renderStaffComplaints } from './complaints.js';

const id = line().min(1).max(64);

export const complaintConsoleRoutes: RouteModule = (app, ctx, services) => {
  const complaints = services.complaints;

  app.get(
    '/staff/complaints',
    {
      config: { access: 'staff:customer_service' },
      schema: { tags: ['pages'], summary: 'The complaints page', hide: true },
    },
    async (req, reply) =>
      sendHtml(reply, renderStaffComplaints(consoleFrame(ctx, req), await complaints.list())),
  );

  app.get(
    '/staff/complaints/:id',
    {
      config: { access: 'staff:customer_service' },
      schema: { tags: ['pages'], summary: "A complaint's page", hide: true, params: z.strictObject({ id }) },
    },
    async (req, reply) =>
      sendHtml(
        reply,
        renderStaffComplaint(consoleFrame(ctx, req), await complaints.detail(req.params.id, staffIdOf(req))),
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
          text: prose().max(8000).optional(),
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
        message = `Not done: ${refusalOf(err).error.message}`;
      }
      return sendHtml(
        reply,
        renderStaffComplaint(consoleFrame(ctx, req), await complaints.detail(req.params.id, staff), message),
      );
    },
  );
};
