// Reading /openapi.json in the documentation tests: the shape of the parts they look at, a Fastify
// route's address as an OpenAPI path template, and the template an address (a concrete one, or one
// written in the docs with `$ID`, `<id>`, `{id}` or `…` for a segment) belongs to.

export interface OpenApiResponse {
  readonly description?: string;
  readonly content?: Record<string, { readonly schema?: { readonly $ref?: string } }>;
}

export interface OpenApiOperation {
  readonly requestBody?: unknown;
  readonly parameters?: readonly { readonly in: string; readonly name: string }[];
  readonly responses: Record<number, OpenApiResponse>;
}

export interface OpenApi {
  readonly paths: Record<string, Record<string, OpenApiOperation>>;
}

/** `/v1/staff/requests/:id/deny` as OpenAPI writes it: `/v1/staff/requests/{id}/deny`. */
export function templateOf(url: string): string {
  return url.replace(/:(\w+)/g, '{$1}');
}

/** A segment of an address as written in the docs that stands for any value. */
const PLACEHOLDER = /[$<{…*]/;

/** The path template of `paths` an address belongs to (its query string ignored), or undefined. */
export function operationOf(paths: Readonly<Record<string, unknown>>, address: string): string | undefined {
  const segments = address.split('?')[0]!.replace(/\/$/, '').split('/');
  let best: string | undefined;
  for (const template of Object.keys(paths)) {
    const parts = template.split('/');
    if (parts.length !== segments.length) continue;
    const fits = parts.every(
      (p, i) => p === segments[i] || p.startsWith('{') || PLACEHOLDER.test(segments[i]!),
    );
    // A fixed segment wins over a parameter (/v1/webhooks/deliveries over /v1/webhooks/{id}).
    if (fits && (!best || fixedCount(template) > fixedCount(best))) best = template;
  }
  return best;
}

function fixedCount(template: string): number {
  return template.split('/').filter((p) => !p.startsWith('{')).length;
}
