// The marketing pages of the console: audiences (links to the streamed, audited exports), layout
// experiments with their results, and aggregate reports (choose a report, a week and a recipient).

import type { FastifyRequest } from 'fastify';
import { z } from 'zod';
import { audienceTarget, consentTrend } from '../../modules/consent/index.js';
import { auditActor } from '../../modules/identity/index.js';
import { INTERNAL_RECIPIENT, isoWeekOf } from '../../modules/reports/index.js';
import { isoDay } from '../../modules/rights/index.js';
import { line } from '../../platform/strings.js';
import { consoleFrame, refusalOf, sendHtml } from '../route-helpers.js';
import type { RouteModule } from '../route-module.js';
import { type AudienceLink, renderAudiences } from './audiences.js';
import { consentCharts, lastWeeks } from './consent-charts.js';
import { renderExperimentList, renderExperimentResults } from './experiments.js';
import { type FilterRefusal, unknownValue } from './filter-refusal.js';
import { type ReportForm, renderReportsPage } from './reports.js';

/** An experiment's id, as the JSON API validates it (api/experiments.ts). */
const idParams = z.strictObject({
  id: line().regex(
    /^[a-z0-9][a-z0-9-]{0,62}$/,
    'lower-case letters, digits and hyphens, up to 63 characters',
  ),
});

export const marketingConsoleRoutes: RouteModule = (app, ctx, services) => {
  app.get(
    '/staff/audiences',
    { config: { access: 'staff:marketing' }, schema: { hide: true, querystring: z.strictObject({}) } },
    async (req, reply) => {
      const links: AudienceLink[] = [];
      for (const [channel, ch] of Object.entries(ctx.policy.doc.channels)) {
        if (channel.startsWith('cookies.')) continue;
        for (const purpose of ch.purposes) {
          try {
            const t = audienceTarget(ctx.policy, channel, purpose);
            links.push({ channel, description: ch.description, purpose, contact: t.category });
          } catch {
            // A purpose no form collects a contact for has no audience.
          }
        }
      }
      const today = isoDay(ctx.clock.now());
      const counts = await consentTrend(ctx, lastWeeks(today)[0]!);
      return sendHtml(reply, renderAudiences(consoleFrame(ctx, req), links, consentCharts(counts, today)));
    },
  );

  app.get(
    '/staff/experiments',
    {
      config: { access: 'staff:marketing' },
      schema: {
        tags: ['pages'],
        summary: 'The layout experiments page',
        hide: true,
        querystring: z.strictObject({}),
      },
    },
    async (req, reply) =>
      sendHtml(reply, renderExperimentList(consoleFrame(ctx, req), await services.experiments.list())),
  );

  app.get(
    '/staff/experiments/:id',
    {
      config: { access: 'staff:marketing' },
      schema: {
        tags: ['pages'],
        summary: "An experiment's results page",
        hide: true,
        params: idParams,
        querystring: z.strictObject({}),
      },
    },
    async (req, reply) => {
      const experiment = await services.experiments.get(req.params.id);
      const results = await services.experiments.results(req.params.id, auditActor(req.principal));
      return sendHtml(reply, renderExperimentResults(consoleFrame(ctx, req), experiment, results));
    },
  );

  /** The recipients the reports page offers: Vow itself and those the policy gives aggregates. */
  const reportRecipients = (): string[] => {
    const policy = ctx.policy;
    return [
      INTERNAL_RECIPIENT,
      ...Object.entries(policy.doc.recipients)
        .filter(([, r]) => r.purposes.some((p) => policy.doc.purposes[p]?.aggregate_only === true))
        .map(([id]) => id),
    ];
  };
  const reportForm = (query: { report?: unknown; week?: unknown; recipient?: unknown }): ReportForm => ({
    report: typeof query.report === 'string' ? query.report : 'visitors_by_area',
    week:
      typeof query.week === 'string'
        ? query.week
        : isoWeekOf(new Date(ctx.clock.now().getTime() - 7 * 86_400_000)),
    recipient: typeof query.recipient === 'string' ? query.recipient : INTERNAL_RECIPIENT,
  });
  /** The form alone, with the address's refused values marked; nothing is released (400). */
  const refusedReportPage = (req: FastifyRequest, refusal: FilterRefusal): string =>
    renderReportsPage(
      consoleFrame(ctx, req),
      reportForm(refusal.query),
      reportRecipients(),
      undefined,
      refusal,
    );
  /** Refusals of the release that are about the week asked for, marked at the week's field. */
  const WEEK_CODES = new Set(['VOW_VALIDATION', 'VOW_REPORT_PERIOD_OPEN']);

  app.get(
    '/staff/reports',
    {
      config: {
        access: 'staff:marketing',
        // A report, week or recipient the schema refuses: the form with it marked, nothing released.
        filterPage: async (req, refusal) => refusedReportPage(req, refusal),
      },
      schema: {
        tags: ['pages'],
        summary: 'The aggregate reports page',
        hide: true,
        querystring: z.strictObject({
          report: z.enum(['visitors_by_area', 'registrations_by_gender']).default('visitors_by_area'),
          week: line().max(16).optional(),
          recipient: line().max(64).default(INTERNAL_RECIPIENT),
        }),
      },
    },
    async (req, reply) => {
      const recipients = reportRecipients();
      // A recipient this page does not offer is refused at its field like a value the schema
      // refuses, before anything is released (it was shown as the first choice, silently).
      if (!recipients.includes(req.query.recipient)) {
        const refusal = unknownValue('/staff/reports', req.query, 'recipient', {
          expected: `it takes one of ${recipients.join(', ')}`,
        });
        return sendHtml(reply, refusedReportPage(req, refusal), 400);
      }
      const form = reportForm(req.query);
      let outcome: Parameters<typeof renderReportsPage>[3];
      let status = 200;
      if (req.query.week !== undefined) {
        try {
          outcome = {
            report: await services.reports.report(
              req.query.report,
              req.query.week,
              req.query.recipient,
              auditActor(req.principal),
            ),
          };
        } catch (err) {
          const refusal = refusalOf(err);
          outcome = {
            error: `${refusal.error.message} (${refusal.error.code})`,
            week: WEEK_CODES.has(refusal.error.code),
          };
          status = refusal.status;
        }
      }
      return sendHtml(reply, renderReportsPage(consoleFrame(ctx, req), form, recipients, outcome), status);
    },
  );
};
