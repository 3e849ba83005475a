// A recipient's signed acknowledgement of a downstream task: no session or key, the Standard
// Webhooks signature (made with the secret of the endpoint the task was sent to) is the proof. The
// body is verified as received, so this scope reads JSON as a string.

import { z } from 'zod';
import { VowError } from '../../platform/errors.js';
import { line } from '../../platform/strings.js';
import type { RouteModule } from '../route-module.js';

export const downstreamAckRoutes: RouteModule = (app, _ctx, services) => {
  app.removeContentTypeParser('application/json');
  app.addContentTypeParser('application/json', { parseAs: 'string' }, (_req, body, done) => done(null, body));
  app.post(
    '/v1/downstream-tasks/:id/ack',
    {
      config: { access: 'public' },
      schema: {
        tags: ['webhooks'],
        errors: ['VOW_ACK_SIGNATURE_INVALID'],
        summary: "A recipient confirms it acted on a task (signed like a webhook with the endpoint's secret)",
        params: z.strictObject({ id: line().min(1).max(80) }),
        body: z.string().max(10_000),
        response: { 200: z.object({ id: z.string(), status: z.string() }) },
      },
    },
    async (req) => {
      const header = (name: string) => {
        const v = req.headers[name];
        return typeof v === 'string' ? v : undefined;
      };
      if (typeof req.body !== 'string')
        throw new VowError('VOW_BAD_JSON', 'Send the acknowledgement as application/json');
      const task = await services.downstream.tasks.acknowledge(
        req.params.id,
        {
          id: header('webhook-id'),
          timestamp: header('webhook-timestamp'),
          signature: header('webhook-signature'),
        },
        req.body,
      );
      return { id: task.id, status: task.status };
    },
  );
};
