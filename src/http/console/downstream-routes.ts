// Console routes of webhooks and downstream tasks (src/http/console/downstream.ts renders them).
import type { FastifyRequest } from 'fastify';
import { z } from 'zod';
import type { TaskKind, TaskView } from '../../modules/downstream/index.js';
import { line, prose } from '../../platform/strings.js';
import { consoleFrame, csrfBodyField, refusalOf, sendHtml, staffIdOf } from '../route-helpers.js';
import type { RouteModule } from '../route-module.js';
import { renderTasks, renderWebhooks, type TaskDraft } from './downstream.js';
import { type FilterRefusal, unknownValue } from './filter-refusal.js';
import { refused } from './shell.js';

export const downstreamConsoleRoutes: RouteModule = (app, ctx, services) => {
  const { webhooks, tasks } = services.downstream;
  const webhooksPage = async (
    frame: ReturnType<typeof consoleFrame>,
    message?: { ok: boolean; text: string },
  ) => renderWebhooks(frame, await webhooks.list(), await webhooks.deliveries({ status: 'failed' }), message);

  app.get(
    '/staff/webhooks',
    { config: { access: 'staff:admin' }, schema: { hide: true, querystring: z.strictObject({}) } },
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

  const KINDS = ['deletion', 'correction', 'restriction', 'opt_out'] as const;
  const filterFields = {
    kind: z
      .enum(KINDS)
      .or(z.literal('').transform(() => undefined))
      .optional(),
    recipient: z.string().max(64).optional(),
  };
  const taskList = async (
    filter: { kind?: TaskKind | undefined; recipient?: string | undefined },
    refused?: FilterRefusal,
  ) => {
    const recipients = Object.entries(ctx.policy.doc.recipients).map(([id, r]) => ({ id, name: r.name }));
    const known = !filter.recipient || recipients.some((r) => r.id === filter.recipient);
    const recipient = known ? filter.recipient : undefined;
    // A recipient the policy does not name is refused like a value the schema refuses (400, marked).
    const refusal =
      refused ??
      (known
        ? undefined
        : unknownValue('/staff/downstream', { ...filter, recipient: filter.recipient ?? '' }, 'recipient', {
            expected: `it takes one of ${recipients.map((r) => r.id).join(', ')}`,
          }));
    return {
      tasks: await tasks.list({ open: true, holdingFirst: true, kind: filter.kind, recipient }),
      counts: await tasks.openCounts(),
      filter: { kind: filter.kind, recipient },
      recipients,
      refusal,
    };
  };

  const tasksPage = async (
    req: FastifyRequest,
    query: {
      draft?: string | undefined;
      closed?: '1' | undefined;
      kind?: TaskKind | undefined;
      recipient?: string | undefined;
    },
    refused?: FilterRefusal,
  ) => {
    const { draft: draftId, closed, ...filter } = query;
    const list = await taskList(filter, refused);
    const draft = draftId ? await draftOf(draftId, list.tasks) : undefined;
    const page = renderTasks(
      consoleFrame(ctx, req),
      list,
      draft,
      closed ? { ok: true, text: 'The task is closed.' } : undefined,
    );
    return { page, status: list.refusal ? 400 : draft && 'missing' in draft ? 404 : 200 };
  };

  /**
   * The drafted email the address asks for, or why there is none (an id no task has, a task passed
   * on by webhook, a text the outbox no longer keeps): shown where the draft would be, answered 404,
   * the list and its filters kept (it was silently left out).
   */
  const draftOf = async (taskId: string, shown: readonly TaskView[]): Promise<TaskDraft> => {
    let found: Awaited<ReturnType<typeof tasks.draft>>;
    try {
      found = await tasks.draft(taskId);
    } catch (err) {
      if (refusalOf(err).error.code !== 'VOW_TASK_NOT_FOUND') throw err;
      return { taskId, missing: 'unknown' };
    }
    if (found) return { taskId, ...found };
    const task = shown.find((t) => t.id === taskId);
    return { taskId, missing: task?.method === 'webhook' ? 'webhook' : 'not-kept' };
  };

  app.get(
    '/staff/downstream',
    {
      config: {
        access: 'staff:privacy_officer',
        // A refused filter in the address: the tasks without it, the field marked (400).
        filterPage: async (req, refusal) => (await tasksPage(req, refusal.query, refusal)).page,
      },
      schema: {
        hide: true,
        querystring: z.strictObject({
          draft: line().min(1).max(80).optional(),
          closed: z.literal('1').optional(),
          ...filterFields,
        }),
      },
    },
    async (req, reply) => {
      const { page, status } = await tasksPage(req, req.query);
      return sendHtml(reply, page, status);
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
          ...filterFields,
        }),
      },
    },
    async (req, reply) => {
      const { kind, recipient } = req.body;
      try {
        await tasks.complete(
          req.body.taskId,
          { outcome: req.body.outcome, evidence: req.body.evidence },
          staffIdOf(req),
        );
      } catch (err) {
        const refusal = refusalOf(err);
        return sendHtml(
          reply,
          renderTasks(
            consoleFrame(ctx, req),
            await taskList({ kind, recipient }),
            undefined,
            refused(refusal.error),
          ),
          refusal.status,
        );
      }
      // Redirect after the post: a reload shows the list again instead of posting twice.
      const query = new URLSearchParams({
        ...(kind ? { kind } : {}),
        ...(recipient ? { recipient } : {}),
        closed: '1',
      });
      return reply.redirect(`/staff/downstream?${query}`, 303);
    },
  );
};
