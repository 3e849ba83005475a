// Liveness, readiness and the OpenAPI document.
import { sql } from 'kysely';
import { z } from 'zod';
import { VowError } from '../../platform/errors.js';
import type { RouteModule } from '../route-module.js';

export const healthRoutes: RouteModule = (app, ctx, services) => {
  app.get(
    '/healthz',
    {
      config: { access: 'public' },
      schema: {
        tags: ['meta'],
        summary: 'Health: the process is up and the database answers',
        response: {
          200: z.object({
            status: z.literal('ok'),
            database: z.enum(['sqlite', 'postgres']),
            policyVersion: z.string(),
          }),
        },
      },
    },
    async () => {
      try {
        await sql`select 1`.execute(ctx.store.db);
      } catch (err) {
        throw new VowError('VOW_DATABASE_UNAVAILABLE', 'The database does not answer', undefined, {
          cause: err,
        });
      }
      return { status: 'ok' as const, database: ctx.store.dialect, policyVersion: ctx.policy.version };
    },
  );

  app.get(
    '/metrics',
    {
      config: { access: 'service' },
      schema: { tags: ['meta'], summary: 'Prometheus metrics (route patterns and outcomes only)' },
    },
    async (_req, reply) =>
      reply.type(services.metrics.registry.contentType).send(await services.metrics.registry.metrics()),
  );

  app.get('/openapi.json', { config: { access: 'public' }, schema: { hide: true } }, async () =>
    app.swagger(),
  );
};
