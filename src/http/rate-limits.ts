// Per-address rate limits (@fastify/rate-limit) by route class. Counters follow the injected
// clock; on PostgreSQL they live in the database, so a limit holds across several processes
// (src/scale/rate-limit-store.ts); on SQLite (one process) in memory. The per-account lock-outs in
// attempts.ts are store-backed and shared either way.
import fastifyRateLimit from '@fastify/rate-limit';
import type { FastifyInstance, FastifyRequest, RouteOptions } from 'fastify';
import type { Clock } from '../platform/clock.js';
import { sha256 } from '../platform/crypto/index.js';
import { VowError } from '../platform/errors.js';
import { databaseRateLimitStore } from '../platform/rate-limits/index.js';
import type { Store } from '../platform/store/index.js';
import { addRouteHook, routeConfig } from './route-hooks.js';

/** Named limits a route can ask for with `config: { limit: '…' }`. */
export const LIMIT_CLASSES = {
  /** Password logins (plus the per-account lock-out). */
  login: { max: 10, timeWindow: 60_000 },
  /** Entering a short verification code (plus the per-code lock-out). */
  code: { max: 10, timeWindow: 15 * 60_000 },
  /** Opening a data subject request or asking for a reset link. */
  request: { max: 10, timeWindow: 60 * 60_000 },
  /** Collection endpoints called from shoppers' browsers. */
  collection: { max: 60, timeWindow: 60_000 },
  /** Any other public write (the default for public POST/PUT/PATCH/DELETE routes). */
  write: { max: 120, timeWindow: 60_000 },
} as const;
export type LimitClass = keyof typeof LIMIT_CLASSES;

/** Per identifier (email, user name, token in the body), across all addresses. */
export const IDENTIFIER_LIMITS: Partial<Record<LimitClass, { max: number; timeWindow: number }>> = {
  login: { max: 20, timeWindow: 60 * 60_000 },
  code: { max: 10, timeWindow: 60 * 60_000 },
  request: { max: 5, timeWindow: 60 * 60_000 },
};

declare module 'fastify' {
  interface FastifyContextConfig {
    /** The rate limit class of this route; public writes default to `write`. `false` turns it off. */
    limit?: LimitClass | false;
  }
}

interface Counter {
  current: number;
  startMs: number;
}

/** A rate-limit store that reads the injected clock (tests move time instead of sleeping). */
function clockStore(clock: Clock) {
  return class ClockStore {
    readonly #counters = new Map<string, Counter>();
    incr(
      key: string,
      cb: (err: Error | null, res?: { current: number; ttl: number }) => void,
      timeWindow: number,
    ) {
      const now = clock.now().getTime();
      let c = this.#counters.get(key);
      if (!c || c.startMs + timeWindow <= now) {
        c = { current: 0, startMs: now };
        if (this.#counters.size > 100_000) this.#counters.clear();
        this.#counters.set(key, c);
      }
      c.current++;
      cb(null, { current: c.current, ttl: c.startMs + timeWindow - now });
    }
    child() {
      return new ClockStore();
    }
  };
}

const UNSAFE = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);

/**
 * Classes for public writes of other modules that did not name one: verification codes, request
 * intake, browser collection. Checked in order; the first matching pattern wins.
 */
const PATH_CLASSES: readonly [RegExp, LimitClass][] = [
  [/\/verify$|^\/privacy\/request\/status\//, 'code'],
  [/^\/v1\/requests$|^\/privacy\/request$|^\/v1\/complaints$/, 'request'],
  [/^\/v1\/collect$|^\/v1\/consent\/|^\/v1\/experiments\//, 'collection'],
];

/** The limit class of a route: its own `config.limit`, else by path for public writes. */
export function limitClassOf(
  url: string,
  access: string | undefined,
  methods: readonly string[],
  own?: LimitClass | false,
): LimitClass | undefined {
  if (own !== undefined) return own || undefined;
  if (access !== 'public' || !methods.some((m) => UNSAFE.has(m))) return undefined;
  return PATH_CLASSES.find(([re]) => re.test(url))?.[1] ?? 'write';
}

/** Turns each route's `limit` (or the public-write default) into a rate-limit configuration. */
export async function installRateLimits(
  app: FastifyInstance,
  clock: Clock,
  enabled: boolean,
  /** On PostgreSQL the counts live in the database, shared by every process (src/scale). */
  shared?: Store,
): Promise<void> {
  app.addHook('onRoute', (route: RouteOptions) => {
    const config = (route.config ?? {}) as {
      access?: string;
      limit?: LimitClass | false;
      rateLimit?: unknown;
      limitClass?: LimitClass;
    };
    const methods = (Array.isArray(route.method) ? route.method : [route.method]).map(String);
    const cls = limitClassOf(route.url, config.access, methods, config.limit);
    if (!enabled || !cls) {
      config.rateLimit = false;
    } else {
      config.rateLimit = { ...LIMIT_CLASSES[cls] };
      config.limitClass = cls;
    }
    route.config = config as RouteOptions['config'];
    // Only the routes whose class also limits per identifier pay for that check.
    if (enabled && cls && IDENTIFIER_LIMITS[cls]) addRouteHook(route, 'preHandler', identifierLimit);
  });
  // Per identifier: the same email may not be used for more than a few requests, codes or
  // reset links whatever the address they come from (no mail-bombing, no distributed guessing).
  const perIdentifier = new (clockStore(clock))();
  const identifierLimit = async (req: FastifyRequest): Promise<void> => {
    const config = routeConfig(req) as { limitClass?: LimitClass; url?: string } | undefined;
    const cls = config?.limitClass;
    const limit = cls ? IDENTIFIER_LIMITS[cls] : undefined;
    const body = req.body as Record<string, unknown> | null | undefined;
    if (!limit || !body || typeof body !== 'object') return;
    for (const field of ['email', 'username', 'token'] as const) {
      const value = body[field];
      if (typeof value !== 'string' || value === '') continue;
      const key = `${cls}:${config?.url}:${field}:${sha256(value.trim().toLowerCase())}`;
      const current = await new Promise<{ current: number; ttl: number }>((resolve) =>
        perIdentifier.incr(key, (_e, r) => resolve(r!), limit.timeWindow),
      );
      if (current.current > limit.max) {
        const seconds = Math.ceil(current.ttl / 1000);
        throw new VowError(
          'VOW_RATE_LIMITED',
          `Too many attempts for this ${field}; retry in ${seconds} seconds`,
          {
            retryAfterSeconds: seconds,
          },
        );
      }
    }
  };
  await app.register(fastifyRateLimit, {
    global: false,
    store: (shared?.dialect === 'postgres'
      ? databaseRateLimitStore(shared, clock)
      : clockStore(clock)) as never,
    errorResponseBuilder: (_req, ctx) =>
      new VowError('VOW_RATE_LIMITED', `Too many requests; retry in ${Math.ceil(ctx.ttl / 1000)} seconds`, {
        retryAfterSeconds: Math.ceil(ctx.ttl / 1000),
      }),
  });
}
