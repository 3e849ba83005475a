// CORS only for the shop's own origins (VOW_ALLOWED_ORIGINS) and only on the collection and consent
// endpoints: every other route answers cross-origin browsers without any Access-Control header.
import fastifyCors from '@fastify/cors';
import type { FastifyInstance, FastifyRequest } from 'fastify';

/** Paths open to cross-origin calls besides routes declaring `config: { cors: true }`. */
export const CORS_PATH_PREFIXES = ['/v1/collect', '/v1/collections', '/v1/consent', '/consent'] as const;

function corsPath(req: FastifyRequest): boolean {
  if (req.routeOptions.config?.cors === true) return true;
  const path = req.url.split('?')[0] ?? '';
  return CORS_PATH_PREFIXES.some((p) => path === p || path.startsWith(`${p}/`));
}

export async function installCors(app: FastifyInstance, allowedOrigins: readonly string[]): Promise<void> {
  const allowed = new Set(allowedOrigins);
  await app.register(fastifyCors, {
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
}
