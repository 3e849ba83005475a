// Per-address rate limits (@fastify/rate-limit) by route class. Counters follow the injected
// clock; on PostgreSQL they live in the database, so a limit holds across several processes
// (src/scale/rate-limit-store.ts); on SQLite (one process) in memory. The limits per account and
// per email address (log-ins, codes, mail to an address) are store-backed and shared either way
// (src/modules/identity/attempts.ts).
import fastifyRateLimit from '@fastify/rate-limit';
import type { FastifyInstance, FastifyRequest, RouteOptions } from 'fastify';
import { clientUnit } from '../platform/client-address.js';
import type { Clock } from '../platform/clock.js';
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
  /**
   * Collection endpoints called from shoppers' browsers (measurements, banner choices, experiment
   * exposures): per visitor (the consent cookie's random id in the body), so shoppers sharing one
   * address (an office, a mobile carrier, a proxy Vow is not told to trust) are limited apart; a
   * request without a visitor id counts against its address. See COLLECTION_ADDRESS_CEILING.
   */
  collection: { max: 60, timeWindow: 60_000 },
  /** Any other public write (the default for public POST/PUT/PATCH/DELETE routes). */
  write: { max: 120, timeWindow: 60_000 },
} as const;
export type LimitClass = keyof typeof LIMIT_CLASSES;

/**
 * Every collection request of one address, whatever visitor ids it carries: a shop's real traffic
 * through one untrusted proxy passes (100 shoppers sending 30 measurements a minute each is 3,000),
 * a flood from one address (or one address inventing visitor ids) does not.
 */
export const COLLECTION_ADDRESS_CEILING = { max: 6000, timeWindow: 60_000 } as const;

/** The consent cookie's random id, as the collection routes accept it. */
const VISITOR_ID = /^[A-Za-z0-9_-]{22}$/;

/** The visitor a collection request is for (its body's `visitor`), or undefined. */
function visitorOf(req: FastifyRequest): string | undefined {
  const body = req.body as { visitor?: unknown } | null | undefined;
  const v = body && typeof body === 'object' ? body.visitor : undefined;
  return typeof v === 'string' && VISITOR_ID.test(v) ? v : undefined;
}

/** Per visitor when the body names one, else per address (with the address ceiling's room). */
const collectionLimit = {
  ...LIMIT_CLASSES.collection,
  // After the body is parsed: the visitor id travels in it (never in the URL or a cookie).
  hook: 'preValidation',
  keyGenerator: (req: FastifyRequest) => {
    const visitor = visitorOf(req);
    return visitor ? `visitor:${visitor}` : `address:${clientUnit(req.ip)}`;
  },
  max: (_req: FastifyRequest, key: string) =>
    key.startsWith('visitor:') ? LIMIT_CLASSES.collection.max : COLLECTION_ADDRESS_CEILING.max,
} as const;

declare module 'fastify' {
  interface FastifyContextConfig {
    /** The rate limit class of this route; public writes default to `write`. `false` turns it off. */
    limit?: LimitClass | false;
    /**
     * A public route that mails the address in this body field (a code, a confirmation, a reset
     * link): every such route spends from one budget per address (MAIL_BUDGET in the identity
     * module's attempts store), whatever the route and the caller's address.
     */
    mailsTo?: 'email';
  }
}

/**
 * Spends one message of the mail budget of the mailbox an address (as written) delivers to; throws
 * VOW_RATE_LIMITED once it is spent.
 */
export type MailBudget = (email: string) => Promise<void>;

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
  [/^\/v1\/requests$|^\/privacy\/request$|^\/v1\/complaints$|^\/privacy\/complaint$/, 'request'],
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
  /** The per-address mail budget of the routes marked `mailsTo` (store-backed, shared by processes). */
  mailBudget?: MailBudget,
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
    } else if (cls === 'collection') {
      config.rateLimit = { ...collectionLimit };
      config.limitClass = cls;
      addRouteHook(route, 'preValidation', enforceAddressCeiling);
    } else {
      config.rateLimit = { ...LIMIT_CLASSES[cls] };
      config.limitClass = cls;
    }
    route.config = config as RouteOptions['config'];
    // Only the routes that mail an address pay for its budget.
    if (enabled && mailBudget && (route.config as { mailsTo?: string } | undefined)?.mailsTo)
      addRouteHook(route, 'preHandler', spendMailBudget);
  });
  // One budget per email address across every route that mails it: no mail-bombing a victim by
  // spreading the messages over several forms or many addresses.
  const spendMailBudget = async (req: FastifyRequest): Promise<void> => {
    const field = (routeConfig(req) as { mailsTo?: 'email' } | undefined)?.mailsTo;
    const body = req.body as Record<string, unknown> | null | undefined;
    const value = field && body && typeof body === 'object' ? body[field] : undefined;
    // Counted by the mailbox the address delivers to (`ann+1@` and `ann+2@` share `ann@`'s budget;
    // the callback keys it by mailboxOf and links the address as written to it).
    if (typeof value === 'string' && value.trim() !== '') await mailBudget?.(value);
  };
  let addressCeiling: ReturnType<FastifyInstance['createRateLimit']> | undefined;
  const enforceAddressCeiling = async (req: FastifyRequest): Promise<void> => {
    const result = await addressCeiling?.(req);
    if (result && !result.isAllowed && result.isExceeded)
      throw new VowError('VOW_RATE_LIMITED', `Too many requests; retry in ${result.ttlInSeconds} seconds`, {
        retryAfterSeconds: result.ttlInSeconds,
      });
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
  // One counter per address across every collection route (the same store: shared by processes on
  // PostgreSQL), checked before the per-visitor limit.
  addressCeiling = app.createRateLimit({
    ...COLLECTION_ADDRESS_CEILING,
    // An IPv6 /64 is one address, as the per-route limits count it (src/platform/client-address.ts).
    keyGenerator: (req) => `collection-address:${clientUnit(req.ip)}`,
  });
}
