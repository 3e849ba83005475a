// The scope an API key needs for each route it can reach, from the route's family (its first OpenAPI
// tag), in this one table: a route file says only `access: 'service'`. A route family missing here
// stops Vow at start (as API_FAMILIES does), and so does a `service` route whose family gives keys
// no scope: opening a staff family to API keys means choosing its scope here first. Each such route
// shows its scope in /openapi.json as `x-vow-scope`; a key without it is answered VOW_SCOPE_MISSING.
import type { FastifyInstance, RouteOptions } from 'fastify';
import { API_SCOPE_LABELS, type ApiScope, scopeBit } from '../modules/identity/index.js';
import { API_FAMILIES } from './openapi-errors.js';

/** A scope a route can need (`all` is what a key holds, never what a route asks). */
export type RouteScope = Exclude<ApiScope, 'all'>;

/**
 * The scope of each route family's API-key routes; null: no route of the family is for API keys
 * (staff, shoppers or the public only). The shop's systems, least privilege first: a storefront
 * holds `collect`, a warehouse `disclose`, a CRM or email tool `marketing`, its provider's webhooks
 * `feedback`, an analytics relay `decide`, a Prometheus scraper `metrics`.
 */
export const FAMILY_SCOPES: Readonly<Record<string, RouteScope | null>> = {
  accounts: null,
  audit: null,
  collection: 'collect',
  complaints: null,
  consent: 'marketing',
  cookies: null,
  'cookie-consent': null,
  datasets: null,
  decisions: 'decide',
  disclosures: 'disclose',
  experiments: null,
  imports: null,
  incidents: null,
  meta: 'metrics',
  policy: null,
  promises: null,
  reports: null,
  rights: null,
  staff: null,
  subjects: null,
  webhooks: null,
};

/**
 * Routes whose scope is not their family's, by `METHOD url`: the consent family's webhooks for a
 * mail or SMS provider, which must not be able to export the audiences the family's other routes do;
 * and the collection forms' untagged catch-all (the answer for a form the policy does not declare).
 */
export const ROUTE_SCOPES: Readonly<Record<string, RouteScope>> = {
  'POST /v1/collection-points/:id/submissions': 'collect',
  'POST /v1/mail/feedback': 'feedback',
  'POST /v1/sms/inbound': 'feedback',
};

declare module 'fastify' {
  interface FastifyContextConfig {
    /** The scope an API key needs for this route (`service` routes only; set by scopes.ts). */
    scope?: RouteScope;
    /** That scope's bit (scopeBit), tested against the key's mask on each request. */
    scopeBit?: number;
  }
}

/** The scope a route needs from an API key (null: the route's family gives keys none). */
export function scopeOf(method: string, url: string, family: string): RouteScope | null {
  return ROUTE_SCOPES[`${method} ${url}`] ?? FAMILY_SCOPES[family] ?? null;
}

/**
 * Gives each `service` route its scope as it is registered (its config, and `x-vow-scope` for
 * /openapi.json), and stops Vow at start when a family or a `service` route has none.
 */
export function assignScopes(app: FastifyInstance): void {
  for (const family of API_FAMILIES)
    if (!(family in FAMILY_SCOPES))
      throw new Error(
        `Route family "${family}": give it a scope (or null) in FAMILY_SCOPES (src/http/scopes.ts)`,
      );
  for (const scope of [...Object.values(FAMILY_SCOPES), ...Object.values(ROUTE_SCOPES)])
    if (scope !== null && !(scope in API_SCOPE_LABELS)) throw new Error(`Unknown API key scope ${scope}`);
  app.addHook('onRoute', (route: RouteOptions) => {
    const url = route.url ?? '';
    const schema = route.schema as Record<string, unknown> | undefined;
    const family = ((schema?.tags as string[] | undefined) ?? [])[0];
    // The /v1 API's families, as API_FAMILIES knows them (pages have tags of their own).
    if (url.startsWith('/v1/') && family !== undefined && !(family in FAMILY_SCOPES))
      throw new Error(
        `Route ${String(route.method)} ${url}: add its family "${family}" to FAMILY_SCOPES (src/http/scopes.ts)`,
      );
    if (route.config?.access !== 'service') return;
    const methods = (Array.isArray(route.method) ? route.method : [route.method]).map(String);
    const method = methods.find((m) => m !== 'HEAD') ?? methods[0]!;
    const scope = scopeOf(method, url, family ?? '');
    if (scope === null)
      throw new Error(
        `Route ${method} ${url} is for API keys but its family "${family ?? '(no tag)'}" gives them no scope: choose one in FAMILY_SCOPES (src/http/scopes.ts)`,
      );
    route.config = { ...route.config, scope, scopeBit: scopeBit(scope) };
    if (schema) schema['x-vow-scope'] = scope;
  });
}
