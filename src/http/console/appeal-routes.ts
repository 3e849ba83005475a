// Appeals in the console, for the privacy officer: the open appeals, and the decision on each
// (never by the officer who refused the request).
import { z } from 'zod';
import { line } from '../../platform/strings.js';
import { consoleFrame, csrfBodyField, refusalOf, sendHtml, staffIdOf } from '../route-helpers.js';
import type { RouteModule } from '../route-module.js';
import { renderAppeals } from './appeals.js';

export const appealConsoleRoutes: RouteModule = (app, ctx, services) => {
  app.get(
    '/staff/appeals',
    { config: { access: 'staff:privacy_officer' }, schema: { hide: true } },
    async (req, reply) =>
      sendHtml(reply, renderAppeals(consoleFrame(ctx, req), await services.rights.appeals())),
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
        }),
      },
    },
    async (req, reply) => {
      const { appealId, outcome, reasons } = req.body;
      let message: { ok: boolean; text: string };
      let status = 200;
      try {
        await services.rights.decideAppeal(appealId, { outcome, reasons }, staffIdOf(req));
        message = {
          ok: true,
          text:
            outcome === 'granted' ? 'Granted: the request is open again.' : 'Upheld: the answer was sent.',
        };
      } catch (err) {
        const refusal = refusalOf(err);
        message = { ok: false, text: `Not done: ${refusal.error.message}` };
        status = refusal.status;
      }
      return sendHtml(
        reply,
        renderAppeals(consoleFrame(ctx, req), await services.rights.appeals(), message),
        status,
      );
    },
  );
};
