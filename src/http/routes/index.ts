// Every route module, in registration order. Each domain adds one line.
import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import type { VowContext } from '../../context.js';
import type { Services } from '../../services.js';
import { decisionRoutes } from './decisions.js';
import { healthRoutes } from './health.js';
import { policyRoutes } from './policy.js';

// biome-ignore lint/suspicious/noExplicitAny: Fastify's generic parameters differ per plugin
export type ZodApp = FastifyInstance<any, any, any, any, ZodTypeProvider>;
export type RouteModule = (app: ZodApp, ctx: VowContext, services: Services) => void | Promise<void>;

export const ROUTES: readonly RouteModule[] = [healthRoutes, policyRoutes, decisionRoutes];
