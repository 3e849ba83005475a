// The promise monitor over HTTP: run the checks now, or read the latest results.
import { z } from 'zod';
import { PromiseMonitor } from '../../modules/promises/index.js';
import type { RouteModule } from '../route-module.js';

const resultSchema = z.object({
  promise: z.string(),
  title: z.string(),
  status: z.enum(['kept', 'broken', 'not_checkable']),
  evidence: z.object({ count: z.number(), ids: z.array(z.string()), note: z.string() }),
  provenBy: z.array(z.string()).optional(),
});

export const promiseRoutes: RouteModule = (app, ctx, services) => {
  const monitor = new PromiseMonitor(ctx, { datasets: services.datasets });
  app.post(
    '/v1/promises/check',
    {
      config: { access: 'staff:auditor' },
      schema: {
        tags: ['promises'],
        summary:
          'Check every promise against the live data now (kept, broken with evidence, or proven by tests)',
        response: { 200: z.object({ results: z.array(resultSchema) }) },
      },
    },
    async () => {
      const results = await monitor.check();
      for (const r of results) {
        if (r.status !== 'not_checkable')
          services.metrics.promiseStatus.set({ promise: r.promise }, r.status === 'kept' ? 1 : 0);
      }
      return {
        results: results.map((r) => ({
          promise: r.promise,
          title: r.title,
          status: r.status,
          evidence: { count: r.evidence.count, ids: [...r.evidence.ids], note: r.evidence.note },
          ...(r.provenBy ? { provenBy: [...r.provenBy] } : {}),
        })),
      };
    },
  );
};
