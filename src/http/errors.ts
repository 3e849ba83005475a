// Turns every failure into the one error body `{ error: { code, message, details? } }`.

import { STATUS_CODES } from 'node:http';
import type { FastifyError, FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { hasZodFastifySchemaValidationErrors, isResponseSerializationError } from 'fastify-type-provider-zod';
import { statusOf } from '../app/error-registry.js';
import { VowError } from '../platform/errors.js';
import { storageFault } from '../platform/store/index.js';
import { fieldIssues, typedValues } from './form-issues.js';
import { mediaTypeOf } from './route-hooks.js';

const FASTIFY_CODES: Record<string, ConstructorParameters<typeof VowError>[0]> = {
  FST_ERR_CTP_BODY_TOO_LARGE: 'VOW_BODY_TOO_LARGE',
  FST_ERR_CTP_INVALID_MEDIA_TYPE: 'VOW_UNSUPPORTED_MEDIA_TYPE',
  FST_ERR_CTP_INVALID_CONTENT_LENGTH: 'VOW_VALIDATION',
  FST_ERR_CTP_EMPTY_JSON_BODY: 'VOW_BAD_JSON',
  FST_ERR_CTP_INVALID_JSON_BODY: 'VOW_BAD_JSON',
  FST_ERR_VALIDATION: 'VOW_VALIDATION',
};

/**
 * Fastify's `frameworkErrors`: an address its router cannot read answers the one error body
 * (VOW_VALIDATION), where Fastify answered its own body (`FST_ERR_…`, no VOW code, the whole path
 * echoed back, tokens in it included): a malformed percent-encoding (`/u/%ZZ`, `%C0%AE`) and a path
 * parameter longer than the router takes (100 characters; Fastify said 414). They run before any
 * route, hook or error handler. A browser gets the page instead (the console's or the shopper's),
 * with the pages' headers (`headers(true)`).
 */
export async function answerFrameworkError(
  err: FastifyError,
  req: FastifyRequest,
  reply: FastifyReply,
  headers: (page: boolean) => Readonly<Record<string, string>>,
): Promise<void> {
  const error =
    err.code === 'FST_ERR_MAX_PARAM_LENGTH'
      ? new VowError('VOW_VALIDATION', 'A part of the address is longer than 100 characters')
      : err.code === 'FST_ERR_BAD_URL'
        ? new VowError('VOW_VALIDATION', 'The address holds a malformed percent-encoding')
        : new VowError('VOW_INTERNAL', `Internal error (request ${req.id})`);
  if (error.code === 'VOW_INTERNAL')
    req.log.error({ err: { type: err.name, code: err.code } }, 'router error');
  const status = statusOf(error.code);
  // A browser following a link cut short or mangled gets the page a route's refusal would give
  // (the console's under /staff, the shopper's in their language), not the JSON body.
  const page = await browserPage(req, error, status).catch(() => undefined);
  void reply
    .headers(headers(page !== undefined))
    .code(status)
    .header('cache-control', 'no-store');
  if (page !== undefined) void reply.type('text/html; charset=utf-8').send(page);
  else void reply.type('application/json; charset=utf-8').send(error.toBody());
}

/** A connection whose request Node's HTTP parser refused (what `clientError` is given). */
interface ClientSocket {
  readonly destroyed: boolean;
  readonly writable: boolean;
  write(data: string): unknown;
  destroy(err?: Error): unknown;
  /** The answer in flight on this connection, if any (Node's own handler checks it too). */
  readonly _httpMessage?: { readonly headersSent?: boolean } | null;
}

/**
 * Fastify's `clientErrorHandler`: a request Node's parser refuses before any route sees it
 * (Transfer-Encoding with Content-Length, a malformed request line or header, headers over Node's
 * 16 KiB, headers not in within 60 s) is answered the one error body with the JSON API's security
 * headers, where Fastify wrote its own body and no headers. The refusal stays what Node makes it:
 * the same status (400, 431, 408), then the connection is closed. Nothing of the request is logged
 * or echoed: its raw bytes (`err.rawPacket`) may hold anything.
 */
export function clientErrorHandler(
  headers: Readonly<Record<string, string>>,
  log: (code: string) => void,
): (err: Error & { code?: string }, socket: ClientSocket) => void {
  const answer = (error: VowError): string => {
    const status = statusOf(error.code);
    const body = JSON.stringify(error.toBody());
    const lines = [
      `HTTP/1.1 ${status} ${STATUS_CODES[status] ?? ''}`,
      ...Object.entries(headers).map(([name, value]) => `${name}: ${value}`),
      'content-type: application/json; charset=utf-8',
      `content-length: ${Buffer.byteLength(body)}`,
      'connection: close',
    ];
    return `${lines.join('\r\n')}\r\n\r\n${body}`;
  };
  return (err, socket) => {
    // A connection reset, or one already gone: nobody to answer.
    if (err.code === 'ECONNRESET' || socket.destroyed) return;
    const code = err.code ?? 'unknown';
    log(code);
    const error =
      code === 'HPE_HEADER_OVERFLOW'
        ? new VowError('VOW_HEADERS_TOO_LARGE', 'The request headers are too large')
        : code === 'ERR_HTTP_REQUEST_TIMEOUT'
          ? new VowError('VOW_REQUEST_TIMEOUT', 'The request headers did not arrive in time')
          : new VowError('VOW_BAD_REQUEST', 'The HTTP request could not be read', { parser: code });
    // Never into an answer already begun on this connection (a pipelined request's).
    if (socket.writable && !socket._httpMessage?.headersSent) socket.write(answer(error));
    socket.destroy(err);
  };
}

/** The page a browser gets for a refusal no route rendered, or undefined for an API client. */
async function browserPage(
  req: FastifyRequest,
  error: VowError,
  status: number,
): Promise<string | undefined> {
  const consolePage = CONSOLE_PAGES.get(req.server);
  if (consolePage && consoleBrowser(req)) return consolePage(req, error, status);
  const shopper = REFUSAL_PAGES.get(req.server);
  if (shopper && (browserFormPost(req) || shopper.wantsPage(req))) return shopper.render(error, status, req);
  return undefined;
}

const REFUSAL_PAGES = new WeakMap<FastifyInstance, { render: RefusalPage; wantsPage: WantsPage }>();

/** A page showing a refusal to a person in a browser (the route did not render one). */
export type RefusalPage = (error: VowError, status: number, req: FastifyRequest) => string;

/** Who gets the page instead of JSON: a browser (decided by Accept), never an API client. */
export type WantsPage = (req: FastifyRequest) => boolean;

/**
 * A console page for a browser under /staff (errors.ts answers it instead of JSON); built by
 * src/http/console/error-page.ts, which knows the console's shell and menu.
 */
export type ConsoleErrorPage = (req: FastifyRequest, error: VowError, status: number) => Promise<string>;

/** A browser (it asks for HTML) on a console address: it gets a console page, not JSON. */
function consoleBrowser(req: FastifyRequest): boolean {
  const path = req.url.split('?')[0] ?? '';
  const accept = req.headers.accept ?? '';
  return (
    (path === '/staff' || path.startsWith('/staff/')) &&
    accept.includes('text/html') &&
    (req.method === 'GET' || req.method === 'HEAD' || browserFormPost(req))
  );
}

const CONSOLE_PAGES = new WeakMap<FastifyInstance, ConsoleErrorPage>();

/** Gives browsers under /staff the console's error pages (src/http/console/error-page.ts). */
export function setConsoleErrorPage(app: FastifyInstance, render: ConsoleErrorPage): void {
  CONSOLE_PAGES.set(app, render);
}

/** A form a person posted from a browser (it asked for HTML), not an API client's call. */
function browserFormPost(req: FastifyRequest): boolean {
  return (
    mediaTypeOf(req) === 'application/x-www-form-urlencoded' &&
    (req.headers.accept ?? '').includes('text/html')
  );
}

/**
 * Every failure answers the JSON error body, except a browser's form post or page request (when
 * `wantsPage` says so), which gets a page with the same message and a way back under the same status.
 */
export function installErrorHandling(
  app: FastifyInstance,
  refusalPage?: RefusalPage,
  wantsPage: WantsPage = browserFormPost,
): void {
  const asPage = (req: FastifyRequest) =>
    refusalPage !== undefined && (browserFormPost(req) || wantsPage(req));
  if (refusalPage) REFUSAL_PAGES.set(app, { render: refusalPage, wantsPage });
  app.setErrorHandler(async (err: FastifyError, req, reply) => {
    const consoleErrorPage = CONSOLE_PAGES.get(app);
    let error: VowError;
    const fault = storageFault(err);
    if (err instanceof VowError) {
      error = err;
    } else if (hasZodFastifySchemaValidationErrors(err)) {
      // Only where and what: never the offending value, which may be personal data.
      const issues = err.validation.map((v) => ({
        path: v.instancePath || '/',
        message: v.message ?? 'invalid',
        ...(v.params && 'issue' in v.params ? { code: (v.params.issue as { code?: string }).code } : {}),
      }));
      error = new VowError('VOW_VALIDATION', `Invalid request ${err.validationContext ?? 'body'}`, {
        issues,
      });
    } else if (isResponseSerializationError(err)) {
      req.log.error({ err: { message: err.message } }, 'response did not match its schema');
      error = new VowError('VOW_INTERNAL', 'Internal error');
    } else if (err.code && FASTIFY_CODES[err.code]) {
      error = new VowError(FASTIFY_CODES[err.code]!, err.message.replace(/^FST_\w+: /, ''));
    } else if (err instanceof SyntaxError && err.statusCode === 400) {
      error = new VowError('VOW_BAD_JSON', 'The request body is not valid JSON');
    } else if (typeof err.statusCode === 'number' && err.statusCode >= 400 && err.statusCode < 500) {
      error = new VowError('VOW_VALIDATION', err.message);
    } else if (fault) {
      // The database is out of reach or refuses writes: 503 with Retry-After, not a 500.
      req.log.warn({ err: { type: err.name, code: err.code } }, 'storage fault');
      error = fault;
    } else {
      // Log the type and stack, not the message alone: messages of driver errors can quote values.
      req.log.error({ err: { type: err.name, code: err.code, stack: err.stack } }, 'unhandled error');
      error = new VowError('VOW_INTERNAL', `Internal error (request ${req.id})`);
    }
    if (error.code === 'VOW_DATABASE_UNAVAILABLE') void reply.header('retry-after', '5');
    if (error.code === 'VOW_STORAGE_READ_ONLY') void reply.header('retry-after', '60');
    const status = statusOf(error.code);
    if (consoleErrorPage && consoleBrowser(req))
      return reply
        .code(status)
        .type('text/html; charset=utf-8')
        .header('cache-control', 'no-store')
        .send(await consoleErrorPage(req, error, status));
    // A shopper's form refused for what it holds comes back as the form, filled in, each mistake
    // at its field; any other refusal (a missing session, a limit) keeps the error page.
    const formPage = req.routeOptions?.config?.formPage;
    if (formPage && refusalPage && asPage(req) && status === 400) {
      try {
        return await formPage(req, reply, {
          error,
          status,
          issues: fieldIssues(err, req.body),
          values: typedValues(req.body),
        });
      } catch (renderErr) {
        req.log.error({ err: { type: (renderErr as Error).name } }, 'form page failed');
      }
    }
    if (refusalPage && asPage(req))
      return reply
        .code(status)
        .type('text/html; charset=utf-8')
        .header('cache-control', 'no-store')
        .send(refusalPage(error, status, req));
    return reply.code(status).type('application/json; charset=utf-8').send(error.toBody());
  });

  const routes = routeMethods(app);
  app.setNotFoundHandler(async (req, reply) => {
    const consoleErrorPage = CONSOLE_PAGES.get(app);
    const path = req.url.split('?')[0] ?? '';
    const e = new VowError('VOW_NOT_FOUND', `No route ${req.method} ${path}`);
    if (consoleErrorPage && consoleBrowser(req))
      return reply
        .code(404)
        .type('text/html; charset=utf-8')
        .header('cache-control', 'no-store')
        .send(await consoleErrorPage(req, e, 404));
    if (refusalPage && asPage(req))
      return reply
        .code(404)
        .type('text/html; charset=utf-8')
        .header('cache-control', 'no-store')
        .send(refusalPage(e, 404, req));
    // The path exists for other methods: say which (RFC 9110 §15.5.6), not that nothing is there.
    const allow = routes.allowed(path);
    if (allow.length > 0)
      return reply
        .code(statusOf('VOW_METHOD_NOT_ALLOWED'))
        .header('allow', allow.join(', '))
        .send(
          new VowError('VOW_METHOD_NOT_ALLOWED', `${req.method} is not allowed on ${path}`, {
            allow,
          }).toBody(),
        );
    return reply.code(404).send(e.toBody());
  });
}

/**
 * The methods each registered route pattern answers (collected as routes are added), and which of
 * them a concrete path matches: `:param` stands for one segment, a trailing `*` for the rest.
 */
function routeMethods(app: FastifyInstance): { allowed(path: string): string[] } {
  const patterns = new Map<string, { re: RegExp; methods: Set<string> }>();
  app.addHook('onRoute', (route) => {
    const url = route.url ?? route.path;
    // The cross-origin scope's preflight answers any path (src/http/cors.ts): it names no route.
    if (url === '*') return;
    let entry = patterns.get(url);
    if (!entry) {
      const re = url
        .split('/')
        .map((seg) =>
          seg === '*' ? '.*' : seg.includes(':') ? '[^/]+' : seg.replace(/[.*+?^${}()|[\]\\]/g, '\\$&'),
        )
        .join('/');
      entry = { re: new RegExp(`^${re}/?$`), methods: new Set() };
      patterns.set(url, entry);
    }
    for (const m of Array.isArray(route.method) ? route.method : [route.method]) entry.methods.add(String(m));
  });
  return {
    allowed(path) {
      const methods = new Set<string>();
      for (const { re, methods: ms } of patterns.values())
        if (re.test(path)) for (const m of ms) methods.add(m);
      return [...methods].sort();
    },
  };
}
