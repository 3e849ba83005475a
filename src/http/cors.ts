// CORS only for the shop's own origins (VOW_ALLOWED_ORIGINS) and only on the collection and consent
// endpoints: every other route answers cross-origin browsers without any Access-Control header.
// The route modules that serve browsers on the shop's pages are registered in one scope; a route
// that would be cross-origin but sits outside it stops the start (checked when the app is ready),
// and so does one declaring the public forms' anti-forgery check (`csrf: 'form'`), which the
// shop's pages' calls could never pass.
//
// Written here rather than with @fastify/cors: the policy is one fixed shape (exact origins, GET
// and POST, two request headers, no credentials), and that plugin merged its options objects on
// every request, a tenth of the cost of POST /v1/collect, the endpoint every page view calls.
// Each cross-origin route gets one small hook when it is registered; the other routes none.
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { namedPlugin } from './route-helpers.js';
import { addRouteHook } from './route-hooks.js';

/** Paths open to cross-origin calls besides routes declaring `config: { cors: true }`. */
export const CORS_PATH_PREFIXES = ['/v1/collect', '/v1/collections', '/v1/consent', '/consent'] as const;

/** What a preflight grants (the consent script sends text/plain; a shop's own code may send JSON). */
const ALLOWED_METHODS = ['GET', 'POST'] as const;
const ALLOWED_HEADERS = 'content-type, authorization';
/** How long a browser may reuse a preflight's answer, in seconds. */
const PREFLIGHT_MAX_AGE = 600;

function corsPathname(path: string): boolean {
  return CORS_PATH_PREFIXES.some((p) => path === p || path.startsWith(`${p}/`));
}

/**
 * Registers `register` (the cross-origin route modules) in a scope that answers CORS, and checks
 * at start that every route open to cross-origin calls was registered there.
 */
export async function registerCrossOriginScope(
  app: FastifyInstance,
  allowedOrigins: readonly string[],
  register: (scope: FastifyInstance) => Promise<void>,
): Promise<void> {
  const needed: string[] = [];
  const scoped = new Set<string>();
  const key = (method: unknown, url: string) => `${String(method)} ${url}`;
  const isCrossOrigin = (url: string, cors: boolean | undefined) => cors === true || corsPathname(url);
  app.addHook('onRoute', (route) => {
    if (!isCrossOrigin(route.url, route.config?.cors)) return;
    // The shop's pages call these routes from the shop's origin, without the public forms'
    // anti-forgery token: one declaring `csrf: 'form'` would refuse them all (the banner would stop
    // recording choices without a word), so it stops the start instead.
    if (route.config?.csrf === 'form')
      throw new Error(
        `Route ${[route.method].flat().join(', ')} ${route.url} is open to the shop's pages cross-origin and cannot declare csrf: 'form' (their calls carry no form token): drop it or move the route off the CORS paths (src/http/cors.ts)`,
      );
    for (const m of [route.method].flat()) needed.push(key(m, route.url));
  });
  app.addHook('onReady', async () => {
    const outside = needed.filter((k) => !scoped.has(k));
    if (outside.length > 0)
      throw new Error(
        `Cross-origin routes outside the CORS scope (src/http/routes.ts): ${outside.join(', ')}`,
      );
  });

  const allowed = new Set(allowedOrigins);
  /** The calling page's origin when it is one of the shop's, else undefined. */
  const shopOrigin = (req: FastifyRequest): string | undefined => {
    const origin = req.headers.origin;
    return origin !== undefined && allowed.has(origin) ? origin : undefined;
  };
  // Vary: Origin on every answer of a cross-origin route, so a cache never serves one origin's
  // answer (with or without Access-Control-Allow-Origin) to another.
  const actualRequest = (req: FastifyRequest, reply: FastifyReply, done: () => void): void => {
    void reply.header('vary', 'Origin');
    const origin = shopOrigin(req);
    if (origin !== undefined) void reply.header('access-control-allow-origin', origin);
    done();
  };

  const crossOrigin = async (scope: FastifyInstance): Promise<void> => {
    scope.addHook('onRoute', (route) => {
      for (const m of [route.method].flat()) scoped.add(key(m, route.url));
      if (route.method !== 'OPTIONS' && isCrossOrigin(route.url, route.config?.cors))
        addRouteHook(route, 'onRequest', actualRequest);
    });
    // Preflights, for every path (routes are global; this one answers only for cross-origin paths).
    scope.options('*', { config: { access: 'public' }, schema: { hide: true } }, async (req, reply) => {
      const origin = shopOrigin(req);
      const method = req.headers['access-control-request-method'];
      const path = req.url.split('?', 1)[0] ?? '';
      const granted = origin !== undefined && corsPathname(path) && ALLOWED_METHODS.some((m) => m === method);
      if (!granted) return reply.callNotFound();
      return reply
        .code(204)
        .header('vary', 'Origin')
        .header('access-control-allow-origin', origin)
        .header('access-control-allow-methods', ALLOWED_METHODS.join(', '))
        .header('access-control-allow-headers', ALLOWED_HEADERS)
        .header('access-control-max-age', String(PREFLIGHT_MAX_AGE))
        .send();
    });
    await register(scope);
  };
  await app.register(namedPlugin('cross-origin routes', crossOrigin));
}
