// Builds the Fastify application: validation, OpenAPI, errors, logging without personal data, routes.
import fastifySwagger from '@fastify/swagger';
import Fastify, {
  type FastifyInstance,
  type FastifyReply,
  type FastifyRequest,
  type FastifyServerOptions,
} from 'fastify';
import {
  jsonSchemaTransform,
  jsonSchemaTransformObject,
  type ZodTypeProvider,
} from 'fastify-type-provider-zod';
import { createServices, type Services } from '../app/services.js';
import type { VowContext } from '../modules/policy/index.js';
import type { Random } from '../platform/clock.js';
import type { TrustProxy } from '../platform/config.js';
import { mailboxOf } from '../platform/mail/index.js';
import { type AccessOptions, installAccessControl, requireAccessDeclarations } from './access.js';
import { installBodyDeadline } from './body-deadline.js';
import { consoleErrorPage } from './console/error-page.js';
import { lapsedStaffFormAnswer } from './console/sign-in-again.js';
import { registerCrossOriginScope } from './cors.js';
import {
  answerFrameworkError,
  clientErrorHandler,
  installErrorHandling,
  setConsoleErrorPage,
} from './errors.js';
import { fastValidatorCompiler } from './fast-validation.js';
import { documentErrorAnswers, type ErrorCodeGuard, errorCodeGuardOf } from './openapi-errors.js';
import { browserErrorPage, prefersHtml } from './pages/error-page.js';
import { installRateLimits } from './rate-limits.js';
import { namedPlugin } from './route-helpers.js';
import { routeConfig } from './route-hooks.js';
import { CROSS_ORIGIN_ROUTES, ROUTES } from './routes.js';
import { helmetHeaders } from './security-headers.js';

/**
 * Routes that answer a script, a stylesheet or the banner's public JSON, never a document (see
 * assetHeaders): the cookie banner's responses, which every shop page's first visit loads, and
 * the stylesheets of Vow's own pages.
 */
const ASSET_ROUTES = new Set([
  '/consent.js',
  '/consent.css',
  '/consent-choices.js',
  '/consent-choices.css',
  '/v1/consent/banner',
  '/v1/consent/config',
  '/assets/:file',
  '/demo/store.js',
]);

export interface BuildAppOptions {
  /** Pino logger options or false; tests pass false. Defaults to the context's log level. */
  readonly logger?: FastifyServerOptions['logger'];
  /** Tests only (createTestEnv): authenticate every request as a principal holding all roles. */
  readonly testPrincipal?: AccessOptions['testPrincipal'];
  /** Per-address rate limits; on unless a test turns them off. */
  readonly rateLimits?: boolean;
  /**
   * Fail loudly when a /v1 route answers a code its /openapi.json list lacks (src/http/openapi-errors.ts);
   * defaults to VOW_TEST_ERROR_CODES, which the test runner sets.
   */
  readonly errorCodeGuard?: ErrorCodeGuard;
}

/** Fastify's trustProxy for the configured proxies (proxy-addr semantics). */
function trustProxyOption(
  trust: TrustProxy,
): boolean | string[] | ((address: string, hop: number) => boolean) {
  // A hop count trusts the nearest `trust` peers, whatever their addresses.
  if (typeof trust === 'number') return (_address, hop) => hop < trust;
  return trust === false ? false : [...trust];
}

/**
 * Request ids for the logs and for the answer to an unexpected error: this process's random prefix
 * (64 bits, hex), then a counter. Unique across processes and restarts; with them a decision over
 * HTTP cost 36 µs of the server's CPU, against 40 with a UUID made per request (BENCHMARKS.md).
 */
function requestIds(random: Random): () => string {
  const prefix = random.bytes(8).toString('hex');
  let n = 0;
  return () => `${prefix}-${(++n).toString(36)}`;
}

/** An answer sent piece by piece (a Node or a web stream), not a body sent at once. */
function isStream(payload: unknown): boolean {
  if (typeof payload !== 'object' || payload === null) return false;
  const p = payload as { pipe?: unknown; getReader?: unknown };
  return typeof p.pipe === 'function' || typeof p.getReader === 'function';
}

export async function buildApp(
  ctx: VowContext,
  options: BuildAppOptions = {},
  services: Services = createServices(ctx),
): Promise<FastifyInstance> {
  // The JSON API's security headers (see pageHeaders below), computed first: the answer to an
  // address the router cannot read is sent before any hook could add them. `Cache-Control: no-store`
  // is in OWASP's REST set too: answers such as GET /v1/account/my-data, a request's status or a
  // staff look-up hold personal data that no browser or proxy cache may keep (a route whose answer
  // may be cached says so itself, which replaces this).
  const apiHeaders = Object.freeze({
    ...helmetHeaders({
      contentSecurityPolicy: {
        useDefaults: false,
        directives: { defaultSrc: ["'none'"], frameAncestors: ["'none'"] },
      },
      referrerPolicy: { policy: 'no-referrer' },
      frameguard: { action: 'deny' },
      crossOriginResourcePolicy: false,
      crossOriginOpenerPolicy: false,
      originAgentCluster: false,
      xDnsPrefetchControl: false,
      xDownloadOptions: false,
      xPermittedCrossDomainPolicies: false,
      xXssProtection: false,
    }),
    'cache-control': 'no-store',
  });
  const app = Fastify({
    logger:
      options.logger ??
      ({
        level: ctx.config.logLevel,
        // Log the route pattern, never the concrete URL: paths can hold tokens and ids.
        serializers: {
          req: (req: { method: string; routeOptions?: { url?: string }; id: string }) => ({
            method: req.method,
            route: req.routeOptions?.url ?? '(unmatched)',
            id: req.id,
          }),
          res: (res: { statusCode: number }) => ({ statusCode: res.statusCode }),
        },
        redact: { paths: ['req.headers.authorization', 'req.headers.cookie'], remove: true },
      } as FastifyServerOptions['logger']),
    bodyLimit: ctx.config.bodyLimit,
    genReqId: requestIds(ctx.random),
    requestIdHeader: false,
    ajv: undefined,
    routerOptions: { ignoreTrailingSlash: true },
    // An address the router cannot read answers the one error body too (src/http/errors.ts).
    frameworkErrors: (err, req, reply) => {
      void answerFrameworkError(err, req, reply, (isPage) => (isPage ? pageHeaders : apiHeaders));
    },
    // A request Node's parser refuses (no route sees it) answers the one error body too, with the
    // API's headers, and its connection is closed (src/http/errors.ts).
    clientErrorHandler: clientErrorHandler(apiHeaders, (code) => app.log.debug({ code }, 'client error')),
    // VOW_TRUST_PROXY: which peers' X-Forwarded-For names the client (req.ip); off, nobody's.
    trustProxy: trustProxyOption(ctx.config.trustProxy),
  });
  // Zod, with compiled checks first on the hot routes' bodies (src/http/fast-validation.ts).
  app.setValidatorCompiler(fastValidatorCompiler);
  // Responses are built by our own code from typed values: validate at the edge (requests), trust
  // types inside. The response schemas still document every answer in /openapi.json.
  app.setSerializerCompiler(() => (data) => JSON.stringify(data));
  requireAccessDeclarations(app);
  // Every /v1 route's error answers in /openapi.json, with their codes (src/http/openapi-errors.ts).
  documentErrorAnswers(app, options.errorCodeGuard ?? errorCodeGuardOf(process.env.VOW_TEST_ERROR_CODES));
  // Browsers get a page with a way back (src/http/pages/error-page.ts); API clients get JSON.
  installErrorHandling(app, browserErrorPage(ctx.policy), prefersHtml);
  setConsoleErrorPage(app, consoleErrorPage(ctx, services));
  // Security headers (helmet), computed once: a per-request plugin would rebuild helmet() and re-parse the
  // CSP on every request (about a tenth of a small API request's CPU in the benchmark). Pages get the
  // full set; the JSON API (/v1/…) gets the set OWASP's REST Security Cheat Sheet names for APIs, with
  // a CSP that allows nothing: the headers that only mean something to a rendered document would be
  // dead weight on the shop backend's every call.
  const pageHeaders = helmetHeaders({
    contentSecurityPolicy: {
      useDefaults: false,
      directives: {
        defaultSrc: ["'self'"],
        scriptSrc: ["'self'"],
        styleSrc: ["'self'"],
        imgSrc: ["'self'", 'data:'],
        connectSrc: ["'self'"],
        formAction: ["'self'"],
        frameAncestors: ["'none'"],
        baseUri: ["'none'"],
        objectSrc: ["'none'"],
      },
    },
    referrerPolicy: { policy: 'no-referrer' },
    crossOriginResourcePolicy: false,
  });
  // Scripts, stylesheets and the banner's config are not documents: a browser never renders them
  // (nosniff holds it to their content type), so a CSP, frame options and a referrer policy, which
  // govern a rendered document, mean nothing on them, and they cost every shop page's first visit
  // bytes (the banner's responses are loaded on every page; BENCHMARKS.md, 6 December). HSTS is
  // host-wide: browsers learn it from Vow's pages and API, which keep it; the banner's responses are
  // subresources fetched from the https address in the shop's tag, so repeating it there adds
  // nothing a visitor needs. What they keep: nosniff (a browser must not run or apply them as
  // anything else), and, set by their routes, their content type, caching and ETag, encoding and
  // Vary, and CORS where a shop's page loads them from another origin (docs/security.md).
  const assetHeaders = Object.freeze({ 'x-content-type-options': 'nosniff' });
  /** The headers of a route's answers, by its url pattern (set by the access check's hook). */
  const securityHeaders = (url: string | undefined) =>
    url !== undefined && ASSET_ROUTES.has(url)
      ? assetHeaders
      : url?.startsWith('/v1/')
        ? apiHeaders
        : pageHeaders;

  await installAccessControl(app, ctx, services.identity, {
    testPrincipal: options.testPrincipal,
    securityHeaders,
    // A console form sent after its session lapsed gets the log-in page and is kept for after it.
    lapsedStaffForm: lapsedStaffFormAnswer(ctx, services),
  });
  // A body must arrive whole in VOW_BODY_TIMEOUT_SECONDS (no holding a connection by trickling one).
  installBodyDeadline(app, ctx.config.bodyTimeoutSeconds);
  // The mail budget is keyed by the blind index of the mailbox the address delivers to; a rewritten
  // address (`ann+1@`) is linked to it by its own (the one the person's records hold), so their
  // erasure deletes it (src/modules/identity/erasure.ts).
  await installRateLimits(app, ctx.clock, options.rateLimits ?? true, ctx.store, (email) =>
    services.identity.attempts.spendMailBudget((v) => ctx.vault.blindIndex('token', v), {
      address: ctx.vault.blindIndex('email', email.trim().toLowerCase()),
      mailbox: ctx.vault.blindIndex('email', mailboxOf(email)),
    }),
  );
  // Requests are counted as their answer is handed to the socket (onSend), a streamed answer once it
  // is sent or abandoned: an onResponse hook made Fastify run a second hook chain on every request,
  // about a twentieth of a small API call's CPU (BENCHMARKS.md), where onSend has one already.
  const observe = (req: FastifyRequest, reply: FastifyReply): void => {
    const config = routeConfig(req);
    services.metrics.observeRequest(
      config,
      req.method,
      config?.url ?? '(unmatched)',
      reply.statusCode,
      reply.elapsedTime / 1000,
    );
  };
  app.addHook('onSend', (req, reply, payload, done) => {
    if (isStream(payload)) reply.raw.once('close', () => observe(req, reply));
    else observe(req, reply);
    done();
  });

  await app.register(fastifySwagger, {
    openapi: {
      openapi: '3.1.0',
      info: {
        title: 'Vow API',
        version: '0.1.0',
        description: `Vow runs ${ctx.policy.doc.controller.name}'s privacy policy (version ${ctx.policy.version}) as software.`,
      },
    },
    transform: jsonSchemaTransform,
    // The schemas with an id (the one error body) as components, referred to by every route.
    transformObject: jsonSchemaTransformObject,
  });

  const typed = app.withTypeProvider<ZodTypeProvider>();
  await registerCrossOriginScope(app, ctx.config.allowedOrigins, async (corsScope) => {
    for (const register of CROSS_ORIGIN_ROUTES)
      await corsScope.register(
        namedPlugin(register.name, async (scope: FastifyInstance) =>
          register(scope.withTypeProvider<ZodTypeProvider>(), ctx, services),
        ),
      );
  });
  for (const register of ROUTES)
    await typed.register(
      namedPlugin(register.name, async (scope: FastifyInstance) =>
        register(scope.withTypeProvider<ZodTypeProvider>(), ctx, services),
      ),
    );
  return app;
}
