// The console's home: the promise table with recent runs of the checks (privacy officer, auditors)
// and a button to run a full check now; the request queue's deadlines for customer service.

import type { FastifyReply, FastifyRequest } from 'fastify';
import { z } from 'zod';
import { stageOf } from '../../modules/incidents/index.js';
import { TEST_ONLY } from '../../modules/promises/index.js';
import { isoDay } from '../../modules/rights/index.js';
import { consoleFrame, csrfBodyField, sendHtml } from '../route-helpers.js';
import type { RouteModule } from '../route-module.js';
import { type DashboardData, renderDashboard } from './dashboard.js';
import { INCIDENT_READERS } from './incidents.js';
import { opens } from './shell.js';

export const dashboardConsoleRoutes: RouteModule = (app, ctx, services) => {
  const monitor = services.promises.monitor;

  async function dashboard(req: FastifyRequest, reply: FastifyReply, message?: DashboardData['message']) {
    const frame = consoleFrame(ctx, req);
    const roles = frame.roles;
    let promises: DashboardData['promises'];
    if (opens(roles, 'auditor')) {
      const latest = await monitor.latest();
      promises = latest
        ? {
            checkedAt: latest.checkedAt,
            rows: latest.results.map((r) => ({
              promise: r.promise,
              title: r.title,
              status: r.status,
              count: r.evidence.count,
              ids: r.evidence.ids,
              note: r.evidence.note,
              violations: r.evidence.violations,
              provenBy: r.provenBy ?? TEST_ONLY[r.promise] ?? [],
            })),
          }
        : null;
    }
    const history = promises ? await monitor.history(10) : [];
    const data: DashboardData = {
      ...(promises !== undefined ? { promises, history } : {}),
      ...(message ? { message } : {}),
    };
    if (opens(roles, 'auditor')) {
      // The counts, and the open breach whose 72-hour clock runs out first (the dashboard said only
      // how many were open, not how long is left).
      const open = await services.incidents.list();
      const running = open
        .filter((i) => i.clock.state === 'running')
        .sort((a, b) => a.clock.deadlineAt.localeCompare(b.clock.deadlineAt));
      Object.assign(data, {
        incidents: {
          open: open.length,
          overdue: open.filter((i) => i.clock.state === 'overdue').length,
          ...(running[0] ? { next: running[0] } : {}),
        },
      });
    }
    if (roles.some((r) => INCIDENT_READERS.includes(r))) {
      // The roles of the incident page: the state notices due within the reminder's days, or overdue.
      const withinDays = ctx.config.breachReminderDays;
      const rows = (await services.incidentStates.openDeadlines()).filter(
        (d) => stageOf(d, withinDays) !== null,
      );
      Object.assign(data, { stateNotices: { withinDays, rows } });
    }
    if (opens(roles, 'customer_service')) {
      const [all, complaints] = await Promise.all([
        services.rights.queue({ includeClosed: true }),
        services.complaints.list(),
      ]);
      Object.assign(data, {
        requests: all.filter((r) => r.status !== 'completed' && r.status !== 'denied'),
        allRequests: all,
        today: isoDay(ctx.clock.now()),
        complaintsOpen: complaints.filter((c) => c.status === 'open').length,
      });
    }
    return sendHtml(reply, renderDashboard(frame, data));
  }

  app.get(
    '/staff',
    {
      config: { access: 'staff:any' },
      schema: { hide: true, querystring: z.strictObject({ checked: z.literal('1').optional() }) },
    },
    async (req, reply) => {
      const message = req.query.checked
        ? { ok: true, text: 'The promises were checked just now.' }
        : undefined;
      return dashboard(req, reply, message);
    },
  );

  app.post(
    '/staff/promises/check',
    {
      config: { access: 'staff:auditor' },
      schema: { hide: true, body: z.strictObject({ ...csrfBodyField }).nullish() },
    },
    async (_req, reply) => {
      // A full sweep, off the request path (a worker thread); gauges and alerts follow.
      await services.promises.checks.run('full');
      return reply.redirect('/staff?checked=1', 303);
    },
  );
};
