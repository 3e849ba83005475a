// Webhooks and downstream tasks, the JSON API: admins configure the retailer's endpoints (the signing
// secret is answered once), rotate secrets and read the outbox's dead-letter list; privacy staff see
// each request's downstream tasks, read a drafted email and close a task with evidence.

import { z } from 'zod';
import { EVENT_TYPES } from '../../modules/downstream/index.js';
import { line, prose } from '../../platform/strings.js';
import { staffIdOf } from '../route-helpers.js';
import type { RouteModule } from '../route-module.js';

const id = line().min(1).max(80);
const endpointView = z.object({
  id: z.string(),
  url: z.string(),
  events: z.array(z.string()),
  recipient: z.string().nullable(),
  createdAt: z.string(),
  rotating: z.boolean(),
  disabled: z.boolean(),
});
const deliveryView = z.object({
  id: z.string(),
  endpointId: z.string(),
  url: z.string(),
  eventType: z.string(),
  status: z.enum(['pending', 'delivered', 'failed']),
  attempts: z.number(),
  nextAttemptAt: z.string().nullable(),
  lastError: z.string().nullable(),
  createdAt: z.string(),
  deliveredAt: z.string().nullable(),
});
const taskView = z.object({
  id: z.string(),
  requestId: z.string().nullable(),
  kind: z.string(),
  recipient: z.string(),
  recipientName: z.string(),
  method: z.enum(['webhook', 'email']),
  blocking: z.boolean(),
  status: z.enum(['waiting', 'failed', 'done', 'explained']),
  waitingOn: z.string().nullable(),
  deliveryId: z.string().nullable(),
  evidence: z.string().nullable(),
  createdAt: z.string(),
  completedAt: z.string().nullable(),
  /** The request's deadline in force (YYYY-MM-DD); null for an opt-out outside a request. */
  dueOn: z.string().nullable(),
  /** Open past its request's deadline. */
  overdue: z.boolean(),
});

export const webhookApiRoutes: RouteModule = (app, _ctx, services) => {
  const { webhooks, tasks } = services.downstream;

  app.post(
    '/v1/webhooks',
    {
      config: { access: 'staff:admin' },
      schema: {
        tags: ['webhooks'],
        errors: [
          'VOW_WEBHOOK_ADDRESS_REFUSED',
          'VOW_WEBHOOK_EVENT_UNKNOWN',
          'VOW_WEBHOOK_RECIPIENT_UNKNOWN',
          'VOW_WEBHOOK_URL_INVALID',
        ],
        summary: 'Add a webhook endpoint; its signing secret is answered once',
        description: `Events: ${EVENT_TYPES.join(', ')}. \`recipient\` ties the endpoint to a policy recipient: its events carry only the identifiers that recipient may receive, and it gets that recipient's downstream tasks.`,
        body: z.strictObject({
          url: line().min(8).max(2000),
          events: z.array(line().max(64)).min(1).max(EVENT_TYPES.length),
          recipient: line().min(1).max(64).optional(),
        }),
        response: { 201: z.object({ id: z.string(), secret: z.string() }) },
      },
    },
    async (req, reply) => reply.code(201).send(await webhooks.create(req.body, staffIdOf(req))),
  );

  app.get(
    '/v1/webhooks',
    {
      config: { access: 'staff:admin' },
      schema: {
        tags: ['webhooks'],
        errors: [],
        summary: 'The webhook endpoints',
        response: { 200: z.array(endpointView) },
      },
    },
    () => webhooks.list(),
  );

  app.post(
    '/v1/webhooks/:id/rotate',
    {
      config: { access: 'staff:admin' },
      schema: {
        tags: ['webhooks'],
        errors: ['VOW_WEBHOOK_NOT_FOUND'],
        summary: 'A new signing secret; the old one keeps signing for 24 hours (both signatures are sent)',
        params: z.strictObject({ id }),
        response: { 200: z.object({ secret: z.string(), previousValidUntil: z.string() }) },
      },
    },
    (req) => webhooks.rotate(req.params.id, staffIdOf(req)),
  );

  app.delete(
    '/v1/webhooks/:id',
    {
      config: { access: 'staff:admin' },
      schema: {
        tags: ['webhooks'],
        errors: ['VOW_WEBHOOK_NOT_FOUND'],
        summary: 'Disable an endpoint',
        params: z.strictObject({ id }),
        response: { 204: z.null().describe('Disabled: nothing more is delivered to it') },
      },
    },
    async (req, reply) => {
      await webhooks.disable(req.params.id, staffIdOf(req));
      return reply.code(204).send(null);
    },
  );

  app.get(
    '/v1/webhooks/deliveries',
    {
      config: { access: 'staff:admin' },
      schema: {
        tags: ['webhooks'],
        errors: [],
        summary: 'The outbox; `status=failed` is the dead-letter list',
        querystring: z.strictObject({ status: z.enum(['pending', 'delivered', 'failed']).optional() }),
        response: { 200: z.array(deliveryView) },
      },
    },
    (req) => webhooks.deliveries(req.query.status ? { status: req.query.status } : {}),
  );

  app.post(
    '/v1/webhooks/deliveries/:id/retry',
    {
      config: { access: 'staff:admin' },
      schema: {
        tags: ['webhooks'],
        errors: ['VOW_TASK_STATE', 'VOW_WEBHOOK_NOT_FOUND'],
        summary: 'Put a dead-lettered delivery back in the outbox',
        params: z.strictObject({ id }),
        response: { 202: z.object({ status: z.literal('pending') }) },
      },
    },
    async (req, reply) => {
      await webhooks.retry(req.params.id, staffIdOf(req));
      return reply.code(202).send({ status: 'pending' });
    },
  );

  app.get(
    '/v1/downstream-tasks',
    {
      config: { access: 'staff:customer_service' },
      schema: {
        tags: ['webhooks'],
        errors: [],
        summary: "Downstream tasks: a request's (`requestId`), or every open one (`open=true`)",
        querystring: z.strictObject({ requestId: id.optional(), open: z.enum(['true', 'false']).optional() }),
        response: { 200: z.array(taskView) },
      },
    },
    (req) =>
      req.query.requestId
        ? tasks.forRequest(req.query.requestId)
        : tasks.list({ open: req.query.open === 'true' }),
  );

  app.get(
    '/v1/downstream-tasks/:id/draft',
    {
      config: { access: 'staff:privacy_officer' },
      schema: {
        tags: ['webhooks'],
        errors: ['VOW_TASK_NOT_FOUND'],
        summary: 'The drafted email for a recipient without an API (until the task is closed)',
        params: z.strictObject({ id }),
        response: { 200: z.object({ to: z.string(), subject: z.string(), text: z.string() }).nullable() },
      },
    },
    (req) => tasks.draft(req.params.id),
  );

  app.post(
    '/v1/downstream-tasks/:id/complete',
    {
      config: { access: 'staff:privacy_officer' },
      schema: {
        tags: ['webhooks'],
        errors: ['VOW_TASK_NOT_FOUND', 'VOW_TASK_STATE'],
        summary: "Close a task: `done` with the recipient's confirmation as evidence, or `explained`",
        params: z.strictObject({ id }),
        body: z.strictObject({ outcome: z.enum(['done', 'explained']), evidence: prose().min(3).max(2000) }),
        response: { 200: taskView },
      },
    },
    (req) => tasks.complete(req.params.id, req.body, staffIdOf(req)),
  );
};
