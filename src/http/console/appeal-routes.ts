// Appeals in the console, for the privacy officer: the open appeals, and the decision on each
// (never by the officer who refused the request). A decision is final and emails the person, so it
// goes through its confirmation step, and the page after it is a redirect (a reload decides nothing).
import type { FastifyRequest } from 'fastify';
import { z } from 'zod';
import { line } from '../../platform/strings.js';
import { consoleFrame, csrfBodyField, refusalOf, sendHtml, staffIdOf } from '../route-helpers.js';
import type { RouteModule } from '../route-module.js';
import { appealConfirmation, renderAppeals } from './appeals.js';
import { renderConfirmation } from './confirm.js';
import { staffNames } from './labels.js';
import { refused } from './shell.js';

const DONE = {
  granted: 'Granted: the request is open again.',
  upheld: 'Upheld: the answer was sent.',
} as const;

export const appealConsoleRoutes: RouteModule = (app, ctx, services) => {
  async function appealsPage(req: FastifyRequest, message?: { ok: boolean; text: string }) {
    const [appeals, names] = await Promise.all([services.rights.appeals(), staffNames(services)]);
    return renderAppeals(consoleFrame(ctx, req), appeals, names, message, staffIdOf(req));
  }

  app.get(
    '/staff/appeals',
    {
      config: { access: 'staff:privacy_officer' },
      schema: {
        hide: true,
        querystring: z.strictObject({ done: z.enum(['granted', 'upheld']).optional() }),
      },
    },
    async (req, reply) =>
      sendHtml(
        reply,
        await appealsPage(req, req.query.done ? { ok: true, text: DONE[req.query.done] } : undefined),
      ),
  );

  app.post(
    '/staff/appeals/decide',
    {
      config: { access: 'staff:privacy_officer' },
      schema: {
        hide: true,
        body: z.strictObject({
          ...csrfBodyField,
          appealId: line().min(1).max(64),
          outcome: z.enum(['granted', 'upheld']),
          reasons: line().min(3).max(2000),
          confirmed: z.literal('yes').optional(),
        }),
      },
    },
    async (req, reply) => {
      const { appealId, outcome, reasons } = req.body;
      if (req.body.confirmed !== 'yes') {
        // An appeal that is not open falls through to the decision, which refuses it (not found,
        // already decided) and changes nothing.
        const appeal = (await services.rights.appeals()).find((a) => a.id === appealId);
        if (appeal)
          return sendHtml(
            reply,
            renderConfirmation(consoleFrame(ctx, req), appealConfirmation(appeal, outcome, reasons)),
          );
      }
      try {
        await services.rights.decideAppeal(appealId, { outcome, reasons }, staffIdOf(req));
      } catch (err) {
        const refusal = refusalOf(err);
        return sendHtml(reply, await appealsPage(req, refused(refusal.error)), refusal.status);
      }
      return reply.redirect(`/staff/appeals?done=${outcome}`, 303);
    },
  );
};
