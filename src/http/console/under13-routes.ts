// Under-13 reports in the console, for the privacy officer: the waiting reports, and the decision on
// each (four eyes: the purge runs only on the approval of someone other than the reporter).

import type { FastifyRequest } from 'fastify';
import { z } from 'zod';
import { line, noun } from '../../platform/strings.js';
import { consoleFrame, csrfBodyField, refusalOf, sendHtml, staffIdOf } from '../route-helpers.js';
import type { RouteModule } from '../route-module.js';
import { renderConfirmation } from './confirm.js';
import { staffNames } from './labels.js';
import { refused } from './shell.js';
import { renderUnder13 } from './under13.js';

export const under13ConsoleRoutes: RouteModule = (app, ctx, services) => {
  async function under13Page(req: FastifyRequest, message?: { ok: boolean; text: string }) {
    const [pending, names] = await Promise.all([services.under13.pending(), staffNames(services)]);
    return renderUnder13(consoleFrame(ctx, req), pending, names, message);
  }

  app.get(
    '/staff/under13',
    {
      config: { access: 'staff:privacy_officer' },
      schema: {
        hide: true,
        querystring: z.strictObject({ done: z.enum(['approve', 'reject']).optional() }),
      },
    },
    async (req, reply) =>
      sendHtml(
        reply,
        await under13Page(
          req,
          req.query.done
            ? {
                ok: true,
                text:
                  req.query.done === 'approve'
                    ? 'Approved: everything held about the person is deleted; markers refuse their data in future.'
                    : 'Rejected: nothing was deleted.',
              }
            : undefined,
        ),
      ),
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
          confirmed: z.literal('yes').optional(),
        }),
      },
    },
    async (req, reply) => {
      const { proposalId, decision } = req.body;
      if (decision === 'approve' && req.body.confirmed !== 'yes')
        return sendHtml(
          reply,
          renderConfirmation(consoleFrame(ctx, req), {
            title: 'approve the under-13 report',
            section: '/staff/under13',
            action: '/staff/under13/decide',
            back: '/staff/under13',
            fields: { proposalId, decision },
            willHappen: [
              'The person is marked as under 13.',
              'Everything Vow holds about them is deleted from every copy, and every recipient is told to delete it too.',
              'Only markers that refuse their data in future are kept.',
            ],
            cannotUndo: 'The deletion is final: nothing can be restored, even if the report was wrong.',
            confirmLabel: 'Approve and delete everything',
            tone: 'destructive',
          }),
        );
      let message: { ok: boolean; text: string };
      let status = 200;
      try {
        if (decision === 'approve') {
          const { markers } = await services.under13.approve(proposalId, staffIdOf(req));
          message = {
            ok: true,
            text: `Approved: everything held about the person is deleted; ${markers} ${noun(markers, 'marker')} ${markers === 1 ? 'refuses' : 'refuse'} their data in future.`,
          };
        } else {
          await services.under13.reject(proposalId, staffIdOf(req));
          message = { ok: true, text: 'Rejected: nothing was deleted.' };
        }
      } catch (err) {
        const refusal = refusalOf(err);
        message = refused(refusal.error);
        status = refusal.status;
      }
      if (message.ok) return reply.redirect(`/staff/under13?done=${decision}`, 303);
      return sendHtml(reply, await under13Page(req, message), status);
    },
  );
};
