// Console routes of webhooks and downstream tasks (src/http/console/downstream.ts renders them).
import { z } from 'zod';
import { line, prose } from '../../platform/strings.js';
import { consoleFrame, csrfBodyField, refusalOf, sendHtml, staffIdOf } from '../route-helpers.js';
import type { RouteModule } from '../route-module.js';
import { renderTasks, renderWebhooks } from './downstream.js';
import { refused } from './shell.js';

export const downstreamConsoleRoutes: RouteModule = (app, ctx, services) => {
  const { webhooks, tasks } = services.downstream;
  const webhooksPage = async (
    frame: ReturnType<typeof consoleFrame>,
    message?: { ok: boolean; text: string },
  ) => renderWebhooks(frame, await webhooks.list(), await webhooks.deliveries({ status: 'failed' }), message);

  app.get(
    '/staff/webhooks',
    { config: { access: 'staff:admin' }, schema: { hide: true } },
    async (req, reply) => sendHtml(reply, await webhooksPage(consoleFrame(ctx, req))),
  );

  app.post(
    '/staff/webhooks/retry',
    {
      config: { access: 'staff:admin' },
      schema: { hide: true, body: z.strictObject({ ...csrfBodyField, deliveryId: line().min(1).max(80) }) },
    },
    async (req, reply) => {
      try {
        await webhooks.retry(req.body.deliveryId, staffIdOf(req));
        return sendHtml(
          reply,
          await webhooksPage(consoleFrame(ctx, req), { ok: true, text: 'Queued again.' }),
        );
      } catch (err) {
        const refusal = refusalOf(err);
        return sendHtml(
          reply,
          await webhooksPage(consoleFrame(ctx, req), refused(refusal.error)),
          refusal.status,
        );
      }
    },
  );

  app.get(
    '/staff/downstream',
    {
      config: { access: 'staff:privacy_officer' },
      schema: { hide: true, querystring: z.strictObject({ draft: line().min(1).max(80).optional() }) },
    },
    async (req, reply) => {
      const draftId = req.query.draft;
      const draft = draftId ? await tasks.draft(draftId) : null;
      return sendHtml(
        reply,
        renderTasks(
          consoleFrame(ctx, req),
          await tasks.list({ open: true }),
          draft && draftId ? { taskId: draftId, ...draft } : undefined,
        ),
      );
    },
  );

  app.post(
    '/staff/downstream/complete',
    {
      config: { access: 'staff:privacy_officer' },
      schema: {
        hide: true,
        body: z.strictObject({
          ...csrfBodyField,
          taskId: line().min(1).max(80),
          outcome: z.enum(['done', 'explained']),
          evidence: prose().min(3).max(2000),
        }),
      },
    },
    async (req, reply) => {
      let message: { ok: boolean; text: string };
      let status = 200;
      try {
        await tasks.complete(
          req.body.taskId,
          { outcome: req.body.outcome, evidence: req.body.evidence },
          staffIdOf(req),
        );
        message = { ok: true, text: 'The task is closed.' };
      } catch (err) {
        const refusal = refusalOf(err);
        message = refused(refusal.error);
        status = refusal.status;
      }
      return sendHtml(
        reply,
        renderTasks(consoleFrame(ctx, req), await tasks.list({ open: true }), undefined, message),
        status,
      );
    },
  );
};
