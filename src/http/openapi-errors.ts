// The error answers of every /v1 route in /openapi.json. Each route is given, next to its own success
// schemas, the statuses it can fail with and the codes behind each (from the error registry): the
// platform's (validation, size, media type, credentials, roles, limits, storage,
// unexpected) as the route's shape makes them possible, and the codes of the parts of Vow its family
// (its first tag) calls on. Every answer has the one error body (docs/errors.md).
import type { FastifyInstance, RouteOptions } from 'fastify';
import { z } from 'zod';
import { ERROR_CODE_OWNERS, ERROR_CODES } from '../app/error-registry.js';
import type { ErrorCode } from '../platform/errors.js';

type Owner = keyof typeof ERROR_CODE_OWNERS;

/**
 * The parts of Vow whose codes a route family answers with, by the route's first OpenAPI tag. A route
 * with a tag not listed here stops Vow at start, so a new family is mapped when it is added.
 */
export const FAMILY_OWNERS: Readonly<Record<string, readonly Owner[]>> = {
  accounts: ['identity', 'datasets'],
  audit: [],
  collection: ['collection', 'subjects', 'policy', 'consent'],
  complaints: ['complaints'],
  consent: ['consent', 'subjects', 'policy', 'crypto'],
  cookies: ['cookie-consent', 'consent'],
  'cookie-consent': ['cookie-consent', 'consent'],
  datasets: ['datasets'],
  decisions: ['policy', 'subjects'],
  disclosures: ['disclosures', 'policy', 'subjects', 'crypto'],
  experiments: ['experiments'],
  imports: ['imports'],
  policy: [],
  promises: ['promises'],
  reports: ['reports'],
  rights: ['rights', 'subjects', 'policy', 'datasets', 'crypto'],
  staff: ['identity'],
  subjects: ['subjects'],
  webhooks: ['downstream'],
};

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

/** The codes a route can answer with: the platform's by its shape, then its family's. */
export function errorCodesOf(route: {
  readonly method: string;
  readonly access: string;
  readonly hasBody: boolean;
  readonly hasInput: boolean;
  readonly hasParams: boolean;
  readonly limited: boolean;
  readonly family: string;
}): ErrorCode[] {
  const codes: ErrorCode[] = [];
  if (route.hasInput) codes.push('VOW_VALIDATION');
  if (route.hasBody) codes.push('VOW_BAD_JSON', 'VOW_BODY_TOO_LARGE', 'VOW_UNSUPPORTED_MEDIA_TYPE');
  if (route.access !== 'public') codes.push('VOW_UNAUTHENTICATED', 'VOW_FORBIDDEN');
  // An API key without the route's scope (src/http/scopes.ts).
  if (route.access === 'service') codes.push('VOW_SCOPE_MISSING');
  if (route.access.startsWith('staff:')) codes.push('VOW_PASSWORD_CHANGE_REQUIRED');
  if ((route.access === 'shopper' || route.access.startsWith('staff:')) && route.method !== 'GET')
    codes.push('VOW_CSRF');
  if (route.hasParams) codes.push('VOW_NOT_FOUND');
  if (route.limited) codes.push('VOW_RATE_LIMITED');
  // A 500 of a part (a policy file that does not load, a key that is missing) is a fault of the
  // installation, answered as VOW_INTERNAL; the others are answers a caller can act on. A missing
  // scope is an API key's alone (above), not an answer of the identity family's staff routes.
  for (const owner of FAMILY_OWNERS[route.family] ?? [])
    for (const [code, spec] of Object.entries(ERROR_CODE_OWNERS[owner]))
      if (spec.status !== 500 && code !== 'VOW_SCOPE_MISSING') codes.push(code as ErrorCode);
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
 * Adds the error answers to each /v1 route's response schemas as it is registered (before
 * @fastify/swagger reads them). A status the route documents itself is left as it is.
 */
export function documentErrorAnswers(app: FastifyInstance): void {
  app.addHook('onRoute', (route: RouteOptions) => {
    const url = route.url;
    const schema = route.schema as Record<string, unknown> | undefined;
    if (!url.startsWith('/v1/') || !schema || schema.hide || route.method === 'HEAD') return;
    const tags = (schema.tags as string[] | undefined) ?? [];
    const family = tags[0] ?? '';
    if (!(family in FAMILY_OWNERS))
      throw new Error(`Route ${String(route.method)} ${url}: add its tag "${family}" to FAMILY_OWNERS`);
    const methods = (Array.isArray(route.method) ? route.method : [route.method]).map(String);
    const codes = errorCodesOf({
      method: methods[0]!,
      access: String(route.config?.access ?? 'public'),
      hasBody: schema.body !== undefined,
      hasInput: schema.body !== undefined || schema.querystring !== undefined || schema.params !== undefined,
      hasParams: schema.params !== undefined,
      limited:
        (route.config as { limit?: unknown } | undefined)?.limit !== undefined ||
        (route.config?.access === 'public' && methods.some((m) => m !== 'GET')),
      family,
    });
    schema.response = { ...errorResponses(codes), ...((schema.response as object | undefined) ?? {}) };
  });
}
