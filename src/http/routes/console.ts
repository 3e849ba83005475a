// The staff console's pages: the dashboard (promises, deadlines), person look-up by email or phone
// (POST only: no personal value or subject id in any URL), suppression, audiences, the audit trail
// with chain verification, and staff accounts. Requests, complaints, experiments and reports have
// their own pages (rights, analytics) which the console's navigation links to.

import { readFile } from 'node:fs/promises';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { z } from 'zod';
import { statusOf } from '../../app/error-registry.js';
import { audienceTarget } from '../../modules/consent/index.js';
import { STAFF_ROLES } from '../../modules/identity/index.js';
import { setPromiseGauges, TEST_ONLY } from '../../modules/promises/index.js';
import { isoDay, JURISDICTIONS, REQUEST_TYPES } from '../../modules/rights/index.js';
import { isVowError, VowError } from '../../platform/errors.js';
import { csrfToken } from '../access.js';
import { renderAccounts } from '../console/accounts.js';
import { type AudienceLink, renderAudiences } from '../console/audiences.js';
import { renderAudit } from '../console/audit.js';
import { type DashboardData, renderDashboard } from '../console/dashboard.js';
import { type LogRequestValues, renderLogRequest } from '../console/log-request.js';
import { type PersonView, renderPeopleSearch, renderPerson } from '../console/people.js';
import { opens } from '../console/shell.js';
import { staffRolesOf as rolesOf, sendHtml, staffIdOf } from '../route-helpers.js';
import type { RouteModule } from '../route-module.js';

const CSS = new URL('../../web/assets/console.css', import.meta.url);
const AUDIT_PAGE = 50;

const csrfField = { _csrf: z.string().max(128).optional() };
const blankable = (max: number) =>
  z
    .string()
    .trim()
    .max(max)
    .optional()
    .transform((v) => (v ? v : undefined));

export const consoleRoutes: RouteModule = (app, ctx, services) => {
  const monitor = services.promises.monitor;
  const actor = (req: FastifyRequest) => ({ type: 'staff' as const, id: staffIdOf(req) });

  app.get(
    '/assets/console.css',
    { config: { access: 'public' }, schema: { hide: true } },
    async (_req, reply) =>
      reply
        .type('text/css; charset=utf-8')
        .header('cache-control', 'public, max-age=3600')
        .send(await readFile(CSS)),
  );

  // ------------------------------------------------------------------ Dashboard
  /** The last ten runs of the promise checks (the job keeps every run), with the promises broken then. */
  async function promiseHistory(): Promise<{ checkedAt: string; broken: string[] }[]> {
    const runs = await ctx.store.db
      .selectFrom('promise_checks')
      .select(['run_id', 'checked_at'])
      .distinct()
      .orderBy('checked_at', 'desc')
      .orderBy('run_id')
      .limit(10)
      .execute();
    if (runs.length === 0) return [];
    const broken = await ctx.store.db
      .selectFrom('promise_checks')
      .select(['run_id', 'promise'])
      .where(
        'run_id',
        'in',
        runs.map((r) => r.run_id),
      )
      .where('status', '=', 'broken')
      .execute();
    return runs.map((r) => ({
      checkedAt: r.checked_at,
      broken: broken
        .filter((b) => b.run_id === r.run_id)
        .map((b) => b.promise)
        .sort((a, b) => Number(a.slice(1)) - Number(b.slice(1))),
    }));
  }

  async function dashboard(req: FastifyRequest, reply: FastifyReply, message?: DashboardData['message']) {
    const roles = rolesOf(req);
    let promises: DashboardData['promises'];
    if (opens(roles, 'auditor')) {
      const latest = await monitor.latest();
      promises = latest
        ? {
            checkedAt: latest.checkedAt,
            rows: latest.results.map((r) => ({
              ...r,
              title: ctx.policy.doc.promises[r.promise]?.title ?? r.promise,
              provenBy: TEST_ONLY[r.promise] ?? [],
            })),
          }
        : null;
    }
    const history = promises ? await promiseHistory() : [];
    const data: DashboardData = {
      roles,
      csrf: csrfToken(req, reply) ?? '',
      ...(promises !== undefined ? { promises, history } : {}),
      ...(message ? { message } : {}),
    };
    if (opens(roles, 'customer_service')) {
      const [requests, complaints] = await Promise.all([services.rights.queue(), services.complaints.list()]);
      Object.assign(data, { requests, complaintsOpen: complaints.filter((c) => c.status === 'open').length });
    }
    return sendHtml(reply, renderDashboard(ctx.policy, data));
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
      schema: { hide: true, body: z.strictObject({ ...csrfField }).nullish() },
    },
    async (_req, reply) => {
      setPromiseGauges(services.metrics, await monitor.check());
      return reply.redirect('/staff?checked=1', 303);
    },
  );

  // ------------------------------------------------------------------ People
  async function person(subjectId: string): Promise<PersonView> {
    const s = services;
    const [identifiers, kinds, states, history, disclosures, requests, restrictions, row] = await Promise.all(
      [
        s.subjects.identifiers(subjectId),
        s.subjects.kinds(subjectId),
        s.consent.states(subjectId),
        s.consent.history(subjectId),
        s.disclosures.forSubject(subjectId),
        s.rights.forSubject(subjectId),
        s.rights.restrictionsOf(subjectId),
        ctx.store.db.selectFrom('subjects').select('under13').where('id', '=', subjectId).executeTakeFirst(),
      ],
    );
    return {
      subjectId,
      under13: Number(row?.under13 ?? 0) === 1,
      kinds,
      identifiers,
      states,
      history,
      disclosures,
      requests,
      restrictions,
    };
  }

  app.get(
    '/staff/people',
    { config: { access: 'staff:customer_service' }, schema: { hide: true } },
    async (req, reply) =>
      sendHtml(reply, renderPeopleSearch(ctx.policy, rolesOf(req), csrfToken(req, reply) ?? '')),
  );

  app.post(
    '/staff/people',
    {
      config: { access: 'staff:customer_service' },
      schema: {
        hide: true,
        body: z.strictObject({ ...csrfField, email: blankable(254), phone: blankable(40) }),
      },
    },
    async (req, reply) => {
      const roles = rolesOf(req);
      const csrf = csrfToken(req, reply) ?? '';
      const { email, phone } = req.body;
      if (!email && !phone)
        return sendHtml(
          reply,
          renderPeopleSearch(ctx.policy, roles, csrf, {
            ok: false,
            text: 'Type an email address or a phone number.',
          }),
          400,
        );
      const by = email ? 'email' : 'phone';
      const subjectId = email
        ? await services.subjects.findByEmail(email)
        : await services.subjects.findByPhone(phone!).catch(() => undefined);
      if (!subjectId) {
        await ctx.audit.record({ actor: actor(req), action: 'person.lookup_no_match', details: { by } });
        return sendHtml(
          reply,
          renderPeopleSearch(ctx.policy, roles, csrf, {
            ok: false,
            text: `No one is known by that ${by === 'email' ? 'email address' : 'phone number'}.`,
          }),
          404,
        );
      }
      const view = await person(subjectId);
      await ctx.audit.record({
        actor: actor(req),
        action: 'person.viewed',
        target: { type: 'subject', id: subjectId },
        details: { by },
      });
      return sendHtml(reply, renderPerson(ctx.policy, roles, csrf, view));
    },
  );

  app.post(
    '/staff/people/suppress',
    {
      config: { access: 'staff:customer_service' },
      schema: {
        hide: true,
        body: z.strictObject({
          ...csrfField,
          subjectId: z.string().min(1).max(64),
          channel: z.string().min(1).max(64),
          reason: z.string().trim().min(1).max(500),
        }),
      },
    },
    async (req, reply) => {
      const roles = rolesOf(req);
      const csrf = csrfToken(req, reply) ?? '';
      const { subjectId, channel, reason } = req.body;
      if (!(await services.subjects.exists(subjectId)))
        throw new VowError('VOW_UNKNOWN_SUBJECT', 'No subject with this id is known');
      let message: { ok: boolean; text: string };
      let status = 200;
      if (/@|\d[\d ().-]{6,}\d/.test(reason)) {
        message = {
          ok: false,
          text: 'Not done: the reason goes to the audit trail, so it may not hold an email address or phone number.',
        };
        status = 400;
      } else {
        try {
          const r = await services.consent.suppress(undefined, {
            subjectId,
            channel,
            staffId: staffIdOf(req),
            reason,
          });
          message = {
            ok: true,
            text: r.alreadySuppressed
              ? `Already suppressed from ${channel}.`
              : `Suppressed from ${channel}: only the person's own explicit ask on a form brings them back.`,
          };
        } catch (err) {
          if (!isVowError(err) || statusOf(err.code) >= 500) throw err;
          message = { ok: false, text: `Not done: ${err.message}` };
          status = statusOf(err.code);
        }
      }
      const view = await person(subjectId);
      await ctx.audit.record({
        actor: actor(req),
        action: 'person.viewed',
        target: { type: 'subject', id: subjectId },
        details: { by: 'suppression_form' },
      });
      return sendHtml(reply, renderPerson(ctx.policy, roles, csrf, view, message), status);
    },
  );

  // ------------------------------------------------------------------ Logging a request (P24)
  app.get(
    '/staff/log-request',
    { config: { access: 'staff:customer_service' }, schema: { hide: true } },
    async (req, reply) =>
      sendHtml(
        reply,
        renderLogRequest(ctx.policy, rolesOf(req), csrfToken(req, reply) ?? '', isoDay(ctx.clock.now())),
      ),
  );

  app.post(
    '/staff/log-request',
    {
      config: { access: 'staff:customer_service' },
      schema: {
        hide: true,
        body: z.strictObject({
          ...csrfField,
          type: z.enum(REQUEST_TYPES),
          jurisdiction: z.enum(JURISDICTIONS),
          channel: z.enum(['email', 'postal']),
          receivedOn: z.string().regex(/^\d{4}-\d{2}-\d{2}$/, 'YYYY-MM-DD'),
          email: blankable(254),
          name: blankable(200),
          details: blankable(2000),
          correctionCategory: blankable(128),
          correctionValue: blankable(1000),
        }),
      },
    },
    async (req, reply) => {
      const b = req.body;
      try {
        if (b.email && !z.email().safeParse(b.email).success)
          throw new VowError('VOW_VALIDATION', 'The email address does not look right');
        const correction =
          b.type === 'correction' && b.correctionCategory && b.correctionValue
            ? { category: b.correctionCategory, value: b.correctionValue }
            : undefined;
        const r = await services.rights.submit(
          {
            type: b.type,
            jurisdiction: b.jurisdiction,
            email: b.email,
            name: b.name,
            details: b.details,
            correction,
          },
          { channel: b.channel, receivedOn: b.receivedOn, staffId: staffIdOf(req) },
        );
        return reply.redirect(`/staff/requests/${r.requestId}`, 303);
      } catch (err) {
        if (!isVowError(err) || statusOf(err.code) >= 500) throw err;
        const { _csrf, ...values } = b;
        return sendHtml(
          reply,
          renderLogRequest(
            ctx.policy,
            rolesOf(req),
            csrfToken(req, reply) ?? '',
            isoDay(ctx.clock.now()),
            values as LogRequestValues,
            { ok: false, text: `Not logged: ${err.message}` },
          ),
          statusOf(err.code),
        );
      }
    },
  );

  // ------------------------------------------------------------------ Audiences
  app.get(
    '/staff/audiences',
    { config: { access: 'staff:marketing' }, schema: { hide: true } },
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
      return sendHtml(reply, renderAudiences(ctx.policy, rolesOf(req), links));
    },
  );

  // ------------------------------------------------------------------ Audit trail
  async function auditPage(
    req: FastifyRequest,
    reply: FastifyReply,
    after: number | undefined,
    verified?: Awaited<ReturnType<typeof ctx.audit.verify>>,
  ) {
    const headRow = await ctx.store.db
      .selectFrom('audit_head')
      .select('seq')
      .where('id', '=', 1)
      .executeTakeFirst();
    const head = Number(headRow?.seq ?? 0);
    const from = Math.min(after ?? Math.max(0, head - AUDIT_PAGE), head);
    const rows = await ctx.audit.list({ afterSeq: from, limit: AUDIT_PAGE });
    await ctx.audit.record({
      actor: actor(req),
      action: 'audit.read',
      details: { after: from, count: rows.length },
    });
    return sendHtml(
      reply,
      renderAudit(ctx.policy, {
        roles: rolesOf(req),
        csrf: csrfToken(req, reply) ?? '',
        rows,
        head,
        after: from,
        pageSize: AUDIT_PAGE,
        ...(verified ? { verified } : {}),
      }),
    );
  }

  app.get(
    '/staff/audit',
    {
      config: { access: 'staff:auditor' },
      schema: {
        hide: true,
        querystring: z.strictObject({ after: z.coerce.number().int().min(0).optional() }),
      },
    },
    async (req, reply) => auditPage(req, reply, req.query.after),
  );

  app.post(
    '/staff/audit/verify',
    {
      config: { access: 'staff:auditor' },
      schema: { hide: true, body: z.strictObject({ ...csrfField }).nullish() },
    },
    async (req, reply) => {
      const result = await ctx.audit.verify();
      await ctx.audit.record({
        actor: actor(req),
        action: 'audit.verified',
        details: {
          ok: result.ok,
          entries: result.entries,
          ...(result.ok ? {} : { brokenAt: result.brokenAt }),
        },
      });
      return auditPage(req, reply, undefined, result);
    },
  );

  // ------------------------------------------------------------------ Staff accounts
  const { staff: staffService } = services.identity;
  app.get(
    '/staff/accounts',
    { config: { access: 'staff:admin' }, schema: { hide: true } },
    async (req, reply) =>
      sendHtml(
        reply,
        renderAccounts(ctx.policy, rolesOf(req), csrfToken(req, reply) ?? '', await staffService.list()),
      ),
  );

  app.post(
    '/staff/accounts',
    {
      config: { access: 'staff:admin' },
      schema: {
        hide: true,
        body: z.strictObject({
          ...csrfField,
          username: z.string().trim().toLowerCase().min(2).max(64),
          roles: z
            .union([z.enum(STAFF_ROLES), z.array(z.enum(STAFF_ROLES)).max(5)])
            .optional()
            .transform((r) => (r === undefined ? [] : Array.isArray(r) ? r : [r])),
        }),
      },
    },
    async (req, reply) => {
      const roles = rolesOf(req);
      const csrf = csrfToken(req, reply) ?? '';
      const { username, roles: given } = req.body;
      try {
        if (given.length === 0) throw new VowError('VOW_VALIDATION', 'Choose at least one role');
        const out = await staffService.add(username, given, staffIdOf(req));
        return sendHtml(
          reply,
          renderAccounts(ctx.policy, roles, csrf, await staffService.list(), {
            username,
            password: out.password,
          }),
          201,
        );
      } catch (err) {
        if (!isVowError(err) || statusOf(err.code) >= 500) throw err;
        return sendHtml(
          reply,
          renderAccounts(ctx.policy, roles, csrf, await staffService.list(), undefined, {
            ok: false,
            text: `Not added: ${err.message}`,
          }),
          statusOf(err.code),
        );
      }
    },
  );

  app.post(
    '/staff/accounts/state',
    {
      config: { access: 'staff:admin' },
      schema: {
        hide: true,
        body: z.strictObject({
          ...csrfField,
          username: z.string().trim().toLowerCase().min(2).max(64),
          disabled: z.enum(['yes', 'no']),
        }),
      },
    },
    async (req, reply) => {
      const { username, disabled } = req.body;
      const me = staffIdOf(req);
      const accounts = await staffService.list();
      const target = accounts.find((a) => a.username === username);
      if (!target) throw new VowError('VOW_NOT_FOUND', 'No such staff account');
      let message: { ok: boolean; text: string };
      let status = 200;
      if (target.id === me && disabled === 'yes') {
        message = { ok: false, text: 'Not done: you cannot disable your own account.' };
        status = 409;
      } else {
        await staffService.setDisabled(username, disabled === 'yes', me);
        message = {
          ok: true,
          text:
            disabled === 'yes' ? `${username} is disabled; their sessions ended.` : `${username} is enabled.`,
        };
      }
      return sendHtml(
        reply,
        renderAccounts(
          ctx.policy,
          rolesOf(req),
          csrfToken(req, reply) ?? '',
          await staffService.list(),
          undefined,
          message,
        ),
        status,
      );
    },
  );
};
