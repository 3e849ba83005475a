// Under-13 reports in the console, for the privacy officer: the waiting reports, and the decision on
// each (four eyes: the purge runs only on the approval of someone other than the reporter).

import { z } from 'zod';
import { line } from '../../platform/strings.js';
import { consoleFrame, csrfBodyField, refusalOf, sendHtml, staffIdOf } from '../route-helpers.js';
import type { RouteModule } from '../route-module.js';
import { renderUnder13 } from './under13.js';

export const under13ConsoleRoutes: RouteModule = (app, ctx, services) => {
  app.get(
    '/staff/under13',
    { config: { access: 'staff:privacy_officer' }, schema: { hide: true } },
    async (req, reply) =>
      sendHtml(reply, renderUnder13(consoleFrame(ctx, req), await services.under13.pending())),
  );

  app.post(
    '/staff/under13/decide',
    {
      config: { access: 'staff:privacy_officer' },
      schema: {
        hide: true,
        body: z.strictObject({
          ...csrfBodyField,
          proposalId: line().min(1).max(64),
          decision: z.enum(['approve', 'reject']),
        }),
      },
    },
    async (req, reply) => {
      const { proposalId, decision } = req.body;
      let message: { ok: boolean; text: string };
      let status = 200;
      try {
        if (decision === 'approve') {
          const { markers } = await services.under13.approve(proposalId, staffIdOf(req));
          message = {
            ok: true,
            text: `Approved: everything held about the person is deleted; ${markers} marker(s) refuse their data in future.`,
          };
        } else {
          await services.under13.reject(proposalId, staffIdOf(req));
          message = { ok: true, text: 'Rejected: nothing was deleted.' };
        }
      } catch (err) {
        const refusal = refusalOf(err);
        message = { ok: false, text: `Not done: ${refusal.error.message}` };
        status = refusal.status;
      }
      return sendHtml(
        reply,
        renderUnder13(consoleFrame(ctx, req), await services.under13.pending(), message),
        status,
      );
    },
  );
};
