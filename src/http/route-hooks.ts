// Hooks attached to single routes (from an onRoute hook) instead of the whole app, so a check runs
// only where it can matter and the other routes do not pay for it.
import type {
  FastifyContextConfig,
  FastifyInstance,
  FastifyReply,
  FastifyRequest,
  RouteOptions,
} from 'fastify';

/** A route's config as Fastify keeps it (with the route's url pattern and method). */
export type RouteConfig = FastifyContextConfig & { readonly url?: string };

declare module 'fastify' {
  interface FastifyRequest {
    /** The matched route's config, read once (see routeConfig). */
    vowRouteConfig: RouteConfig | undefined | null;
  }
}

/** Declares the per-request slot routeConfig fills (once per app, before any hook reads it). */
export function decorateRouteConfig(app: FastifyInstance): void {
  if (!app.hasRequestDecorator('vowRouteConfig')) app.decorateRequest('vowRouteConfig', null);
}

/**
 * The matched route's config (access, limits, url pattern). Fastify's `request.routeOptions` builds
 * a new object on every read; several hooks read it on every request, so it is read once here.
 * Undefined for unmatched requests (404).
 */
export function routeConfig(req: FastifyRequest): RouteConfig | undefined {
  if (req.vowRouteConfig === null || req.vowRouteConfig === undefined)
    req.vowRouteConfig = req.routeOptions.config;
  return req.vowRouteConfig ?? undefined;
}

/** A hook added to one route: a promise-returning check, or (onRequest) a callback-style one. */
type RouteHook<N> = N extends 'onRequest'
  ? (req: FastifyRequest, reply: FastifyReply, done: () => void) => void
  : (req: FastifyRequest) => Promise<void>;

/** Adds a hook to one route (from an onRoute hook), after any the route declared itself. */
export function addRouteHook<N extends 'onRequest' | 'preValidation' | 'preHandler'>(
  route: RouteOptions,
  name: N,
  hook: RouteHook<N>,
): void {
  const own = route[name];
  const list = own === undefined ? [] : Array.isArray(own) ? own : [own];
  route[name] = [...list, hook] as RouteOptions[typeof name];
}

/**
 * The request body's media type, lower-cased and without parameters (`Application/JSON; charset=x`
 * is `application/json`): media types compare case-insensitively (RFC 9110 8.3.1).
 */
export function mediaTypeOf(req: FastifyRequest): string {
  const header = req.headers['content-type'];
  if (typeof header !== 'string') return '';
  return (header.split(';', 1)[0] ?? '').trim().toLowerCase();
}
