// Every route declares who may call it; a route without a declaration is refused at start-up, and
// every request is checked against the declaration before anything else runs (deny by default).
import fastifyCookie from '@fastify/cookie';
import fastifyFormbody from '@fastify/formbody';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { IdentityServices } from '../modules/identity/index.js';
import {
  API_KEY_PREFIX,
  allows,
  checkFormToken,
  consoleReturnPath,
  csrfTokenFor,
  issueFormToken,
  type Principal,
  type ServicePrincipal,
  type SessionKind,
  STAFF_ROLES,
  STAFF_TOKEN_PREFIX,
} from '../modules/identity/index.js';
import type { VowContext } from '../modules/policy/index.js';
import { Vault } from '../platform/crypto/index.js';
import { VowError } from '../platform/errors.js';
import {
  addRouteHook,
  decorateRouteConfig,
  mediaTypeOf,
  type RouteConfig,
  routeConfig,
} from './route-hooks.js';
import { assignScopes } from './scopes.js';

/**
 * Who may call a route:
 * - `public`: anyone (shopper pages, the notice, health, the consent script).
 * - `service`: the retailer's own backend (collection, decisions, disclosures): `Authorization: Bearer vow_sk_…`,
 *   with the scope the route's family needs (src/http/scopes.ts).
 * - `shopper`: a logged-in account holder, for their own data only (session cookie).
 * - `staff:<role>`: a staff member holding that role (or the privacy officer): staff session
 *   cookie, or `Authorization: Bearer vow_st_…` from `POST /v1/staff/tokens`.
 */
export type Access = 'public' | 'service' | 'shopper' | `staff:${string}`;

declare module 'fastify' {
  interface FastifyContextConfig {
    access?: Access;
    /**
     * A public form that must carry the anti-forgery token even without a session (the privacy
     * request and complaint forms, log-in, registration): a signed token of the form (no cookie,
     * so it works with cookies refused), and the browser's Origin / Sec-Fetch-Site must be Vow's.
     *
     * It is also what lets a public write see the caller's session: a public POST, PUT, PATCH or
     * DELETE without it is served as an anonymous caller's, its session cookies neither looked up
     * nor visible in `req.cookies` (a bearer key still counts). So no public write can act in a
     * logged-in person's name unless a browser's post from another page is refused (security #22).
     */
    csrf?: 'form';
    /** A staff route reachable while the one-time first-login password is still to be replaced. */
    allowPendingPassword?: boolean;
    /** Cross-origin calls from VOW_ALLOWED_ORIGINS are allowed (collection and consent endpoints). */
    cors?: boolean;
    /**
     * `ask`: a staff route that reads the session without counting as its use (the console asking
     * how long is left before its idle limit: its polling must not keep an idle console signed in).
     */
    sessionUse?: 'ask';
  }
  interface FastifyRequest {
    /** Who is calling (null: anonymous). Set before any handler runs. */
    principal: Principal | null;
    /** How the principal proved itself: a cookie needs a CSRF token on writes, a bearer does not. */
    authVia: 'cookie' | 'bearer' | 'test' | null;
    /** The session cookie's value that proved a `cookie` principal (its forms' token derives from it). */
    sessionToken: string | null;
    /**
     * A console form posted with a staff cookie whose session is no longer live (idle, expired):
     * let through to the body's parsing only so AccessOptions.lapsedStaffForm can answer it.
     */
    lapsedStaffForm: boolean;
  }
}

export interface DeclaredRoute {
  readonly method: string;
  readonly url: string;
  readonly access: string;
  /** The route's anti-forgery mode (`csrf`), if it declares one. */
  readonly csrf?: 'form';
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
        list.push({
          method: String(m),
          url,
          access: route.config.access,
          ...(route.config.csrf !== undefined ? { csrf: route.config.csrf } : {}),
        });
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
  /**
   * The security headers of a route's answers, by its url pattern (undefined: no route matched),
   * chosen once per route and set first by the access check's hook, so refusals carry them too
   * and no request pays for a second hook.
   */
  readonly securityHeaders?: (url: string | undefined) => Readonly<Record<string, string>>;
  /**
   * Answers with the log-in page: a console form posted (urlencoded, from a browser) with a staff cookie
   * whose session lapsed, once its body is parsed, the form kept; a console page asked for with a query
   * and no session, in its place, the address kept (console/sign-in-again.ts). It must answer.
   */
  readonly lapsedStaffForm?: (req: FastifyRequest, reply: FastifyReply) => Promise<unknown>;
}

declare module 'fastify' {
  interface FastifyContextConfig {
    /** The security headers of this route's answers (AccessOptions.securityHeaders). */
    securityHeaders?: Readonly<Record<string, string>>;
  }
}

const UNSAFE = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);
/** The cookies of a request that sent none (shared: nothing writes to a request's cookies). */
const NO_COOKIES: { [name: string]: string | undefined } = Object.freeze({});

/** The request's cookies without the session cookies (a public write that cannot be forgery-checked). */
function withoutSessions(
  cookies: FastifyRequest['cookies'],
  names: Readonly<Record<SessionKind, string>>,
): FastifyRequest['cookies'] {
  const rest = { ...cookies };
  delete rest[names.staff];
  delete rest[names.shopper];
  return rest;
}

function bearer(req: FastifyRequest): string | undefined {
  const h = req.headers.authorization;
  if (!h) return undefined;
  const m = /^Bearer\s+(\S+)$/i.exec(h);
  return m?.[1];
}

/**
 * The anti-forgery token of a logged-in caller's forms: derived from their session (undefined for
 * anonymous or bearer callers, who post public forms with formToken() instead).
 */
export function csrfToken(req: FastifyRequest): string | undefined {
  if (
    req.authVia === 'cookie' &&
    req.sessionToken &&
    (req.principal?.kind === 'staff' || req.principal?.kind === 'shopper')
  )
    return csrfTokenFor(req.sessionToken);
  return undefined;
}

/**
 * The token a page embeds in a public form posted to `form` (that route's URL pattern, e.g.
 * `/privacy/request/status/:token`). Signed, short-lived, and no cookie: see identity/form-tokens.ts.
 */
export function formToken(ctx: VowContext, form: string): string {
  return issueFormToken(ctx, form);
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
  // Cookies are parsed by the one hook below rather than by the plugin's own hook (a second hook
  // and a map on every request, for the shop backend's calls that never carry one).
  if (!app.hasDecorator('parseCookie')) await app.register(fastifyCookie, { hook: false });
  if (!app.hasContentTypeParser('application/x-www-form-urlencoded')) await app.register(fastifyFormbody);
  decorateRouteConfig(app);
  // Before the OpenAPI document reads the routes: each `service` route's scope (x-vow-scope).
  assignScopes(app);
  app.decorateRequest('principal', null);
  app.decorateRequest('authVia', null);
  app.decorateRequest('sessionToken', null);
  app.decorateRequest('lapsedStaffForm', false);
  // The session cookies' names in this mode (`__Host-` over https); the plain names are then ignored.
  const sessionCookie = security.cookies.session;

  async function sessionPrincipal(
    req: FastifyRequest,
    kind: SessionKind,
    touch: boolean,
  ): Promise<{ principal: Principal; token: string } | null> {
    const token = req.cookies[sessionCookie[kind]];
    if (!token) return null;
    const session = await security.sessions.lookup(token, kind, 'cookie', { touch });
    if (!session) return null;
    const principal =
      kind === 'staff'
        ? await security.staff.principalFor(session)
        : await security.accounts.principalFor(session);
    return principal ? { principal, token } : null;
  }

  function asService(req: FastifyRequest, key: ServicePrincipal | null | undefined): void {
    if (!key) return;
    req.principal = key;
    req.authVia = 'bearer';
  }

  async function staffBearer(req: FastifyRequest, token: string, touch: boolean): Promise<void> {
    const session = await security.sessions.lookup(token, 'staff', 'bearer', { touch });
    if (!session) return;
    req.principal = await security.staff.principalFor(session);
    if (req.principal) req.authVia = 'bearer';
  }

  async function cookiePrincipal(req: FastifyRequest, access: string, touch: boolean): Promise<void> {
    // The session kind the route needs first; the other one still identifies the caller (403, not 401).
    const order: SessionKind[] = access.startsWith('staff:') ? ['staff', 'shopper'] : ['shopper', 'staff'];
    for (const kind of order) {
      const found = await sessionPrincipal(req, kind, touch);
      if (found) {
        req.principal = found.principal;
        req.authVia = 'cookie';
        req.sessionToken = found.token;
        return;
      }
    }
  }

  /**
   * Finds who is calling. Answers without waiting (undefined) when nothing needs the store: the
   * test principal, a key this process verified moments ago, a caller with no credentials. A
   * public write that is not forgery-checked (`csrf: 'form'`) never sees a session: a form another
   * page of the same site posts carries the SameSite=Lax cookie, and nothing there would stop it.
   */
  function resolve(
    req: FastifyRequest,
    access: string,
    config: RouteConfig | undefined,
  ): Promise<void> | undefined {
    const csrf = config?.csrf;
    // A staff session's requests count as its use (its idle limit), except those that only ask.
    const touch = config?.sessionUse !== 'ask';
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
        return security.apiKeys.authenticate(token).then((key) => asService(req, key));
      }
      if (token.startsWith(STAFF_TOKEN_PREFIX)) return staffBearer(req, token, touch);
      return undefined;
    }
    if (!req.cookies[sessionCookie.staff] && !req.cookies[sessionCookie.shopper]) return undefined;
    if (access === 'public' && csrf !== 'form' && UNSAFE.has(req.method)) {
      req.cookies = withoutSessions(req.cookies, sessionCookie);
      return undefined;
    }
    return cookiePrincipal(req, access, touch);
  }

  /** Lets the request through, or throws the refusal; 'redirected' when a page was sent to log in. */
  function admit(
    req: FastifyRequest,
    reply: FastifyReply,
    access: string,
    config: RouteConfig | undefined,
  ): 'redirected' | 'in place' | undefined {
    if (!allows(req.principal, access)) {
      if (req.principal === null) {
        const wantsHtml = req.method === 'GET' && (req.headers.accept ?? '').includes('text/html');
        if (wantsHtml && (access === 'shopper' || access.startsWith('staff:'))) {
          const next = access === 'shopper' ? undefined : consoleReturnPath(req.url);
          if (next && options.lapsedStaffForm && /\?./.test(req.url)) return 'in place';
          const login = access === 'shopper' ? '/login' : '/staff/login';
          void reply.redirect(next ? `${login}?next=${encodeURIComponent(next)}` : login, 303);
          return 'redirected';
        }
        if (lapsedForm(req, access)) {
          req.lapsedStaffForm = true;
          return undefined;
        }
        throw new VowError('VOW_UNAUTHENTICATED', 'This route needs credentials');
      }
      throw new VowError('VOW_FORBIDDEN', `This route needs ${access} access`);
    }
    const p = req.principal;
    // An API key holds the route's scope (one AND: the key's mask came with its principal). A route
    // without a scope admits no key (scopes.ts gives every `service` route one at start). A public
    // route needs none: anyone may call it, and a key there (a shop server filing a request for a
    // shopper) gives the caller nothing more.
    if (p?.kind === 'service' && access !== 'public' && (p.scopeMask & (config?.scopeBit ?? 0)) === 0)
      throw new VowError('VOW_SCOPE_MISSING', `This API key lacks the scope ${config?.scope ?? '?'}`, {
        scope: config?.scope ?? null,
        keyScopes: p.scopes,
      });
    if (p?.kind === 'staff' && p.mustChangePassword && !config?.allowPendingPassword) {
      throw new VowError(
        'VOW_PASSWORD_CHANGE_REQUIRED',
        'Choose a new password first (POST /v1/staff/password or /staff/password)',
      );
    }
    return undefined;
  }

  /** A browser's console form sent with a staff cookie (the session lapsed: else it would have a principal). */
  function lapsedForm(req: FastifyRequest, access: string): boolean {
    return (
      options.lapsedStaffForm !== undefined &&
      access.startsWith('staff:') &&
      req.method === 'POST' &&
      req.cookies[sessionCookie.staff] !== undefined &&
      mediaTypeOf(req) === 'application/x-www-form-urlencoded' &&
      (req.headers.accept ?? '').includes('text/html')
    );
  }

  const headersFor = options.securityHeaders;
  const unmatchedHeaders = headersFor?.(undefined);
  if (headersFor)
    app.addHook('onRoute', (route) => {
      route.config = { ...route.config, securityHeaders: headersFor(route.url ?? route.path) };
    });

  /** Lets the request go on, or answers it with the refusal (after `resolve`). */
  const finish = (
    req: FastifyRequest,
    reply: FastifyReply,
    access: string,
    config: RouteConfig | undefined,
    done: (err?: Error) => void,
  ): void => {
    let outcome: 'redirected' | 'in place' | undefined;
    try {
      outcome = admit(req, reply, access, config);
    } catch (err) {
      done(err as Error);
      return;
    }
    // Answered (a redirect to the log-in, or the log-in in a console page's place): no done() then.
    if (outcome === 'in place') options.lapsedStaffForm?.(req, reply).catch(done);
    else if (outcome !== 'redirected') done();
  };

  // One callback hook for every request: its cookies, the security headers, then who is calling
  // and whether the route lets them in. The shop backend's calls with a recently verified key pass
  // without a promise (and without a closure made per request).
  app.addHook('onRequest', (req, reply, done) => {
    const cookieHeader = req.headers.cookie;
    req.cookies = cookieHeader ? app.parseCookie(cookieHeader) : NO_COOKIES;
    const config = routeConfig(req);
    const headers = config?.securityHeaders ?? unmatchedHeaders;
    if (headers !== undefined) void reply.headers(headers);
    const access = config?.access;
    // Unmatched requests (404) have no declaration; they reach the not-found handler only.
    if (access === undefined) {
      done();
      return;
    }
    const pending = resolve(req, access, config);
    if (pending === undefined) finish(req, reply, access, config, done);
    else
      pending.then(
        () => finish(req, reply, access, config, done),
        (err: unknown) => done(err as Error),
      );
  });

  const refuse = (why: string): never => {
    throw new VowError('VOW_CSRF', `This form could not be accepted (${why}); reload the page and retry`);
  };
  /** Vow's own origins: the configured public address, and the one this request was sent to. */
  const publicOrigin = new URL(ctx.config.publicUrl).origin;
  const sameOrigin = (req: FastifyRequest, origin: string): boolean =>
    origin === publicOrigin || origin === `${req.protocol}://${req.host}`;
  /**
   * A write a browser sends from another site is refused before anything else: Sec-Fetch-Site
   * (every current browser sends it) must say the page was Vow's own (or no page: a typed URL),
   * else the Origin header must be one of Vow's. A client sending neither (a script, an old
   * browser) passes this check and relies on the token alone.
   */
  const checkFetchSite = (req: FastifyRequest): void => {
    const site = req.headers['sec-fetch-site'];
    if (typeof site === 'string') {
      if (site !== 'same-origin' && site !== 'none') refuse('sent from another site');
      return;
    }
    const origin = req.headers.origin;
    if (typeof origin === 'string' && !sameOrigin(req, origin)) refuse('sent from another site');
  };
  /**
   * Media types a page on another site can send without a CORS preflight (HTML forms and no-cors
   * fetch): only these can carry a forged write, so only these need the public form's token. The
   * comparison is case-insensitive, as browsers and Fastify's parsers treat media types.
   */
  const SIMPLE_TYPES = new Set(['application/x-www-form-urlencoded', 'multipart/form-data', 'text/plain']);

  // After the body is parsed: cookie-authenticated writes and public forms need the anti-forgery
  // token. Attached to the routes it can concern (writes that a session cookie can reach, shopper and
  // staff routes, and the public forms marked `csrf: 'form'`), so the shop backend's calls and the
  // pages' measurements do not pay for it.
  const checkCsrf = async (req: FastifyRequest): Promise<void> => {
    if (!UNSAFE.has(req.method)) return;
    const config = routeConfig(req);
    const access = config?.access;
    if (access === undefined || req.authVia === 'test') return;
    checkFetchSite(req);
    if (access !== 'public' && req.authVia === 'cookie') {
      // A logged-in caller's writes carry the token derived from their session, whatever the body.
      const expected = csrfToken(req);
      const presented = presentedCsrf(req);
      if (!expected || !presented || !Vault.equal(expected, presented))
        refuse('its anti-forgery token is missing or wrong');
      return;
    }
    if (config?.csrf === 'form') {
      // JSON cannot be sent cross-site without a CORS preflight, which Vow never grants here.
      if (!SIMPLE_TYPES.has(mediaTypeOf(req))) return;
      const presented = presentedCsrf(req);
      if (!presented || !checkFormToken(ctx, config.url ?? '', presented))
        refuse('its anti-forgery token is missing or has expired');
    }
  };
  // A lapsed session's console form: answered once its body is parsed, before any of the route's own
  // hooks (they expect a principal), and never reaching its handler.
  const lapsedStaffForm = options.lapsedStaffForm;
  const answerLapsed = async (
    req: FastifyRequest,
    reply: FastifyReply,
  ): Promise<FastifyReply | undefined> => {
    if (!req.lapsedStaffForm || !lapsedStaffForm) return undefined;
    checkFetchSite(req);
    await lapsedStaffForm(req, reply);
    if (!reply.sent) throw new VowError('VOW_UNAUTHENTICATED', 'This route needs credentials');
    return reply;
  };
  if (lapsedStaffForm)
    app.addHook('onRoute', (route) => {
      const methods = (Array.isArray(route.method) ? route.method : [route.method]).map(String);
      if (!methods.includes('POST') || !route.config?.access?.startsWith('staff:')) return;
      const own = route.preValidation;
      const list = own === undefined ? [] : Array.isArray(own) ? own : [own];
      route.preValidation = [answerLapsed, ...list] as typeof route.preValidation;
    });
  app.addHook('onRoute', (route) => {
    const methods = (Array.isArray(route.method) ? route.method : [route.method]).map(String);
    const access = route.config?.access;
    // Public routes other than the forms have nothing to check: their writes see no session.
    const cookieReachable = access !== 'service' && access !== 'public';
    if (!methods.some((m) => UNSAFE.has(m)) || !(cookieReachable || route.config?.csrf === 'form')) return;
    addRouteHook(route, 'preValidation', checkCsrf);
  });
}
