// Hooks attached to single routes (from an onRoute hook) instead of the whole app, so a check runs
// only where it can matter and the other routes do not pay for it.
import type { FastifyRequest, RouteOptions } from 'fastify';

/** Adds a hook to one route (from an onRoute hook), after any the route declared itself. */
export function addRouteHook(
  route: RouteOptions,
  name: 'preValidation' | 'preHandler',
  hook: (req: FastifyRequest) => Promise<void>,
): void {
  const own = route[name];
  const list = own === undefined ? [] : Array.isArray(own) ? own : [own];
  route[name] = [...list, hook] as RouteOptions[typeof name];
}
