// The staff console's way in: the log-in page (which also answers JSON, for scripts and tests),
// log-out, and the password page a staff member must pass after the first log-in.

import { z } from 'zod';
import { SESSION_TTL_MS } from '../../modules/identity/index.js';
import { line } from '../../platform/strings.js';
import { formToken } from '../access.js';
import {
  answerFormRefusal,
  consoleFrame,
  csrfBodyField,
  endedCookieOptions,
  isForm,
  refusalOf,
  sendHtml,
  sessionCookieOptions,
  staffOf,
} from '../route-helpers.js';
import type { RouteModule } from '../route-module.js';
import { renderStaffLoginPage, renderStaffPasswordPage } from './login.js';
import type { ConsoleFrame } from './shell.js';

const username = line().trim().toLowerCase().min(2).max(64);
const password = line().min(1).max(256);
const totp = line()
  .regex(/^\d{6}$/)
  .optional()
  .or(z.literal('').transform(() => undefined));

export const loginConsoleRoutes: RouteModule = (app, ctx, services) => {
  const { staff: staffService } = services.identity;
  const cookieName = services.identity.cookies.session.staff;
  /** The log-in page's frame: no menu before log-in, and the anonymous form's token. */
  const loginFrame = (): ConsoleFrame => ({
    policy: ctx.policy,
    roles: [],
    csrf: formToken(ctx, '/staff/login'),
  });
  /** Single sign-on when configured; the password form unless VOW_OIDC_ONLY is on. */
  const ways = { sso: ctx.config.oidc !== undefined, password: !ctx.config.oidc?.only };

  app.get('/staff/login', { config: { access: 'public' }, schema: { hide: true } }, async (_req, reply) =>
    sendHtml(reply, renderStaffLoginPage(loginFrame(), ways)),
  );

  app.post(
    '/staff/login',
    {
      config: { access: 'public', csrf: 'form', limit: 'login' },
      schema: {
        tags: ['staff'],
        summary: 'Staff console log-in (sets the staff session cookie)',
        body: z.strictObject({ username, password, totp, ...csrfBodyField }),
        response: { 200: z.object({ staffId: z.string(), mustChangePassword: z.boolean() }) },
      },
    },
    async (req, reply) => {
      try {
        const out = await staffService.login(req.body, 'cookie', req.ip);
        void reply.setCookie(cookieName, out.token, {
          ...sessionCookieOptions(ctx, SESSION_TTL_MS.staff),
          sameSite: 'strict',
        });
        if (isForm(req)) return reply.redirect(out.mustChangePassword ? '/staff/password' : '/staff', 303);
        return { staffId: out.staffId, mustChangePassword: out.mustChangePassword };
      } catch (err) {
        return answerFormRefusal(req, reply, err, (message, error) =>
          renderStaffLoginPage(loginFrame(), ways, message, error.code === 'VOW_TOTP_REQUIRED'),
        );
      }
    },
  );

  app.post(
    '/staff/logout',
    {
      config: { access: 'staff:any', allowPendingPassword: true },
      schema: {
        tags: ['staff'],
        summary: 'End this staff session',
        body: z.strictObject({ ...csrfBodyField }).nullish(),
      },
    },
    async (req, reply) => {
      const me = staffOf(req);
      if (me.sessionId) await staffService.logout(me.sessionId, me.id);
      void reply.clearCookie(cookieName, endedCookieOptions(ctx));
      if (isForm(req)) return reply.redirect('/staff/login', 303);
      return { status: 'logged-out' };
    },
  );

  app.get(
    '/staff/password',
    { config: { access: 'staff:any', allowPendingPassword: true }, schema: { hide: true } },
    async (req, reply) => sendHtml(reply, renderStaffPasswordPage(consoleFrame(ctx, req))),
  );

  app.post(
    '/staff/password',
    {
      config: { access: 'staff:any', allowPendingPassword: true },
      schema: { hide: true, body: z.strictObject({ current: password, password, ...csrfBodyField }) },
    },
    async (req, reply) => {
      const me = staffOf(req);
      try {
        await staffService.changePassword(me.id, req.body.current, req.body.password, me.sessionId, req.ip);
        return reply.redirect('/staff', 303);
      } catch (err) {
        const { error, status } = refusalOf(err);
        return sendHtml(reply, renderStaffPasswordPage(consoleFrame(ctx, req), error.message), status);
      }
    },
  );
};
