// The staff console's way in: the log-in page (which also answers JSON, for scripts and tests),
// log-out, the password page a staff member must pass after the first log-in, and the session's
// idle limit as the console's script sees it (how long is left; "Stay signed in").

import { z } from 'zod';
import { consoleReturnPath, csrfTokenFor, SESSION_TTL_MS } from '../../modules/identity/index.js';
import { VowError } from '../../platform/errors.js';
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
import { loginWays, renderStaffLoginPage, renderStaffPasswordPage } from './login.js';
import type { ConsoleFrame } from './shell.js';
import { isConsoleTarget, renderKeptFormPage } from './sign-in-again.js';

const username = line().trim().toLowerCase().min(2).max(64);
const password = line().min(1).max(256);
const totp = line()
  .regex(/^\d{6}$/)
  .optional()
  .or(z.literal('').transform(() => undefined));
/** The token of a form kept when the session lapsed (sign-in-again.ts), carried by the log-in page. */
const draft = line()
  .regex(/^[A-Za-z0-9_-]{16}\.[A-Za-z0-9_-]{43}$/)
  .optional();

/** The console page to return to after the log-in (a path; checked again by consoleReturnPath). */
const next = line().max(300).optional();

/** What the console's script is told of its session: milliseconds left, so no two clocks are compared. */
const sessionTimes = z.object({
  idleLimitMs: z.number(),
  idleEndsInMs: z.number(),
  endsInMs: z.number(),
});

export const loginConsoleRoutes: RouteModule = (app, ctx, services) => {
  const { staff: staffService, sessions, drafts } = services.identity;
  const cookieName = services.identity.cookies.session.staff;
  /** The log-in page's frame: no menu before log-in, and the anonymous form's token. */
  const loginFrame = (): ConsoleFrame => ({
    policy: ctx.policy,
    roles: [],
    csrf: formToken(ctx, '/staff/login'),
  });
  /** Single sign-on when configured; the password form unless VOW_OIDC_ONLY is on. */
  const ways = loginWays(ctx.config);
  const idleMinutes = Math.round(ctx.config.staffIdleMs / 60_000);

  app.get(
    '/staff/login',
    { config: { access: 'public' }, schema: { hide: true, querystring: z.object({ next }) } },
    async (req, reply) =>
      sendHtml(
        reply,
        renderStaffLoginPage(loginFrame(), ways, undefined, false, undefined, {
          next: consoleReturnPath(req.query.next),
        }),
      ),
  );

  app.post(
    '/staff/login',
    {
      config: { access: 'public', csrf: 'form', limit: 'login' },
      schema: {
        tags: ['staff'],
        summary: 'Staff console log-in (sets the staff session cookie)',
        body: z.strictObject({ username, password, totp, draft, next, ...csrfBodyField }),
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
        if (isForm(req) && req.body.draft && !out.mustChangePassword) {
          // The form kept when the session lapsed: shown back to its owner only (taken either way).
          const kept = await drafts.take(req.body.draft, out.staffId);
          if (kept && isConsoleTarget(kept.target)) {
            const frame = { policy: ctx.policy, roles: [], csrf: csrfTokenFor(out.token) };
            return sendHtml(reply, renderKeptFormPage(frame, kept));
          }
        }
        if (isForm(req))
          return reply.redirect(
            out.mustChangePassword ? '/staff/password' : (consoleReturnPath(req.body.next) ?? '/staff'),
            303,
          );
        return { staffId: out.staffId, mustChangePassword: out.mustChangePassword };
      } catch (err) {
        return answerFormRefusal(req, reply, err, (message, error) =>
          renderStaffLoginPage(
            loginFrame(),
            ways,
            message,
            error.code === 'VOW_TOTP_REQUIRED',
            req.body.draft ? { draft: req.body.draft, idleMinutes } : undefined,
            {
              next: consoleReturnPath(req.body.next),
              ssoCsrf: req.body.draft ? formToken(ctx, '/staff/sso') : undefined,
            },
          ),
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

  /** The caller's session as it stands; asking does not count as its use (`sessionUse: 'ask'`). */
  const timesOf = async (sessionId: string | undefined) => {
    const times = sessionId ? await sessions.staffTimes(sessionId) : undefined;
    if (!times) throw new VowError('VOW_UNAUTHENTICATED', 'This session has ended');
    const now = ctx.clock.now().getTime();
    return {
      idleLimitMs: ctx.config.staffIdleMs,
      idleEndsInMs: Math.max(0, Date.parse(times.idleEndsAt) - now),
      endsInMs: Math.max(0, Date.parse(times.expiresAt) - now),
    };
  };

  app.get(
    '/staff/session',
    {
      config: { access: 'staff:any', allowPendingPassword: true, sessionUse: 'ask' },
      schema: { hide: true, response: { 200: sessionTimes } },
    },
    async (req, reply) => {
      void reply.header('cache-control', 'no-store');
      return timesOf(staffOf(req).sessionId);
    },
  );

  app.post(
    '/staff/session',
    {
      config: { access: 'staff:any', allowPendingPassword: true },
      schema: {
        hide: true,
        body: z.strictObject({ ...csrfBodyField }).nullish(),
        response: { 200: sessionTimes },
      },
    },
    async (req, reply) => {
      // "Stay signed in": the request itself counted as use; this writes it now, whatever the minute.
      const me = staffOf(req);
      if (me.sessionId) await sessions.extend(me.sessionId);
      void reply.header('cache-control', 'no-store');
      return timesOf(me.sessionId);
    },
  );
};
