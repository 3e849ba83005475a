// Under-13 reports in the console, for the privacy officer: the waiting reports, and the decision on
// each (four eyes: the purge runs only on the approval of someone other than the reporter).

import type { FastifyRequest } from 'fastify';
import { z } from 'zod';
import { line, noun } from '../../platform/strings.js';
import { consoleFrame, csrfBodyField, refusalOf, sendHtml, staffIdOf } from '../route-helpers.js';
import type { RouteModule } from '../route-module.js';
import { type Confirmation, renderConfirmation } from './confirm.js';
import { staffNames } from './labels.js';
import { refused } from './shell.js';
import { renderUnder13 } from './under13.js';

/** The confirmation step of each decision: nothing is decided by one click (docs/console.md). */
const CONFIRMATIONS: Record<'approve' | 'reject', (proposalId: string) => Confirmation> = {
  approve: (proposalId) => ({
    title: 'approve the under-13 report',
    section: '/staff/under13',
    action: '/staff/under13/decide',
    back: '/staff/under13',
    fields: { proposalId, decision: 'approve' },
    willHappen: [
      'The person is marked as under 13.',
      'Everything Vow holds about them is deleted from every copy, and every recipient is told to delete it too.',
      'Only markers that refuse their data in future are kept.',
    ],
    cannotUndo: 'The deletion is final: nothing can be restored, even if the report was wrong.',
    confirmLabel: 'Approve and delete everything',
    tone: 'destructive',
  }),
  reject: (proposalId) => ({
    title: 'reject the under-13 report',
    section: '/staff/under13',
    action: '/staff/under13/decide',
    back: '/staff/under13',
    fields: { proposalId, decision: 'reject' },
    willHappen: [
      'The report is closed as rejected, with your name in the audit trail.',
      'The person is not marked as under 13 and nothing about them is deleted.',
    ],
    cannotUndo:
      'A rejected report cannot be reopened: if the person is under 13 after all, customer service must report them again.',
    confirmLabel: 'Reject the report',
    tone: 'destructive',
  }),
};

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
      if (req.body.confirmed !== 'yes')
        return sendHtml(
          reply,
          renderConfirmation(consoleFrame(ctx, req), CONFIRMATIONS[decision](proposalId)),
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
