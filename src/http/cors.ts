// CORS only for the shop's own origins (VOW_ALLOWED_ORIGINS) and only on the collection and consent
// endpoints: every other route answers cross-origin browsers without any Access-Control header.
// The CORS hook is installed in one scope holding the route modules that serve browsers on the
// shop's pages; the other routes (the shop backend's API, the console) never run it. A route that
// would be cross-origin but sits outside that scope stops the start (checked when the app is ready).
import fastifyCors from '@fastify/cors';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { routeConfig } from './route-hooks.js';

/** Paths open to cross-origin calls besides routes declaring `config: { cors: true }`. */
export const CORS_PATH_PREFIXES = ['/v1/collect', '/v1/collections', '/v1/consent', '/consent'] as const;

function corsPathname(path: string): boolean {
  return CORS_PATH_PREFIXES.some((p) => path === p || path.startsWith(`${p}/`));
}

function corsPath(req: FastifyRequest): boolean {
  if (routeConfig(req)?.cors === true) return true;
  return corsPathname(req.url.split('?')[0] ?? '');
}

/**
 * Registers `register` (the cross-origin route modules) in a scope with the CORS hook, and checks
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
  app.addHook('onRoute', (route) => {
    if (route.config?.cors === true || corsPathname(route.url))
      for (const m of [route.method].flat()) needed.push(key(m, route.url));
  });
  app.addHook('onReady', async () => {
    const outside = needed.filter((k) => !scoped.has(k));
    if (outside.length > 0)
      throw new Error(
        `Cross-origin routes outside the CORS scope (src/http/routes/index.ts): ${outside.join(', ')}`,
      );
  });
  const allowed = new Set(allowedOrigins);
  await app.register(async (scope) => {
    scope.addHook('onRoute', (route) => {
      for (const m of [route.method].flat()) scoped.add(key(m, route.url));
    });
    await scope.register(fastifyCors, {
      hideOptionsRoute: true,
      delegator: (req, cb) => {
        const origin = req.headers.origin;
        const ok = typeof origin === 'string' && allowed.has(origin) && corsPath(req);
        cb(null, {
          origin: ok ? origin : false,
          methods: ['GET', 'POST'],
          allowedHeaders: ['content-type', 'authorization'],
          credentials: false,
          maxAge: 600,
        });
      },
    });
    await register(scope);
  });
}
