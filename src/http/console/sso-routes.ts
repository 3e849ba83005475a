// Staff single sign-on (OpenID Connect): /staff/sso sends the browser to the provider with a fresh
// authorization code + PKCE request, /staff/sso/callback completes it and starts a staff session
// exactly as the password log-in does. The flow's checks (state, nonce, PKCE verifier; random, no
// personal data) ride in a short-lived signed cookie, httpOnly and SameSite=Lax (the provider's
// redirect back is a cross-site top-level GET), scoped to /staff/sso; served over https it is
// `__Host-vow_sso` with Path=/, as that prefix requires. The work is the identity module's
// (src/modules/identity/oidc.ts). A sign-in started from the log-in page brings the staff member back
// where they were going (`next`, a console path; `back`, the token of a whole address kept with its
// query) and gives back a form kept when their session lapsed (tokens posted, never in an address):
// they ride in the flow's row, sealed (oidc.ts, SsoCarry). The provider's back-channel log-out posts
// its signed `logout_token` to /staff/sso/backchannel-logout (no cookie, no session; the work is
// identity/sso-logout.ts): 200 when it checked out, VOW_SSO_LOGOUT_REFUSED (400) when not. A silent
// re-authentication (sso-start.ts) comes back to the same callback: its session goes on with no new
// cookie, or, refused, has ended and the browser goes to the log-in page.

import { z } from 'zod';
import { consoleReturnPath, csrfTokenFor, SESSION_TTL_MS } from '../../modules/identity/index.js';
import { line } from '../../platform/strings.js';
import {
  csrfBodyField,
  endedCookieOptions,
  refusalOf,
  sendHtml,
  sessionCookieOptions,
} from '../route-helpers.js';
import type { RouteModule } from '../route-module.js';
import { renderSsoDonePage, renderSsoRefusedPage } from './login.js';
import type { ConsoleFrame } from './shell.js';
import { isConsoleTarget, renderKeptFormPage } from './sign-in-again.js';
import { ssoStart } from './sso-start.js';

const SSO_PATH = '/staff/sso';
const next = line().max(300).optional();
/** A kept form's token (form-drafts.ts), as the log-in page's single sign-on form posts it. */
const draft = line()
  .regex(/^[A-Za-z0-9_-]{16}\.[A-Za-z0-9_-]{43}$/)
  .optional();

export const ssoConsoleRoutes: RouteModule = (app, ctx, services) => {
  const sso = services.identity.sso;
  // Without VOW_OIDC_* there is no single sign-on: the routes do not exist (404).
  if (!sso) return;
  // The flow's cookie and the session's: `__Host-` names (Path=/) over https (identity/cookies.ts).
  const cookies = services.identity.cookies;
  const frame = (): ConsoleFrame => ({ policy: ctx.policy, roles: [], csrf: '' });

  const { drafts, addresses } = services.identity;
  const start = ssoStart(ctx, services);

  app.get(
    SSO_PATH,
    {
      config: { access: 'public', limit: 'login' },
      schema: { hide: true, querystring: z.object({ next }) },
    },
    async (req, reply) => start(reply, { next: consoleReturnPath(req.query.next) }),
  );

  // From the log-in page that answered a form sent after the session lapsed: the kept form's token.
  app.post(
    SSO_PATH,
    {
      config: { access: 'public', csrf: 'form', limit: 'login' },
      schema: { hide: true, body: z.strictObject({ draft, back: draft, next, ...csrfBodyField }) },
    },
    async (req, reply) =>
      start(reply, { next: consoleReturnPath(req.body.next), draft: req.body.draft, back: req.body.back }),
  );

  app.post(
    `${SSO_PATH}/backchannel-logout`,
    {
      config: { access: 'public' },
      schema: { hide: true, body: z.record(z.string(), z.unknown()) },
    },
    async (req, reply) => {
      await sso.logout.handle(req.body.logout_token);
      return reply.header('cache-control', 'no-store').code(200).send();
    },
  );

  app.get(
    `${SSO_PATH}/callback`,
    {
      config: { access: 'public', limit: 'login' },
      schema: { hide: true, querystring: z.record(z.string(), z.string()) },
    },
    async (req, reply) => {
      void reply.clearCookie(cookies.sso, endedCookieOptions(ctx, cookies.ssoPath));
      const here = new URL(req.url, `${ctx.config.publicUrl}/`);
      try {
        const out = await sso.finish(here, req.cookies[cookies.sso]);
        // A silent re-authentication keeps its session (and cookie): no token then.
        if (out.token)
          void reply.setCookie(cookies.session.staff, out.token, {
            ...sessionCookieOptions(ctx, SESSION_TTL_MS.staff),
            sameSite: 'strict',
          });
        const { draft: kept, back, next: to } = out.carried;
        const form = kept && out.token ? await drafts.take(kept, out.staffId) : undefined;
        if (form && out.token && isConsoleTarget(form.target)) {
          const signedIn = { policy: ctx.policy, roles: [], csrf: csrfTokenFor(out.token) };
          return sendHtml(reply, renderKeptFormPage(signedIn, form));
        }
        const whole = back ? await addresses.take(back, out.staffId) : undefined;
        return sendHtml(reply, renderSsoDonePage(frame(), whole ?? consoleReturnPath(to) ?? '/staff'));
      } catch (err) {
        const { error, status } = refusalOf(err);
        const reason = (error.details as { reason?: string } | undefined)?.reason ?? error.code;
        if (reason === 'reauth_failed') {
          // The session has ended (audited): its cookie goes, and the browser to the log-in page.
          void reply.clearCookie(cookies.session.staff, endedCookieOptions(ctx));
          return reply.header('cache-control', 'no-store').redirect('/staff/login', 303);
        }
        return sendHtml(reply, renderSsoRefusedPage(frame(), error.message, reason), status);
      }
    },
  );
};
