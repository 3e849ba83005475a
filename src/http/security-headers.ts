// The headers helmet sets, computed once at start instead of on every request. helmet is the
// dependency of @fastify/helmet (resolved from there, so it is always the version it ships with).
import { createRequire } from 'node:module';

type HelmetMiddleware = (req: unknown, res: unknown, next: (err?: unknown) => void) => void;

export function helmetHeaders(options: Record<string, unknown>): Readonly<Record<string, string>> {
  const local = createRequire(import.meta.url);
  const helmet = createRequire(local.resolve('@fastify/helmet'))('helmet') as (
    o: unknown,
  ) => HelmetMiddleware;
  const headers: Record<string, string> = {};
  const res = {
    setHeader: (name: string, value: unknown) => {
      headers[name.toLowerCase()] = String(value);
    },
    removeHeader: (name: string) => {
      delete headers[name.toLowerCase()];
    },
  };
  helmet(options)({ headers: {} }, res, (err) => {
    if (err) throw err;
  });
  if (!headers['content-security-policy']) throw new Error('helmet set no Content-Security-Policy');
  return Object.freeze(headers);
}
