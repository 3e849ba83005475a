// The promise monitor over HTTP: run the checks now (off the request path), or read the latest results.
import { z } from 'zod';
import type { CheckResult } from '../../modules/promises/index.js';
import type { RouteModule } from '../route-module.js';

const scalar = z.union([z.string(), z.number(), z.boolean(), z.null()]);
const resultSchema = z.object({
  promise: z
    .string()
    .describe("The promise's id (P6), or check:<check> for a check the policy names no promise for"),
  title: z.string(),
  declared: z
    .boolean()
    .describe(
      'true for a promise the policy declares; false for a check:<check> row, which reports breaks filed under promise numbers the policy does not declare',
    ),
  status: z.enum(['kept', 'broken', 'not_checkable']),
  evidence: z.object({
    count: z.number(),
    ids: z.array(z.string()),
    note: z.string(),
    violations: z.array(
      z.object({
        table: z.string(),
        row: z.string(),
        rule: z.string(),
        reason: z.string(),
        values: z.record(z.string(), scalar),
      }),
    ),
    byRule: z.record(z.string(), z.number()),
  }),
  provenBy: z.array(z.string()).optional(),
});

function view(r: CheckResult) {
  return {
    promise: r.promise,
    title: r.title,
    declared: r.declared,
    status: r.status,
    evidence: {
      count: r.evidence.count,
      ids: [...r.evidence.ids],
      note: r.evidence.note,
      violations: r.evidence.violations.map((v) => ({
        table: v.table,
        row: v.row,
        rule: v.rule,
        reason: v.reason,
        values: { ...v.values },
      })),
      byRule: { ...r.evidence.byRule },
    },
    ...(r.provenBy ? { provenBy: [...r.provenBy] } : {}),
  };
}

export const promiseRoutes: RouteModule = (app, _ctx, services) => {
  app.post(
    '/v1/promises/check',
    {
      config: { access: 'staff:auditor' },
      schema: {
        tags: ['promises'],
        errors: [],
        summary:
          'Check every promise against the live data now (kept, broken with evidence, or proven by tests): a full sweep by default',
        querystring: z.strictObject({ mode: z.enum(['full', 'incremental', 'auto']).default('full') }),
        response: {
          200: z.object({
            mode: z.enum(['full', 'incremental']),
            checkedAt: z.string(),
            results: z.array(resultSchema),
          }),
        },
      },
    },
    async (req) => {
      const summary = await services.promises.checks.run(req.query.mode);
      return { mode: summary.mode, checkedAt: summary.startedAt, results: summary.results.map(view) };
    },
  );
  app.get(
    '/v1/promises',
    {
      config: { access: 'staff:auditor' },
      schema: {
        tags: ['promises'],
        errors: [],
        summary:
          'The results of the latest check (the hourly one, or one run on demand), without running one',
        response: {
          200: z.object({
            mode: z.enum(['full', 'incremental']).nullable(),
            checkedAt: z.string().nullable(),
            results: z.array(resultSchema),
          }),
        },
      },
    },
    async () => {
      const latest = await services.promises.monitor.latest();
      return {
        mode: (latest?.mode ?? null) as 'full' | 'incremental' | null,
        checkedAt: latest?.checkedAt ?? null,
        results: (latest?.results ?? []).map(view),
      };
    },
  );
};
