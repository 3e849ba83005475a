// Staff: log in (console cookie or API bearer token), first-login password change, TOTP, staff
// accounts and API keys (admin), and the audit trail (auditor).

import type { FastifyRequest } from 'fastify';
import { z } from 'zod';
import { statusOf } from '../../app/error-registry.js';
import { SESSION_COOKIE, SESSION_TTL_MS, STAFF_ROLES } from '../../modules/identity/index.js';
import { isVowError, VowError } from '../../platform/errors.js';
import { csrfToken, formCsrfToken } from '../access.js';
import { renderStaffLoginPage, renderStaffPasswordPage } from '../console/login.js';
import { isForm, sendHtml, sessionCookieOptions, staffOf as staff } from '../route-helpers.js';
import type { RouteModule } from '../route-module.js';

const username = z.string().trim().toLowerCase().min(2).max(64);
const password = z.string().min(1).max(256);
const totp = z
  .string()
  .regex(/^\d{6}$/)
  .optional()
  .or(z.literal('').transform(() => undefined));
const csrfField = { _csrf: z.string().max(128).optional() };
const role = z.enum(STAFF_ROLES);

const auditRow = z.object({
  seq: z.number(),
  at: z.string(),
  actor: z.object({ type: z.string(), id: z.string().nullable() }),
  action: z.string(),
  target: z.object({ type: z.string(), id: z.string() }).nullable(),
  reason: z.string().nullable(),
  details: z.record(z.string(), z.unknown()),
  hash: z.string(),
});

export const staffRoutes: RouteModule = (app, ctx, services) => {
  const { staff: staffService, apiKeys } = services.identity;

  app.get('/staff/login', { config: { access: 'public' }, schema: { hide: true } }, async (req, reply) =>
    sendHtml(reply, renderStaffLoginPage(ctx.policy, formCsrfToken(req, reply)!)),
  );

  app.post(
    '/staff/login',
    {
      config: { access: 'public', csrf: 'form', limit: 'login' },
      schema: {
        tags: ['staff'],
        summary: 'Staff console log-in (sets the staff session cookie)',
        body: z.strictObject({ username, password, totp, ...csrfField }),
        response: { 200: z.object({ staffId: z.string(), mustChangePassword: z.boolean() }) },
      },
    },
    async (req, reply) => {
      try {
        const out = await staffService.login(req.body, 'cookie');
        void reply.setCookie(SESSION_COOKIE.staff, out.token, {
          ...sessionCookieOptions(ctx, SESSION_TTL_MS.staff),
          sameSite: 'strict',
        });
        if (isForm(req)) return reply.redirect(out.mustChangePassword ? '/staff/password' : '/staff', 303);
        return { staffId: out.staffId, mustChangePassword: out.mustChangePassword };
      } catch (err) {
        if (isForm(req) && isVowError(err) && statusOf(err.code) < 500) {
          const page = renderStaffLoginPage(
            ctx.policy,
            formCsrfToken(req, reply)!,
            err.message,
            err.code === 'VOW_TOTP_REQUIRED',
          );
          return sendHtml(reply, page, statusOf(err.code));
        }
        throw err;
      }
    },
  );

  app.post(
    '/v1/staff/tokens',
    {
      config: { access: 'public', limit: 'login' },
      schema: {
        tags: ['staff'],
        summary: 'A bearer token for staff API use (12 hours); send it as Authorization: Bearer vow_st_…',
        body: z.strictObject({ username, password, totp }),
        response: {
          201: z.object({
            token: z.string(),
            staffId: z.string(),
            mustChangePassword: z.boolean(),
            expiresInSeconds: z.number(),
          }),
        },
      },
    },
    async (req, reply) => {
      const out = await staffService.login(req.body, 'bearer');
      return reply.code(201).send({
        token: out.token,
        staffId: out.staffId,
        mustChangePassword: out.mustChangePassword,
        expiresInSeconds: SESSION_TTL_MS.staff / 1000,
      });
    },
  );

  app.post(
    '/staff/logout',
    {
      config: { access: 'staff:any', allowPendingPassword: true },
      schema: {
        tags: ['staff'],
        summary: 'End this staff session',
        body: z.strictObject({ ...csrfField }).nullish(),
      },
    },
    async (req, reply) => {
      const me = staff(req);
      if (me.sessionId) await staffService.logout(me.sessionId, me.id);
      void reply.clearCookie(SESSION_COOKIE.staff, { path: '/' });
      if (isForm(req)) return reply.redirect('/staff/login', 303);
      return { status: 'logged-out' };
    },
  );

  // GET /staff (the console's dashboard) lives in ./console.ts.

  app.get(
    '/v1/staff/me',
    {
      config: { access: 'staff:any', allowPendingPassword: true },
      schema: {
        tags: ['staff'],
        summary: 'Who the staff caller is',
        response: {
          200: z.object({ staffId: z.string(), roles: z.array(z.string()), mustChangePassword: z.boolean() }),
        },
      },
    },
    async (req) => {
      const p = req.principal;
      if (p?.kind === 'staff')
        return { staffId: p.staffId, roles: [...p.roles], mustChangePassword: p.mustChangePassword };
      return { staffId: 'test-principal', roles: [...STAFF_ROLES], mustChangePassword: false };
    },
  );

  app.get(
    '/staff/password',
    { config: { access: 'staff:any', allowPendingPassword: true }, schema: { hide: true } },
    async (req, reply) => sendHtml(reply, renderStaffPasswordPage(ctx.policy, csrfToken(req, reply) ?? '')),
  );

  const changePassword = async (req: FastifyRequest, body: { current: string; password: string }) => {
    const me = staff(req);
    await staffService.changePassword(me.id, body.current, body.password, me.sessionId);
  };
  app.post(
    '/staff/password',
    {
      config: { access: 'staff:any', allowPendingPassword: true },
      schema: { hide: true, body: z.strictObject({ current: password, password, ...csrfField }) },
    },
    async (req, reply) => {
      try {
        await changePassword(req, req.body);
        return reply.redirect('/staff', 303);
      } catch (err) {
        if (isVowError(err) && statusOf(err.code) < 500)
          return sendHtml(
            reply,
            renderStaffPasswordPage(ctx.policy, csrfToken(req, reply) ?? '', err.message),
            statusOf(err.code),
          );
        throw err;
      }
    },
  );
  app.post(
    '/v1/staff/password',
    {
      config: { access: 'staff:any', allowPendingPassword: true },
      schema: {
        tags: ['staff'],
        summary: 'Change the own password (required after the first log-in); other sessions end',
        body: z.strictObject({ current: password, password, ...csrfField }),
        response: { 200: z.object({ status: z.string() }) },
      },
    },
    async (req) => {
      await changePassword(req, req.body);
      return { status: 'password-changed' };
    },
  );

  app.post(
    '/v1/staff/totp/setup',
    {
      config: { access: 'staff:any' },
      schema: {
        tags: ['staff'],
        summary: 'A new TOTP secret to add to an authenticator app (nothing changes until confirmed)',
        response: { 200: z.object({ secret: z.string(), uri: z.string() }) },
      },
    },
    async (req) => staffService.newTotpSecret(staff(req).id),
  );

  app.post(
    '/v1/staff/totp',
    {
      config: { access: 'staff:any' },
      schema: {
        tags: ['staff'],
        summary: 'Turn on the second factor by proving the app shows the right code',
        body: z.strictObject({ secret: z.string().max(64), code: z.string().regex(/^\d{6}$/), ...csrfField }),
        response: { 200: z.object({ status: z.string() }) },
      },
    },
    async (req) => {
      await staffService.confirmTotp(staff(req).id, req.body.secret, req.body.code);
      return { status: 'totp-enabled' };
    },
  );

  // Staff accounts and API keys: admin only.
  app.get(
    '/v1/staff/accounts',
    {
      config: { access: 'staff:admin' },
      schema: {
        tags: ['staff'],
        summary: 'Staff accounts',
        response: {
          200: z.object({
            accounts: z.array(
              z.object({
                id: z.string(),
                username: z.string(),
                roles: z.array(z.string()),
                disabled: z.boolean(),
                mustChangePassword: z.boolean(),
                totp: z.boolean(),
                createdAt: z.string(),
              }),
            ),
          }),
        },
      },
    },
    async () => ({ accounts: await staffService.list() }),
  );

  app.post(
    '/v1/staff/accounts',
    {
      config: { access: 'staff:admin' },
      schema: {
        tags: ['staff'],
        summary: 'Add a staff member; answers their one-time password (to be changed at first log-in)',
        body: z.strictObject({ username, roles: z.array(role).min(1).max(5), ...csrfField }),
        response: { 201: z.object({ id: z.string(), username: z.string(), oneTimePassword: z.string() }) },
      },
    },
    async (req, reply) => {
      const out = await staffService.add(req.body.username, req.body.roles, staff(req).id);
      return reply.code(201).send({ id: out.id, username: req.body.username, oneTimePassword: out.password });
    },
  );

  app.put(
    '/v1/staff/accounts/:username/roles',
    {
      config: { access: 'staff:admin' },
      schema: {
        tags: ['staff'],
        summary: "Replace a staff member's roles",
        params: z.object({ username }),
        body: z.strictObject({ roles: z.array(role).min(1).max(5), ...csrfField }),
        response: { 200: z.object({ status: z.string() }) },
      },
    },
    async (req) => {
      await staffService.setRoles(req.params.username, req.body.roles, staff(req).id);
      return { status: 'roles-set' };
    },
  );

  app.post(
    '/v1/staff/accounts/:username/disable',
    {
      config: { access: 'staff:admin' },
      schema: {
        tags: ['staff'],
        summary: 'Disable a staff account (its sessions end)',
        params: z.object({ username }),
        body: z.strictObject({ ...csrfField }).nullish(),
        response: { 200: z.object({ status: z.string() }) },
      },
    },
    async (req) => {
      await staffService.setDisabled(req.params.username, true, staff(req).id);
      return { status: 'disabled' };
    },
  );

  app.get(
    '/v1/staff/api-keys',
    {
      config: { access: 'staff:admin' },
      schema: {
        tags: ['staff'],
        summary: 'API keys of the shop backend (ids and names only)',
        response: {
          200: z.object({
            keys: z.array(
              z.object({
                id: z.string(),
                name: z.string(),
                createdAt: z.string(),
                revokedAt: z.string().nullable(),
              }),
            ),
          }),
        },
      },
    },
    async () => ({ keys: await apiKeys.list() }),
  );

  app.post(
    '/v1/staff/api-keys',
    {
      config: { access: 'staff:admin' },
      schema: {
        tags: ['staff'],
        summary: 'Create an API key for the shop backend; the key is shown only in this answer',
        body: z.strictObject({ name: z.string().trim().min(1).max(100), ...csrfField }),
        response: { 201: z.object({ id: z.string(), key: z.string() }) },
      },
    },
    async (req, reply) => reply.code(201).send(await apiKeys.create(req.body.name, staff(req).id)),
  );

  app.delete(
    '/v1/staff/api-keys/:id',
    {
      config: { access: 'staff:admin' },
      schema: {
        tags: ['staff'],
        summary: 'Revoke an API key',
        params: z.object({ id: z.string().max(32) }),
        response: { 200: z.object({ status: z.string() }) },
      },
    },
    async (req) => {
      if (!(await apiKeys.revoke(req.params.id, staff(req).id)))
        throw new VowError('VOW_NOT_FOUND', 'No such active API key');
      return { status: 'revoked' };
    },
  );

  // The audit trail: auditors (and the privacy officer).
  app.get(
    '/v1/audit',
    {
      config: { access: 'staff:auditor' },
      schema: {
        tags: ['audit'],
        summary: 'The audit trail, oldest first, paginated by sequence number',
        querystring: z.strictObject({
          after: z.coerce.number().int().min(0).default(0),
          limit: z.coerce.number().int().min(1).max(500).default(100),
          targetType: z.string().max(64).optional(),
          targetId: z.string().max(128).optional(),
        }),
        response: { 200: z.object({ entries: z.array(auditRow), next: z.number().nullable() }) },
      },
    },
    async (req) => {
      const q = req.query;
      const rows = await ctx.audit.list({
        afterSeq: q.after,
        limit: q.limit + 1,
        ...(q.targetType ? { targetType: q.targetType } : {}),
        ...(q.targetId ? { targetId: q.targetId } : {}),
      });
      const page = rows.slice(0, q.limit);
      await ctx.audit.record({
        actor:
          req.principal?.kind === 'staff' ? { type: 'staff', id: req.principal.staffId } : { type: 'system' },
        action: 'audit.read',
        details: { after: q.after, count: page.length },
      });
      return {
        entries: page.map((r) => ({
          seq: Number(r.seq),
          at: r.at,
          actor: { type: r.actor_type, id: r.actor_id },
          action: r.action,
          target: r.target_type && r.target_id ? { type: r.target_type, id: r.target_id } : null,
          reason: r.reason,
          details: JSON.parse(r.details) as Record<string, unknown>,
          hash: r.hash,
        })),
        next: rows.length > q.limit ? Number(page[page.length - 1]!.seq) : null,
      };
    },
  );

  app.get(
    '/v1/audit/verify',
    {
      config: { access: 'staff:auditor' },
      schema: {
        tags: ['audit'],
        summary: 'Recompute the hash chain and check the anchors; names the first broken link',
        response: {
          200: z.object({
            ok: z.boolean(),
            entries: z.number(),
            head: z.string().optional(),
            brokenAt: z.number().optional(),
            problem: z.string().optional(),
            anchors: z.number(),
          }),
        },
      },
    },
    async () => ctx.audit.verify(),
  );
};
