// What a route file exports: a function that adds its routes to the app, given the context and the
// services (the composition root's). Kept apart from the route list so route files never import it.
import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import type { Services } from '../app/services.js';
import type { VowContext } from '../modules/policy/index.js';

// biome-ignore lint/suspicious/noExplicitAny: Fastify's generic parameters differ per plugin
export type ZodApp = FastifyInstance<any, any, any, any, ZodTypeProvider>;
export type RouteModule = (app: ZodApp, ctx: VowContext, services: Services) => void | Promise<void>;
