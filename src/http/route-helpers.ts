// What route files share, kept here so no route file imports another: page replies, telling a
// browser's form post from an API client's JSON, who the staff caller is, session cookies, and
// showing a refusal on the page that was posted instead of answering it as JSON.
import type { FastifyReply, FastifyRequest } from 'fastify';
import { statusOf } from '../app/error-registry.js';
import { type StaffRole, servedOverHttps } from '../modules/identity/index.js';
import type { VowContext } from '../modules/policy/index.js';
import { isVowError, VowError } from '../platform/errors.js';
import { DEFAULT_LOCALE } from '../platform/i18n/index.js';
import { line } from '../platform/strings.js';
import { csrfToken } from './access.js';
import type { ConsoleFrame } from './console/shell.js';
import { pageLocale } from './page-locale.js';
import { refusalText } from './refusal-text.js';
import { mediaTypeOf } from './route-hooks.js';
import type { ZodApp } from './route-module.js';

/** The anti-forgery field a form body carries (access.ts checks it before validation runs). */
export const csrfBodyField = { _csrf: line().max(128).optional() };

/** A file of src/web/assets/ (the stylesheets and scripts Vow serves). */
export const webAsset = (name: string): URL => new URL(`../web/assets/${name}`, import.meta.url);

// The language of a shopper page for this request (its own file: the shopper layout needs no more).
export { pageLocale };

/** A text field a form may leave empty: trimmed, and empty means absent. */
export const blankField = (max: number) =>
  line()
    .trim()
    .max(max)
    .optional()
    .transform((v) => (v ? v : undefined));

/**
 * Answers a rendered page. Pages are never cached: they can hold personal data, and their forms
 * carry an anti-forgery token tied to the session.
 */
export function sendHtml(reply: FastifyReply, body: string, status = 200): FastifyReply {
  return reply.code(status).type('text/html; charset=utf-8').header('cache-control', 'no-store').send(body);
}

/**
 * Answers a page that is the same for everyone and holds no token (the notice, the preference
 * centre, the demo shop): browsers may keep it but revalidate it, so a new policy shows at once.
 */
export function sendSharedHtml(reply: FastifyReply, body: string): FastifyReply {
  return reply.type('text/html; charset=utf-8').header('cache-control', 'no-cache').send(body);
}

/** A file of a person's data to save (an export, "my data"): never cached, named for the download. */
export function sendDownload(
  reply: FastifyReply,
  file: { readonly type: string; readonly name: string; readonly body: string },
): FastifyReply {
  return reply
    .type(file.type)
    .header('cache-control', 'no-store')
    .header('content-disposition', `attachment; filename="${file.name}"`)
    .send(file.body);
}

/** A browser's form post (as opposed to an API client's JSON to the same route). */
export function isForm(req: FastifyRequest): boolean {
  return mediaTypeOf(req) === 'application/x-www-form-urlencoded';
}

/**
 * A refusal a page can show in place: a VowError whose status is a 4xx. Anything else (a fault) is
 * thrown again, for the error handler to log and answer without internals.
 */
export function refusalOf(err: unknown): { readonly error: VowError; readonly status: number } {
  if (isVowError(err)) {
    const status = statusOf(err.code);
    if (status < 500) return { error: err, status };
  }
  throw err;
}

/**
 * For a route that serves both a browser form and API clients: a refused form post gets its page
 * again with the message, under the refusal's status; JSON callers get the usual error body.
 */
export function answerFormRefusal(
  req: FastifyRequest,
  reply: FastifyReply,
  err: unknown,
  render: (message: string, error: VowError) => string,
): FastifyReply {
  if (!isForm(req)) throw err;
  const { error, status } = refusalOf(err);
  // Staff pages stay in English; a shopper page says it in the shopper's language.
  const locale = req.url.startsWith('/staff') ? DEFAULT_LOCALE : pageLocale(req);
  return sendHtml(reply, render(refusalText(error, status, locale), error), status);
}

/** The acting staff member's id (the test principal in tests). */
export function staffIdOf(req: FastifyRequest): string {
  return staffOf(req).id;
}

/** The acting staff member and, for a console or token login, the session they act in. */
export function staffOf(req: FastifyRequest): {
  readonly id: string;
  readonly sessionId: string | undefined;
} {
  const p = req.principal;
  if (p?.kind === 'staff') return { id: p.staffId, sessionId: p.sessionId };
  if (p?.kind === 'test') return { id: 'test-principal', sessionId: undefined };
  throw new VowError('VOW_FORBIDDEN', 'Staff only');
}

/** The acting staff member with their roles, for changes to staff accounts. */
export function staffActorOf(req: FastifyRequest): {
  readonly id: string;
  readonly roles: readonly string[];
} {
  return { id: staffOf(req).id, roles: staffRolesOf(req) };
}

/** The caller's staff roles (none for anyone who is not staff). */
function staffRolesOf(req: FastifyRequest): readonly StaffRole[] {
  const p = req.principal;
  if (p?.kind === 'staff' || p?.kind === 'test') return p.roles;
  return [];
}

/**
 * What the console shell needs to render a page for this staff member: their roles (the menu; none
 * while the one-time password is still to be replaced, as every other page refuses until then), their
 * user name (the header's "signed in as") and
 * the token of the page's forms, derived from the staff session (worked out only when a page has a
 * form; empty for a bearer caller, whose writes need none).
 */
export function consoleFrame(ctx: VowContext, req: FastifyRequest): ConsoleFrame {
  const p = req.principal;
  let csrf: string | undefined;
  return {
    policy: ctx.policy,
    roles: p?.kind === 'staff' && p.mustChangePassword ? [] : staffRolesOf(req),
    ...(p?.kind === 'staff' ? { username: p.username } : {}),
    get csrf() {
      csrf ??= csrfToken(req) ?? '';
      return csrf;
    },
  };
}

/**
 * Options of an authentication cookie (services.identity.cookies names it): never readable by page
 * scripts; served over https, Secure with Path=/ and no Domain, as its `__Host-` name requires.
 */
export function sessionCookieOptions(ctx: VowContext, maxAgeMs: number) {
  return { ...endedCookieOptions(ctx), maxAge: Math.floor(maxAgeMs / 1000) };
}

/**
 * Options that end a cookie set with sessionCookieOptions: a browser replaces a `__Host-` cookie
 * only with one that is Secure and has the same path.
 */
export function endedCookieOptions(ctx: VowContext, path = '/') {
  return {
    path,
    httpOnly: true,
    sameSite: 'lax' as const,
    secure: servedOverHttps(ctx.config.publicUrl),
  };
}

/**
 * Parses text/plain bodies as JSON in this scope. The consent script posts text/plain (and
 * sendBeacon can only send that) because a cross-origin text/plain post needs no CORS preflight.
 */
export function acceptJsonAsTextPlain(app: ZodApp): void {
  app.removeContentTypeParser('text/plain');
  app.addContentTypeParser('text/plain', { parseAs: 'string' }, (_req, body, done) => {
    try {
      done(null, JSON.parse(body as string));
    } catch {
      done(new VowError('VOW_BAD_JSON', 'The request body is not valid JSON'), undefined);
    }
  });
}

/**
 * `fn`, named `name` for Fastify: an unnamed plugin (an arrow passed to `register`) is looked for
 * among every CommonJS module loaded, to name it in errors, and that search was ~8% of building the
 * app (a test builds hundreds). A plugin wrapped by fastify-plugin is named already.
 */
export function namedPlugin<T extends object>(name: string, fn: T): T {
  Object.defineProperty(fn, Symbol.for('fastify.display-name'), { value: name });
  return fn;
}
