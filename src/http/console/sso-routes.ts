// Staff single sign-on (OpenID Connect): /staff/sso sends the browser to the provider with a fresh
// authorization code + PKCE request, /staff/sso/callback completes it and starts a staff session
// exactly as the password log-in does. The flow's checks (state, nonce, PKCE verifier; random, no
// personal data) ride in a short-lived signed cookie, httpOnly and SameSite=Lax (the provider's
// redirect back is a cross-site top-level GET), scoped to /staff/sso; served over https it is
// `__Host-vow_sso` with Path=/, as that prefix requires. The work is the identity module's
// (src/modules/identity/oidc.ts).

import { z } from 'zod';
import { SESSION_TTL_MS, SSO_FLOW_TTL_MS } from '../../modules/identity/index.js';
import { endedCookieOptions, refusalOf, sendHtml, sessionCookieOptions } from '../route-helpers.js';
import type { RouteModule } from '../route-module.js';
import { renderSsoDonePage, renderSsoRefusedPage } from './login.js';
import type { ConsoleFrame } from './shell.js';

const SSO_PATH = '/staff/sso';

export const ssoConsoleRoutes: RouteModule = (app, ctx, services) => {
  const sso = services.identity.sso;
  // Without VOW_OIDC_* there is no single sign-on: the routes do not exist (404).
  if (!sso) return;
  // The flow's cookie and the session's: `__Host-` names (Path=/) over https (identity/cookies.ts).
  const cookies = services.identity.cookies;
  const frame = (): ConsoleFrame => ({ policy: ctx.policy, roles: [], csrf: '' });

  app.get(
    SSO_PATH,
    { config: { access: 'public', limit: 'login' }, schema: { hide: true } },
    async (_req, reply) => {
      const { url, cookie } = await sso.start();
      void reply.setCookie(cookies.sso, cookie, {
        ...sessionCookieOptions(ctx, SSO_FLOW_TTL_MS),
        path: cookies.ssoPath,
      });
      return reply.header('cache-control', 'no-store').redirect(url, 303);
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
        void reply.setCookie(cookies.session.staff, out.token, {
          ...sessionCookieOptions(ctx, SESSION_TTL_MS.staff),
          sameSite: 'strict',
        });
        return sendHtml(reply, renderSsoDonePage(frame()));
      } catch (err) {
        const { error, status } = refusalOf(err);
        const reason = (error.details as { reason?: string } | undefined)?.reason ?? error.code;
        return sendHtml(reply, renderSsoRefusedPage(frame(), error.message, reason), status);
      }
    },
  );
};
