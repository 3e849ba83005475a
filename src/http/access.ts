// Every route declares who may call it; a route without a declaration is refused at start-up.
import type { FastifyInstance } from 'fastify';

/**
 * Who may call a route:
 * - `public`: anyone (shopper pages, the notice, health, the consent script).
 * - `service`: the retailer's own backend (collection, decisions, disclosures).
 * - `shopper`: a logged-in account holder, for their own data only.
 * - `staff:<role>`: a staff member holding that role (or the privacy officer).
 */
export type Access = 'public' | 'service' | 'shopper' | `staff:${string}`;

declare module 'fastify' {
  interface FastifyContextConfig {
    access?: Access;
  }
}

export function requireAccessDeclarations(app: FastifyInstance): void {
  app.addHook('onRoute', (route) => {
    const url = route.url ?? route.path;
    // Fastify's own HEAD twins of GET routes inherit the GET route's config.
    if (route.config?.access === undefined) {
      throw new Error(
        `Route ${String(route.method)} ${url} declares no access (config.access); deny by default`,
      );
    }
  });
}
