// Aggregate reports (P6), the JSON API: differentially private counts per finished ISO week, for
// Vow's own staff (recipient "internal") or a policy recipient such as "advertisers" (recorded as
// a disclosure), and each recipient's privacy budget.

import { z } from 'zod';
import { auditActor } from '../../modules/identity/index.js';
import { INTERNAL_RECIPIENT, type ReportName, reportCsv } from '../../modules/reports/index.js';
import { line } from '../../platform/strings.js';
import type { RouteModule } from '../route-module.js';

const week = line()
  .regex(/^\d{4}-?[Ww]\d{2}$/, 'an ISO week such as 2026-W03')
  .describe('ISO week (UTC), e.g. 2026-W03 (2026W03 names the same week)');
const recipient = line()
  .regex(/^[a-z][a-z0-9_-]{0,63}$/)
  .default(INTERNAL_RECIPIENT)
  .describe('"internal" (site design) or a recipient of the policy, e.g. "advertisers"');

const budgetSchema = z.object({
  week: z.string().describe('The calendar ISO week of receipt the weekly budget counts (now)'),
  spent: z.number(),
  limit: z.number(),
  remaining: z.number().describe('Epsilon that may still be received now (this week and in the window)'),
  lifetime: z.object({
    days: z.number(),
    since: z.string(),
    spent: z.number(),
    limit: z.number(),
    remaining: z.number(),
  }),
});

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
  accuracy: z.object({
    alpha: z.number(),
    confidence: z.number(),
    halfWidth: z
      .number()
      .describe('k: each count is within ±k of the true count with probability `coverage`'),
    coverage: z.number(),
  }),
  cells: z.array(
    z.object({
      key: z.string(),
      count: z.number().nullable(),
      interval: z.tuple([z.number(), z.number()]).nullable(),
    }),
  ),
  charged: z.boolean(),
  budget: budgetSchema,
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
          errors: [
            'VOW_BUDGET_EXHAUSTED',
            'VOW_REPORT_NOT_ALLOWED',
            'VOW_REPORT_NOT_READY',
            'VOW_REPORT_PERIOD_OPEN',
            'VOW_UNKNOWN_RECIPIENT',
          ],
          summary: r.summary,
          description:
            'Differentially private: contributions capped, exact discrete Laplace noise, cells released above a noisy threshold. A job releases each finished week once (VOW_REPORT_NOT_READY until it has); every request gets that stored answer. Each recipient is charged epsilon on its first receipt of a release, per calendar week of receipt and over a rolling window (VOW_BUDGET_EXHAUSTED when either is spent). Each count comes with the interval its noise stays in (accuracy). format=csv answers text/csv. A report to a recipient other than "internal" is recorded as a disclosure.',
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
        errors: [],
        summary: "A recipient's privacy budget (epsilon): this week of receipt and the rolling window",
        querystring: z.strictObject({ recipient }),
        response: {
          200: budgetSchema.extend({
            recipient: z.string(),
            settings: z.object({
              epsilonPerQuery: z.number(),
              threshold: z.number(),
              contributionCap: z.number(),
              budgetPerWeek: z.number(),
              budgetLifetime: z.number(),
              lifetimeDays: z.number(),
              accuracyAlpha: z.number(),
            }),
          }),
        },
      },
    },
    async (req) => {
      const s = services.reports.settings();
      return {
        recipient: req.query.recipient,
        ...(await services.reports.budget(req.query.recipient)),
        settings: {
          epsilonPerQuery: s.epsilon_per_query,
          threshold: s.threshold,
          contributionCap: s.contribution_cap,
          budgetPerWeek: s.budget_per_week,
          budgetLifetime: s.budget_lifetime,
          lifetimeDays: s.lifetime_days,
          accuracyAlpha: s.accuracy_alpha,
        },
      };
    },
  );
};
