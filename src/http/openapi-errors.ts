// The error answers of every /v1 route in /openapi.json. Each route is given, next to its own success
// schemas, the statuses it can fail with and the codes behind each (from the error registry): the
// platform's (validation, size, media type, credentials, roles, limits, storage,
// unexpected) as the route's shape makes them possible, and the domain codes the route declares it
// raises (`schema.errors`, next to its schemas). Every answer has the one error body (docs/errors.md).
// With the guard on (the test runner turns it on), a /v1 answer whose code is not in its route's list
// fails loudly, so the whole suite proves that no route answers an undocumented code.
import { appendFileSync } from 'node:fs';
import type { FastifyInstance, RouteOptions } from 'fastify';
import { z } from 'zod';
import { ERROR_CODES } from '../app/error-registry.js';
import type { ErrorCode } from '../platform/errors.js';

declare module 'fastify' {
  interface FastifySchema {
    /**
     * The domain codes this route raises (its module's refusals), beyond the platform's that its
     * shape makes possible (errorCodesOf). Read and removed as the route is registered.
     */
    errors?: readonly ErrorCode[];
  }
}

/**
 * The /v1 route families, by a route's first OpenAPI tag. A route with a tag not listed here stops
 * Vow at start, so a new family is added here (and given its API-key scope, src/http/scopes.ts).
 */
export const API_FAMILIES: readonly string[] = [
  'accounts',
  'audit',
  'collection',
  'complaints',
  'consent',
  'cookies',
  'cookie-consent',
  'datasets',
  'decisions',
  'disclosures',
  'experiments',
  'imports',
  'incidents',
  'policy',
  'promises',
  'reports',
  'rights',
  'staff',
  'subjects',
  'webhooks',
];

/** The one error body of every failure. */
export const errorBodySchema = z
  .object({
    error: z.object({
      code: z.string().describe('A stable code (VOW_…), listed with what to do in docs/errors.md'),
      message: z.string(),
      details: z.unknown().optional(),
    }),
  })
  // One component (#/components/schemas/VowError) that every error answer refers to.
  .meta({ id: 'VowError' });

/** The codes a route can answer with: the platform's by its shape, then the route's own. */
export function errorCodesOf(route: {
  readonly method: string;
  readonly access: string;
  readonly hasBody: boolean;
  readonly hasInput: boolean;
  readonly hasParams: boolean;
  readonly limited: boolean;
  /** The route's own domain codes (`schema.errors`); undeclared, none. */
  readonly declared?: readonly ErrorCode[] | undefined;
}): ErrorCode[] {
  const codes: ErrorCode[] = [];
  if (route.hasInput) codes.push('VOW_VALIDATION');
  // Fastify reads a body sent to any method but GET, a route without a body schema too.
  if (route.hasBody || route.method !== 'GET')
    codes.push('VOW_BAD_JSON', 'VOW_BODY_TOO_LARGE', 'VOW_UNSUPPORTED_MEDIA_TYPE');
  if (route.access !== 'public') codes.push('VOW_UNAUTHENTICATED', 'VOW_FORBIDDEN');
  // An API key without the route's scope (src/http/scopes.ts).
  if (route.access === 'service') codes.push('VOW_SCOPE_MISSING');
  if (route.access.startsWith('staff:')) codes.push('VOW_PASSWORD_CHANGE_REQUIRED');
  if ((route.access === 'shopper' || route.access.startsWith('staff:')) && route.method !== 'GET')
    codes.push('VOW_CSRF');
  if (route.hasParams) codes.push('VOW_NOT_FOUND');
  if (route.limited) codes.push('VOW_RATE_LIMITED');
  // The refusals of the parts of Vow the route calls on, as it declares them. A 500 of a part (a
  // policy file that does not load, a key that is missing) is a fault of the installation, answered
  // as VOW_INTERNAL.
  codes.push(...(route.declared ?? []));
  codes.push('VOW_INTERNAL', 'VOW_DATABASE_UNAVAILABLE', 'VOW_STORAGE_READ_ONLY');
  return [...new Set(codes)];
}

/** The OpenAPI responses of those codes, by status: each lists its codes. */
export function errorResponses(codes: readonly ErrorCode[]): Record<number, unknown> {
  const byStatus = new Map<number, ErrorCode[]>();
  for (const code of codes) {
    const status = ERROR_CODES[code]!.status;
    byStatus.set(status, [...(byStatus.get(status) ?? []), code]);
  }
  const out: Record<number, unknown> = {};
  for (const [status, list] of [...byStatus].sort(([a], [b]) => a - b))
    out[status] = {
      // The codes only: what each means and what to do is in docs/errors.md (the document stays small).
      description: `${list.join(', ')} (docs/errors.md)`,
      content: { 'application/json': { schema: errorBodySchema } },
    };
  return out;
}

/**
 * The guard on undocumented codes: `true` fails loudly (the answer becomes a 500 naming the route and
 * the code, and the process exits non-zero), a file name records each miss there instead (to find
 * a new route's codes), `false` is off. The test runner sets VOW_TEST_ERROR_CODES=1.
 */
export type ErrorCodeGuard = boolean | string;

/** The guard as VOW_TEST_ERROR_CODES sets it: unset or 0 is off, 1 is on, anything else a file. */
export function errorCodeGuardOf(value: string | undefined): ErrorCodeGuard {
  return value === undefined || value === '' || value === '0' ? false : value === '1' ? true : value;
}

/** An answer's error code, read from its JSON body (undefined: not the error body). */
function codeOfPayload(payload: unknown): string | undefined {
  if (typeof payload !== 'string' || !payload.startsWith('{"error"')) return undefined;
  try {
    const code = (JSON.parse(payload) as { error?: { code?: unknown } }).error?.code;
    return typeof code === 'string' ? code : undefined;
  } catch {
    return undefined;
  }
}

/**
 * Adds the error answers to each /v1 route's response schemas as it is registered (before
 * @fastify/swagger reads them). A status the route documents itself is left as it is. With the
 * guard on, checks every /v1 error answer's code against its route's list.
 */
export function documentErrorAnswers(app: FastifyInstance, guard: ErrorCodeGuard = false): void {
  const documented = new Map<string, ReadonlySet<string>>();
  /** Each route's documented success statuses (a 2xx it answers must be one of them). */
  const successes = new Map<string, ReadonlySet<number>>();
  if (guard !== false)
    app.addHook('onSend', (req, reply, payload, done) => {
      const url = req.routeOptions.url;
      const status = reply.statusCode;
      if (url === undefined || !url.startsWith('/v1/') || (status >= 300 && status < 400))
        return done(null, payload);
      const method = req.method === 'HEAD' ? 'GET' : req.method;
      const key = `${method} ${url}`;
      let miss: string;
      if (status < 300) {
        const ok = successes.get(key);
        if (ok === undefined || ok.size === 0 || ok.has(status)) return done(null, payload);
        miss = `${key} answered ${status}, which its responses in /openapi.json lack`;
      } else {
        const codes = documented.get(key);
        const code = codeOfPayload(payload);
        if (codes === undefined || code === undefined || codes.has(code)) return done(null, payload);
        miss = `${key} answered ${code}, which its list in /openapi.json lacks (schema.errors)`;
      }
      if (guard !== true) {
        appendFileSync(guard, `${miss}\n`);
        return done(null, payload);
      }
      console.error(`\n!!! UNDOCUMENTED ERROR CODE: ${miss}\n`);
      process.exitCode = 1;
      void reply.code(500);
      done(
        null,
        JSON.stringify({ error: { code: 'VOW_INTERNAL', message: `Undocumented error code: ${miss}` } }),
      );
    });
  app.addHook('onRoute', (route: RouteOptions) => {
    const url = route.url;
    const schema = route.schema as Record<string, unknown> | undefined;
    // The declaration is read here and removed (it is no schema @fastify/swagger knows).
    const declared = schema?.errors as readonly ErrorCode[] | undefined;
    if (schema) delete schema.errors;
    if (!url.startsWith('/v1/') || !schema || schema.hide || route.method === 'HEAD') return;
    const tags = (schema.tags as string[] | undefined) ?? [];
    const family = tags[0] ?? '';
    if (!API_FAMILIES.includes(family))
      throw new Error(`Route ${String(route.method)} ${url}: add its tag "${family}" to API_FAMILIES`);
    const methods = (Array.isArray(route.method) ? route.method : [route.method]).map(String);
    for (const code of declared ?? [])
      if (!(code in ERROR_CODES))
        throw new Error(`Route ${methods[0]} ${url}: ${code} is not a registered code`);
    const codes = errorCodesOf({
      method: methods[0]!,
      access: String(route.config?.access ?? 'public'),
      hasBody: schema.body !== undefined,
      hasInput: schema.body !== undefined || schema.querystring !== undefined || schema.params !== undefined,
      hasParams: schema.params !== undefined,
      limited:
        (route.config as { limit?: unknown } | undefined)?.limit !== undefined ||
        (route.config?.access === 'public' && methods.some((m) => m !== 'GET')),
      declared,
    });
    const ok = new Set(
      Object.keys((schema.response as object | undefined) ?? {})
        .map(Number)
        .filter((s) => s < 300),
    );
    for (const method of methods) {
      documented.set(`${method} ${url}`, new Set(codes));
      successes.set(`${method} ${url}`, ok);
    }
    schema.response = { ...errorResponses(codes), ...((schema.response as object | undefined) ?? {}) };
  });
}
