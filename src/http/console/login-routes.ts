// The staff console's way in: the log-in page (which also answers JSON, for scripts and tests),
// log-out, the password page a staff member must pass after the first log-in, and the session's
// idle limit as the console's script sees it (how long is left; "Stay signed in"). A single sign-on
// session waiting for its silent re-authentication is sent on to the provider by the log-in page.
// An open console tab asks whether its session still stands (GET /staff/session/state): one that was
// ended elsewhere (a log-out, the provider's back-channel log-out or refused refresh) goes to the log-in.

import type { FastifyReply } from 'fastify';
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
import { silentReauth } from './sso-start.js';

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

/** The token of a console address kept with its query (identity/kept-addresses.ts), carried likewise. */
const back = draft;
/** The console page to return to after the log-in (a path; checked again by consoleReturnPath). */
const next = line().max(300).optional();
/** What the log-in page carries on to the page after it (and the password page, when one comes first). */
const carried = { draft, back, next };

/** Whether a console tab's session still stands (console-idle.js polls it): a word, nothing personal. */
const sessionState = z.object({ session: z.enum(['live', 'lapsed', 'ended']) });

/** What the console's script is told of its session: milliseconds left, so no two clocks are compared. */
const sessionTimes = z.object({
  idleLimitMs: z.number(),
  idleEndsInMs: z.number(),
  endsInMs: z.number(),
});

export const loginConsoleRoutes: RouteModule = (app, ctx, services) => {
  const { staff: staffService, sessions, drafts, addresses, sso } = services.identity;
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
  const silent = silentReauth(ctx, services);

  app.get(
    '/staff/login',
    { config: { access: 'public' }, schema: { hide: true, querystring: z.object({ next }) } },
    async (req, reply) => {
      const to = consoleReturnPath(req.query.next);
      // A single sign-on session whose check is due and that has no refresh token: the provider
      // re-authenticates it silently (prompt=none) and the browser comes back to `to`.
      const due = await silent.due(req);
      if (due && (await silent.go(reply, due.sessionId, { next: to }))) return reply;
      return sendHtml(
        reply,
        renderStaffLoginPage(loginFrame(), ways, undefined, false, undefined, { next: to }),
      );
    },
  );

  app.post(
    '/staff/login',
    {
      config: { access: 'public', csrf: 'form', limit: 'login' },
      schema: {
        tags: ['staff'],
        summary: 'Staff console log-in (sets the staff session cookie)',
        body: z.strictObject({ username, password, totp, ...carried, ...csrfBodyField }),
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
        if (!isForm(req)) return { staffId: out.staffId, mustChangePassword: out.mustChangePassword };
        const signedIn = { policy: ctx.policy, roles: [], csrf: csrfTokenFor(out.token) };
        const { draft: kept, back: address, next: to } = req.body;
        if (out.mustChangePassword)
          // The password first; what the log-in carried goes on through it (never in an address).
          return kept || address || to
            ? sendHtml(
                reply,
                renderStaffPasswordPage(signedIn, undefined, {
                  draft: kept,
                  back: address,
                  next: consoleReturnPath(to),
                }),
              )
            : reply.redirect('/staff/password', 303);
        return wayBack(reply, signedIn, out.staffId, req.body);
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
              back: req.body.back,
              ssoCsrf: req.body.draft || req.body.back ? formToken(ctx, '/staff/sso') : undefined,
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
      const { id, sessionId } = staffOf(req);
      // A single sign-on session's refresh token is revoked at the provider too, once it has ended here.
      const endHere = async () => (sessionId ? staffService.logout(sessionId, id) : undefined);
      await (sessionId && sso ? sso.revocation.logOut(sessionId, endHere) : endHere());
      void reply.clearCookie(cookieName, endedCookieOptions(ctx));
      if (isForm(req)) return reply.redirect('/staff/login', 303);
      return { status: 'logged-out' };
    },
  );

  /**
   * Where a log-in (or the password page after it) goes: the form kept when the session lapsed,
   * shown back to its owner only; else the address kept with its query, to its owner only; else the
   * page's path; else the dashboard. Kept ones are taken (deleted) either way.
   */
  const wayBack = async (
    reply: FastifyReply,
    signedIn: ConsoleFrame,
    staffId: string,
    { draft: kept, back: address, next: to }: { draft?: string; back?: string; next?: string },
  ) => {
    const form = kept ? await drafts.take(kept, staffId) : undefined;
    if (form && isConsoleTarget(form.target)) return sendHtml(reply, renderKeptFormPage(signedIn, form));
    const whole = address ? await addresses.take(address, staffId) : undefined;
    return reply.redirect(whole ?? consoleReturnPath(to) ?? '/staff', 303);
  };

  app.get(
    '/staff/password',
    { config: { access: 'staff:any', allowPendingPassword: true }, schema: { hide: true } },
    async (req, reply) => sendHtml(reply, renderStaffPasswordPage(consoleFrame(ctx, req))),
  );

  app.post(
    '/staff/password',
    {
      config: { access: 'staff:any', allowPendingPassword: true },
      schema: {
        hide: true,
        body: z.strictObject({ current: password, password, ...carried, ...csrfBodyField }),
      },
    },
    async (req, reply) => {
      const me = staffOf(req);
      const { draft: kept, back: address, next: to } = req.body;
      try {
        await staffService.changePassword(me.id, req.body.current, req.body.password, me.sessionId, req.ip);
        return wayBack(reply, consoleFrame(ctx, req), me.id, req.body);
      } catch (err) {
        const { error, status } = refusalOf(err);
        const page = renderStaffPasswordPage(consoleFrame(ctx, req), error.message, {
          draft: kept,
          back: address,
          next: consoleReturnPath(to),
        });
        return sendHtml(reply, page, status);
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

  /**
   * Whether the caller's console session stands (`live`), lapsed (idle or past its 12 hours: the
   * console's own warning says so, and keeps what was typed) or ended (logged out, ended by the
   * provider or an administrator, or no session at all). Nothing else: no name, no time, no id.
   * Public, so a session gone still gets an answer; asking does not count as the session's use.
   */
  app.get(
    '/staff/session/state',
    {
      config: { access: 'public', sessionUse: 'ask' },
      schema: { hide: true, response: { 200: sessionState } },
    },
    async (req, reply) => {
      void reply.header('cache-control', 'no-store');
      if (req.principal?.kind === 'staff') return { session: 'live' as const };
      const token = req.cookies[cookieName];
      const lapsed = token ? await sessions.lapsedStaffOwner(token) : undefined;
      return { session: lapsed ? ('lapsed' as const) : ('ended' as const) };
    },
  );

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
      // `ask`: a single sign-on session waiting for its silent re-authentication may be kept too
      // (it serves nothing until then); the use is written below, by extend.
      config: { access: 'staff:any', allowPendingPassword: true, sessionUse: 'ask' },
      schema: {
        hide: true,
        body: z.strictObject({ ...csrfBodyField }).nullish(),
        response: { 200: sessionTimes },
      },
    },
    async (req, reply) => {
      // "Stay signed in": this writes the session's use now, whatever the minute.
      const me = staffOf(req);
      if (me.sessionId) await sessions.extend(me.sessionId);
      void reply.header('cache-control', 'no-store');
      return timesOf(me.sessionId);
    },
  );
};
