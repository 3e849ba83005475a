// Data subject requests in the staff console: the queue (soonest deadline first) and a request's
// page with the actions its step allows, and logging a request that arrived by email or post (P24).

import { z } from 'zod';
import { isoDay, JURISDICTIONS, REQUEST_TYPES } from '../../modules/rights/index.js';
import { VowError } from '../../platform/errors.js';
import { line, prose } from '../../platform/strings.js';
import { blankField, consoleFrame, csrfBodyField, refusalOf, sendHtml, staffIdOf } from '../route-helpers.js';
import type { RouteModule } from '../route-module.js';
import { type LogRequestValues, renderLogRequest } from './log-request.js';
import { renderStaffQueue, renderStaffRequest } from './requests.js';

const id = line().min(1).max(64);

export const requestConsoleRoutes: RouteModule = (app, ctx, services) => {
  const rights = services.rights;

  app.get(
    '/staff/requests',
    {
      config: { access: 'staff:customer_service' },
      schema: { tags: ['pages'], summary: 'The request queue page', hide: true },
    },
    async (req, reply) =>
      sendHtml(
        reply,
        renderStaffQueue(
          consoleFrame(ctx, req),
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
      sendHtml(
        reply,
        renderStaffRequest(consoleFrame(ctx, req), await rights.detail(req.params.id, staffIdOf(req))),
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
          _csrf: line().optional(),
          action: z.enum([
            'verify_data_points',
            'confirm_agent',
            'approve_correction',
            'extend',
            'acknowledge',
            'deny',
            'lift',
          ]),
          email: line().max(254).optional(),
          phone: line().max(40).optional(),
          accountId: line().max(200).optional(),
          declarationSigned: line().optional(),
          reason: prose().max(1000).optional(),
          basis: prose().max(1000).optional(),
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
        message = `Not done: ${refusalOf(err).error.message}`;
      }
      return sendHtml(
        reply,
        renderStaffRequest(consoleFrame(ctx, req), await rights.detail(rid, staff), message),
      );
    },
  );

  // Logging a request that arrived by email or postal mail (P24).
  app.get(
    '/staff/log-request',
    { config: { access: 'staff:customer_service' }, schema: { hide: true } },
    async (req, reply) => sendHtml(reply, renderLogRequest(consoleFrame(ctx, req), isoDay(ctx.clock.now()))),
  );

  app.post(
    '/staff/log-request',
    {
      config: { access: 'staff:customer_service' },
      schema: {
        hide: true,
        body: z.strictObject({
          ...csrfBodyField,
          type: z.enum(REQUEST_TYPES),
          jurisdiction: z.enum(JURISDICTIONS),
          channel: z.enum(['email', 'postal']),
          receivedOn: line().regex(/^\d{4}-\d{2}-\d{2}$/, 'YYYY-MM-DD'),
          email: blankField(254),
          name: blankField(200),
          details: blankField(2000),
          correctionCategory: blankField(128),
          correctionValue: blankField(1000),
        }),
      },
    },
    async (req, reply) => {
      const b = req.body;
      try {
        if (b.email && !z.email().safeParse(b.email).success)
          throw new VowError('VOW_VALIDATION', 'The email address does not look right');
        const correction =
          b.type === 'correction' && b.correctionCategory && b.correctionValue
            ? { category: b.correctionCategory, value: b.correctionValue }
            : undefined;
        const r = await rights.submit(
          {
            type: b.type,
            jurisdiction: b.jurisdiction,
            email: b.email,
            name: b.name,
            details: b.details,
            correction,
          },
          { channel: b.channel, receivedOn: b.receivedOn, staffId: staffIdOf(req) },
        );
        return reply.redirect(`/staff/requests/${r.requestId}`, 303);
      } catch (err) {
        const { error, status } = refusalOf(err);
        const { _csrf, ...values } = b;
        return sendHtml(
          reply,
          renderLogRequest(consoleFrame(ctx, req), isoDay(ctx.clock.now()), values as LogRequestValues, {
            ok: false,
            text: `Not logged: ${error.message}`,
          }),
          status,
        );
      }
    },
  );
};
