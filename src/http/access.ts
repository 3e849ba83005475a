// Every route declares who may call it; a route without a declaration is refused at start-up, and
// every request is checked against the declaration before anything else runs (deny by default).
import fastifyCookie from '@fastify/cookie';
import fastifyFormbody from '@fastify/formbody';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { IdentityServices } from '../modules/identity/index.js';
import {
  API_KEY_PREFIX,
  allows,
  csrfTokenFor,
  type Principal,
  SESSION_COOKIE,
  type SessionKind,
  STAFF_ROLES,
  STAFF_TOKEN_PREFIX,
} from '../modules/identity/index.js';
import type { VowContext } from '../modules/policy/index.js';
import { sha256, Vault } from '../platform/crypto/index.js';
import { VowError } from '../platform/errors.js';
import { addRouteHook, decorateRouteConfig, type RouteConfig, routeConfig } from './route-hooks.js';

/**
 * Who may call a route:
 * - `public`: anyone (shopper pages, the notice, health, the consent script).
 * - `service`: the retailer's own backend (collection, decisions, disclosures): `Authorization: Bearer vow_sk_…`.
 * - `shopper`: a logged-in account holder, for their own data only (session cookie).
 * - `staff:<role>`: a staff member holding that role (or the privacy officer): staff session
 *   cookie, or `Authorization: Bearer vow_st_…` from `POST /v1/staff/tokens`.
 */
export type Access = 'public' | 'service' | 'shopper' | `staff:${string}`;

declare module 'fastify' {
  interface FastifyContextConfig {
    access?: Access;
    /**
     * A public form that must carry the anti-forgery token even without a session (login,
     * registration): checked against the `vow_csrf` double-submit cookie.
     */
    csrf?: 'form';
    /** A staff route reachable while the one-time first-login password is still to be replaced. */
    allowPendingPassword?: boolean;
    /** Cross-origin calls from VOW_ALLOWED_ORIGINS are allowed (collection and consent endpoints). */
    cors?: boolean;
  }
  interface FastifyInstance {
    /** Cookies carry Secure when VOW_PUBLIC_URL is https (Vow may sit behind a TLS proxy). */
    vowSecureCookies: boolean;
  }
  interface FastifyRequest {
    /** Who is calling (null: anonymous). Set before any handler runs. */
    principal: Principal | null;
    /** How the principal proved itself: a cookie needs a CSRF token on writes, a bearer does not. */
    authVia: 'cookie' | 'bearer' | 'test' | null;
  }
}

/** The double-submit cookie that protects forms posted before a session exists. */
export const CSRF_COOKIE = 'vow_csrf';

export interface DeclaredRoute {
  readonly method: string;
  readonly url: string;
  readonly access: string;
}

const DECLARED = new WeakMap<FastifyInstance, DeclaredRoute[]>();

/** Every route registered on the app with its declared access (collected by the onRoute hook). */
export function declaredRoutes(app: FastifyInstance): readonly DeclaredRoute[] {
  return DECLARED.get(app) ?? [];
}

export function requireAccessDeclarations(app: FastifyInstance): void {
  const list: DeclaredRoute[] = [];
  DECLARED.set(app, list);
  app.addHook('onRoute', (route) => {
    const url = route.url ?? route.path;
    const methods = Array.isArray(route.method) ? route.method : [route.method];
    for (const m of methods) {
      if (route.config?.access !== undefined)
        list.push({ method: String(m), url, access: route.config.access });
    }
    if (route.config?.access === undefined) {
      throw new Error(
        `Route ${String(route.method)} ${url} declares no access (config.access); deny by default`,
      );
    }
  });
}

export interface AccessOptions {
  /**
   * Tests only: authenticate every request as this principal (holding every role). buildApp
   * refuses it in production, and no configuration variable reaches it.
   */
  readonly testPrincipal?: 'all-roles';
}

const UNSAFE = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);

function bearer(req: FastifyRequest): string | undefined {
  const h = req.headers.authorization;
  if (!h) return undefined;
  const m = /^Bearer\s+(\S+)$/i.exec(h);
  return m?.[1];
}

/** The CSRF token a page must embed in its forms (undefined for anonymous or bearer callers). */
export function csrfToken(req: FastifyRequest, reply?: FastifyReply): string | undefined {
  if (
    req.authVia === 'cookie' &&
    req.principal &&
    (req.principal.kind === 'staff' || req.principal.kind === 'shopper')
  ) {
    const kind: SessionKind = req.principal.kind;
    const token = req.cookies[SESSION_COOKIE[kind]];
    if (token) return csrfTokenFor(token);
  }
  return formCsrfToken(req, reply);
}

/** The double-submit token for anonymous forms; sets the cookie when the browser has none yet. */
export function formCsrfToken(req: FastifyRequest, reply?: FastifyReply): string | undefined {
  let value = req.cookies[CSRF_COOKIE];
  if (!value || !/^[A-Za-z0-9_-]{43}$/.test(value)) {
    if (!reply) return undefined;
    // The request id is a random UUID from ctx.random: unpredictable, and never reused.
    value = sha256(`vow-csrf-cookie\n${req.id}`);
    void reply.setCookie(CSRF_COOKIE, value, {
      path: '/',
      httpOnly: true,
      sameSite: 'strict',
      secure: req.server.vowSecureCookies,
    });
  }
  return sha256(`vow-form-csrf\n${value}`);
}

function presentedCsrf(req: FastifyRequest): string | undefined {
  const header = req.headers['x-csrf-token'];
  if (typeof header === 'string') return header;
  const body = req.body as Record<string, unknown> | undefined;
  if (body && typeof body === 'object' && typeof body._csrf === 'string') return body._csrf;
  return undefined;
}

export async function installAccessControl(
  app: FastifyInstance,
  ctx: VowContext,
  security: IdentityServices,
  options: AccessOptions,
): Promise<void> {
  if (options.testPrincipal && ctx.config.env === 'production')
    throw new Error('The test principal is for tests only');
  if (!app.hasDecorator('parseCookie')) await app.register(fastifyCookie);
  if (!app.hasContentTypeParser('application/x-www-form-urlencoded')) await app.register(fastifyFormbody);
  app.decorate('vowSecureCookies', ctx.config.publicUrl.startsWith('https://'));
  decorateRouteConfig(app);
  app.decorateRequest('principal', null);
  app.decorateRequest('authVia', null);

  async function sessionPrincipal(req: FastifyRequest, kind: SessionKind): Promise<Principal | null> {
    const token = req.cookies[SESSION_COOKIE[kind]];
    if (!token) return null;
    const session = await security.sessions.lookup(token, kind, 'cookie');
    if (!session) return null;
    return kind === 'staff' ? security.staff.principalFor(session) : security.accounts.principalFor(session);
  }

  function asService(req: FastifyRequest, keyId: string | null | undefined): void {
    if (!keyId) return;
    req.principal = { kind: 'service', keyId };
    req.authVia = 'bearer';
  }

  async function staffBearer(req: FastifyRequest, token: string): Promise<void> {
    const session = await security.sessions.lookup(token, 'staff', 'bearer');
    if (!session) return;
    req.principal = await security.staff.principalFor(session);
    if (req.principal) req.authVia = 'bearer';
  }

  async function cookiePrincipal(req: FastifyRequest, access: string): Promise<void> {
    // The session kind the route needs first; the other one still identifies the caller (403, not 401).
    const order: SessionKind[] = access.startsWith('staff:') ? ['staff', 'shopper'] : ['shopper', 'staff'];
    for (const kind of order) {
      const p = await sessionPrincipal(req, kind);
      if (p) {
        req.principal = p;
        req.authVia = 'cookie';
        return;
      }
    }
  }

  /**
   * Finds who is calling. Answers without waiting (undefined) when nothing needs the store: the
   * test principal, a key this process verified moments ago, a caller with no credentials.
   */
  function resolve(req: FastifyRequest, access: string): Promise<void> | undefined {
    if (options.testPrincipal) {
      const subject = req.headers['x-vow-test-subject'];
      req.principal = {
        kind: 'test',
        roles: STAFF_ROLES,
        subjectId: typeof subject === 'string' ? subject : null,
      };
      req.authVia = 'test';
      return undefined;
    }
    const token = bearer(req);
    if (token) {
      if (token.startsWith(API_KEY_PREFIX)) {
        const known = security.apiKeys.verifiedNow(token);
        if (known !== undefined) {
          asService(req, known);
          return undefined;
        }
        return security.apiKeys.authenticate(token).then((keyId) => asService(req, keyId));
      }
      if (token.startsWith(STAFF_TOKEN_PREFIX)) return staffBearer(req, token);
      return undefined;
    }
    if (!req.cookies[SESSION_COOKIE.staff] && !req.cookies[SESSION_COOKIE.shopper]) return undefined;
    return cookiePrincipal(req, access);
  }

  /** Lets the request through, or throws the refusal; 'redirected' when a page was sent to log in. */
  function admit(
    req: FastifyRequest,
    reply: FastifyReply,
    access: string,
    config: RouteConfig | undefined,
  ): 'redirected' | undefined {
    if (!allows(req.principal, access)) {
      if (req.principal === null) {
        const wantsHtml = req.method === 'GET' && (req.headers.accept ?? '').includes('text/html');
        if (wantsHtml && (access === 'shopper' || access.startsWith('staff:'))) {
          void reply.redirect(access === 'shopper' ? '/login' : '/staff/login', 303);
          return 'redirected';
        }
        throw new VowError('VOW_UNAUTHENTICATED', 'This route needs credentials');
      }
      throw new VowError('VOW_FORBIDDEN', `This route needs ${access} access`);
    }
    const p = req.principal;
    if (p?.kind === 'staff' && p.mustChangePassword && !config?.allowPendingPassword) {
      throw new VowError(
        'VOW_PASSWORD_CHANGE_REQUIRED',
        'Choose a new password first (POST /v1/staff/password or /staff/password)',
      );
    }
    return undefined;
  }

  // A callback hook: the shop backend's calls with a recently verified key pass without a promise.
  app.addHook('onRequest', (req, reply, done) => {
    const config = routeConfig(req);
    const access = config?.access;
    // Unmatched requests (404) have no declaration; they reach the not-found handler only.
    if (access === undefined) {
      done();
      return;
    }
    const finish = (): void => {
      let outcome: 'redirected' | undefined;
      try {
        outcome = admit(req, reply, access, config);
      } catch (err) {
        done(err as Error);
        return;
      }
      // A redirect has answered the request: the lifecycle must not go on.
      if (outcome !== 'redirected') done();
    };
    const pending = resolve(req, access);
    if (pending === undefined) finish();
    else pending.then(finish, (err: unknown) => done(err as Error));
  });

  // After the body is parsed: cookie-authenticated writes and anonymous forms need the CSRF token.
  // Attached to the routes it can concern (writes that a session cookie can reach, shopper and
  // staff routes, and the public forms marked `csrf: 'form'`), so the shop backend's calls and the
  // pages' measurements do not pay for it.
  const checkCsrf = async (req: FastifyRequest): Promise<void> => {
    if (!UNSAFE.has(req.method)) return;
    const config = routeConfig(req);
    const access = config?.access;
    if (access === undefined) return;
    if (access !== 'public' && req.authVia === 'cookie') {
      const expected = csrfToken(req);
      const presented = presentedCsrf(req);
      if (!expected || !presented || !Vault.equal(expected, presented))
        throw new VowError(
          'VOW_CSRF',
          'The form is missing its anti-forgery token; reload the page and retry',
        );
      return;
    }
    if (config?.csrf === 'form' && req.authVia !== 'test') {
      const isForm = (req.headers['content-type'] ?? '').startsWith('application/x-www-form-urlencoded');
      // JSON cannot be sent cross-site without a CORS preflight, which Vow never grants here.
      if (!isForm) return;
      const expected = formCsrfToken(req);
      const presented = presentedCsrf(req);
      if (!expected || !presented || !Vault.equal(expected, presented))
        throw new VowError(
          'VOW_CSRF',
          'The form is missing its anti-forgery token; reload the page and retry',
        );
    }
  };
  app.addHook('onRoute', (route) => {
    const methods = (Array.isArray(route.method) ? route.method : [route.method]).map(String);
    const access = route.config?.access;
    // Public routes other than the log-in and registration forms have nothing to check.
    const cookieReachable = access !== 'service' && access !== 'public';
    if (!methods.some((m) => UNSAFE.has(m)) || !(cookieReachable || route.config?.csrf === 'form')) return;
    addRouteHook(route, 'preValidation', checkCsrf);
  });
}
