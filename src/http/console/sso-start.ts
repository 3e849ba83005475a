// Sending the browser to the single sign-on provider: a sign-in (`GET`/`POST /staff/sso`), or the
// silent re-authentication of a console session the provider gave no refresh token, once its check
// is due (identity/sso-silent.ts): the log-in page, and a console page asked for with a query, send
// such a session's browser on to the provider with `prompt=none` instead of showing the log-in.

import type { FastifyReply, FastifyRequest } from 'fastify';
import type { Services } from '../../app/services.js';
import { SSO_FLOW_TTL_MS, type SsoCarry } from '../../modules/identity/index.js';
import type { VowContext } from '../../modules/policy/index.js';
import { sessionCookieOptions } from '../route-helpers.js';

/** Starts a flow at the provider (silent for the session `silent`): its cookie set, a 303 to the provider. */
export function ssoStart(ctx: VowContext, services: Services) {
  const { sso, cookies } = services.identity;
  return async (reply: FastifyReply, carry: SsoCarry, silent?: string): Promise<FastifyReply> => {
    if (!sso) throw new Error('single sign-on is not configured');
    const { url, cookie } = await sso.start(carry, silent);
    void reply.setCookie(cookies.sso, cookie, {
      ...sessionCookieOptions(ctx, SSO_FLOW_TTL_MS),
      path: cookies.ssoPath,
    });
    return reply.header('cache-control', 'no-store').redirect(url, 303);
  };
}

/**
 * A console session waiting for its silent re-authentication: `due` finds it from the request's
 * staff cookie, `go` sends the browser to the provider for it (false when the provider cannot be
 * reached: the log-in page answers then, as for a session that ended).
 */
export function silentReauth(ctx: VowContext, services: Services) {
  const { sso, cookies } = services.identity;
  const start = ssoStart(ctx, services);
  return {
    due: async (req: FastifyRequest) => {
      const token = req.cookies[cookies.session.staff];
      return sso && token ? sso.silentDue(token) : undefined;
    },
    go: async (reply: FastifyReply, sessionId: string, carry: SsoCarry): Promise<boolean> => {
      try {
        await start(reply, carry, sessionId);
        return true;
      } catch (err) {
        ctx.logger.warn(
          { err: err instanceof Error ? err.message : String(err) },
          'single sign-on silent re-authentication not started',
        );
        return false;
      }
    },
  };
}
