// The names of the cookies that carry authentication: the staff and shopper sessions and a started
// single sign-on. When Vow is served over https (its configured public address says so), each
// carries the `__Host-` prefix: a browser then keeps such a cookie only if it came from this very
// host over https with Path=/ and no Domain, so a page on a sibling subdomain of the same site
// cannot plant one for Vow (cookie tossing: signing a browser in as the planter's account). Vow
// reads only the names of its mode; in https mode a cookie under the plain name is ignored, as
// reading it would keep the hole open. Over plain http (development) browsers refuse the prefix,
// so the plain names stay there.

import { SSO_COOKIE } from './oidc.js';
import { SESSION_COOKIE, type SessionKind } from './sessions.js';

/** The prefix browsers keep only for Secure, host-only, Path=/ cookies set over https. */
export const HOST_COOKIE_PREFIX = '__Host-';

export interface AuthCookies {
  /** Whether the names carry `__Host-` (Vow served over https): set them Secure, Path=/, no Domain. */
  readonly hostOnly: boolean;
  /** The session cookie of each kind. */
  readonly session: Readonly<Record<SessionKind, string>>;
  /** The cookie of a started single sign-on. */
  readonly sso: string;
  /** The path the single sign-on cookie is scoped to (`__Host-` cookies must say Path=/). */
  readonly ssoPath: string;
}

/** Whether a public address is https (the browser's view of Vow, whatever proxy sits in between). */
export function servedOverHttps(publicUrl: string): boolean {
  return publicUrl.toLowerCase().startsWith('https://');
}

/** The authentication cookies of Vow served at `publicUrl`. */
export function authCookies(publicUrl: string): AuthCookies {
  const hostOnly = servedOverHttps(publicUrl);
  const name = (plain: string): string => (hostOnly ? `${HOST_COOKIE_PREFIX}${plain}` : plain);
  return Object.freeze({
    hostOnly,
    session: Object.freeze({ staff: name(SESSION_COOKIE.staff), shopper: name(SESSION_COOKIE.shopper) }),
    sso: name(SSO_COOKIE),
    ssoPath: hostOnly ? '/' : '/staff/sso',
  });
}
