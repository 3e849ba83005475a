// Site measurements (module site-analytics), the JSON API: POST /v1/collect from the consent script
// (sendBeacon-friendly: text/plain bodies holding JSON are accepted), always 204 (without consent the
// event is dropped and counted), and the counters of stored and dropped measurements.
import { z } from 'zod';
import { EVENT_TYPES } from '../../modules/site-analytics/index.js';
import { line } from '../../platform/strings.js';
import { hasOnlyKeys, isInt, isLine, isRecord, withFastCheck } from '../fast-validation.js';
import { acceptJsonAsTextPlain } from '../route-helpers.js';
import type { RouteModule } from '../route-module.js';

export const collectBodySchema = withFastCheck(
  z.strictObject({
    visitor: line().max(64).optional().describe("The consent cookie's random id"),
    type: z.enum(EVENT_TYPES),
    path: line().min(1).max(2048).describe('The page path; query strings and fragments are scrubbed'),
    area: line().max(64).optional().describe('The area of the site (home, catalog, product, cart, …)'),
    durationMs: z
      .number()
      .int()
      .min(0)
      .max(24 * 60 * 60 * 1000)
      .optional()
      .describe('engagement: visible time since the last engagement event'),
    valueCents: z.number().int().min(0).max(10_000_000_000).optional(),
    currency: line()
      .regex(/^[A-Z]{3}$/)
      .optional(),
  }),
  (body) => (isCollectBody(body) ? body : undefined),
);

const COLLECT_KEYS = new Set(['visitor', 'type', 'path', 'area', 'durationMs', 'valueCents', 'currency']);
const TYPES: ReadonlySet<unknown> = new Set(EVENT_TYPES);
const CURRENCY = /^[A-Z]{3}$/;

/** collectBodySchema's compiled check (src/http/fast-validation.ts): true only if Zod would accept. */
function isCollectBody(b: unknown): boolean {
  return (
    isRecord(b) &&
    hasOnlyKeys(b, COLLECT_KEYS, ['type', 'path']) &&
    TYPES.has(b.type) &&
    isLine(b.path, 1, 2048) &&
    (b.visitor === undefined || isLine(b.visitor, 0, 64)) &&
    (b.area === undefined || isLine(b.area, 0, 64)) &&
    (b.durationMs === undefined || isInt(b.durationMs, 0, 24 * 60 * 60 * 1000)) &&
    (b.valueCents === undefined || isInt(b.valueCents, 0, 10_000_000_000)) &&
    (b.currency === undefined || (isLine(b.currency, 0, 3) && CURRENCY.test(b.currency)))
  );
}

export const siteAnalyticsApiRoutes: RouteModule = (app, _ctx, services) => {
  acceptJsonAsTextPlain(app);

  app.post(
    '/v1/collect',
    {
      config: { access: 'public' },
      schema: {
        tags: ['cookies'],
        errors: [],
        summary: 'Record a site measurement (page view, engagement, add to cart, order completed)',
        description:
          'Stored only when the consent ledger holds analytics consent for the visitor; otherwise dropped ' +
          'and counted. Answers 204 either way.',
        body: collectBodySchema,
        response: {
          204: z.null().describe('Recorded, or dropped for want of consent: no content either way'),
        },
      },
    },
    async (req, reply) => {
      const result = await services.siteAnalytics.events.collect(req.body, {
        userAgent: req.headers['user-agent'],
      });
      services.metrics.countEvent(result.outcome === 'stored' ? 'stored' : `dropped_${result.reason}`);
      return reply.code(204).send(null);
    },
  );

  app.get(
    '/v1/collect/counters',
    {
      config: { access: 'staff:marketing' },
      schema: {
        tags: ['cookies'],
        errors: [],
        summary: 'How many measurements were stored, and how many dropped for want of consent',
        response: { 200: z.object({ counters: z.record(z.string(), z.number()) }) },
      },
    },
    async () => ({ counters: await services.siteAnalytics.events.counters() }),
  );
};
