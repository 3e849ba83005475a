// Aggregate reports (P6), the JSON API: differentially private counts per finished ISO week, for
// Vow's own staff (recipient "internal") or a policy recipient such as "advertisers" (recorded as
// a disclosure), and each recipient's privacy budget.

import { z } from 'zod';
import { auditActor } from '../../modules/identity/index.js';
import { INTERNAL_RECIPIENT, type ReportName, reportCsv } from '../../modules/reports/index.js';
import { line } from '../../platform/strings.js';
import type { RouteModule } from '../route-module.js';

const week = line()
  .regex(/^\d{4}-W\d{2}$/, 'an ISO week such as 2026-W03')
  .describe('ISO week (UTC), e.g. 2026-W03');
const recipient = line()
  .regex(/^[a-z][a-z0-9_-]{0,63}$/)
  .default(INTERNAL_RECIPIENT)
  .describe('"internal" (site design) or a recipient of the policy, e.g. "advertisers"');

const reportSchema = z.object({
  report: z.enum(['visitors_by_area', 'registrations_by_gender']),
  title: z.string(),
  period: z.string(),
  periodStart: z.string(),
  periodEnd: z.string(),
  recipient: z.string(),
  releaseId: z.string(),
  releasedAt: z.string(),
  mechanism: z.literal('discrete_laplace'),
  epsilon: z.number(),
  threshold: z.number(),
  contributionCap: z.number(),
  sensitivity: z.number(),
  delta: z.number(),
  cells: z.array(z.object({ key: z.string(), count: z.number().nullable() })),
  budget: z.object({ spent: z.number(), limit: z.number(), remaining: z.number() }),
  policyVersion: z.string(),
});

export const reportApiRoutes: RouteModule = (app, _ctx, services) => {
  const routes: { path: string; report: ReportName; summary: string }[] = [
    {
      path: '/v1/reports/visitors-by-area',
      report: 'visitors_by_area',
      summary: 'Visitors to each area of the site in one ISO week (noisy counts)',
    },
    {
      path: '/v1/reports/registrations-by-gender',
      report: 'registrations_by_gender',
      summary: 'Men and women who filled in the registration form in one ISO week (noisy counts)',
    },
  ];
  for (const r of routes) {
    app.get(
      r.path,
      {
        config: { access: 'staff:marketing' },
        schema: {
          tags: ['reports'],
          summary: r.summary,
          description:
            'Differentially private: contributions capped, exact discrete Laplace noise, cells released above a noisy threshold, the first answer stored and returned again, and each recipient charged epsilon per period (VOW_BUDGET_EXHAUSTED when spent). format=csv answers text/csv. A report to a recipient other than "internal" is recorded as a disclosure.',
          querystring: z.strictObject({ week, recipient, format: z.enum(['json', 'csv']).default('json') }),
          response: { 200: z.union([reportSchema, line().describe('text/csv')]) },
        },
      },
      async (req, reply) => {
        const released = await services.reports.report(
          r.report,
          req.query.week,
          req.query.recipient,
          auditActor(req.principal),
        );
        if (req.query.format === 'csv') {
          return reply
            .type('text/csv; charset=utf-8')
            .header('content-disposition', `attachment; filename="${released.report}-${released.period}.csv"`)
            .send(reportCsv(released));
        }
        return released;
      },
    );
  }

  app.get(
    '/v1/reports/budget',
    {
      config: { access: 'staff:marketing' },
      schema: {
        tags: ['reports'],
        summary: "A recipient's privacy budget (epsilon) for one ISO week",
        querystring: z.strictObject({ week, recipient }),
        response: {
          200: z.object({
            recipient: z.string(),
            period: z.string(),
            spent: z.number(),
            limit: z.number(),
            remaining: z.number(),
            settings: z.object({
              epsilonPerQuery: z.number(),
              threshold: z.number(),
              contributionCap: z.number(),
              budgetPerPeriod: z.number(),
            }),
          }),
        },
      },
    },
    async (req) => {
      const s = services.reports.settings();
      return {
        recipient: req.query.recipient,
        period: req.query.week,
        ...(await services.reports.budget(req.query.recipient, req.query.week)),
        settings: {
          epsilonPerQuery: s.epsilon_per_query,
          threshold: s.threshold,
          contributionCap: s.contribution_cap,
          budgetPerPeriod: s.budget_per_period,
        },
      };
    },
  );
};
