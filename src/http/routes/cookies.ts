// The consent script and cookie choices: GET /consent.js (+ its stylesheet and SRI hash), the
// banner's configuration, POST /v1/consent/choices, POST /v1/consent/state, and the demo storefront.
import { createHash } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { z } from 'zod';
import { bannerConfig, CHOICE_SOURCES, VISITOR_ID_PATTERN } from '../../modules/cookie-consent/index.js';
import { renderCookiePreferences } from '../pages/cookie-preferences.js';
import { renderDemoStorefront } from '../pages/demo-storefront.js';
import { acceptJsonAsTextPlain } from '../route-helpers.js';
import type { RouteModule } from '../route-module.js';

const asset = (name: string): URL => new URL(`../../web/assets/${name}`, import.meta.url);

const visitorSchema = z
  .string()
  .regex(VISITOR_ID_PATTERN, 'a visitor id is 22 characters of base64url')
  .describe("The consent cookie's random id (never personal data)");

const consentModeSchema = z.object({
  ad_storage: z.enum(['granted', 'denied']),
  analytics_storage: z.enum(['granted', 'denied']),
  ad_user_data: z.enum(['granted', 'denied']),
  ad_personalization: z.enum(['granted', 'denied']),
});

const visitorConsentSchema = z.object({
  visitor: z.string(),
  channels: z.record(z.string(), z.boolean()),
  categories: z.record(z.string(), z.boolean()),
  googleAnalytics: z.boolean(),
  gpc: z.boolean(),
  answered: z.boolean(),
  consentVersion: z.string(),
  policyVersion: z.string(),
  consentMode: consentModeSchema,
  gpp: z.string().describe('IAB Global Privacy Platform string (usnat section, id 7)'),
});

export const choiceBodySchema = z.strictObject({
  visitor: visitorSchema.optional(),
  categories: z.record(z.string().max(64), z.boolean()),
  googleAnalytics: z.boolean().optional(),
  gpc: z.boolean().default(false).describe('navigator.globalPrivacyControl'),
  source: z.enum(CHOICE_SOURCES),
  consentVersion: z.string().min(1).max(64),
});

export interface ScriptInfo {
  readonly src: string;
  readonly integrity: string;
  readonly tag: string;
}

export const cookieRoutes: RouteModule = async (app, ctx, services) => {
  acceptJsonAsTextPlain(app);
  const script = await readFile(asset('consent.js'));
  const css = await readFile(asset('consent.css'));
  const demoJs = await readFile(asset('consent-demo-store.js'));
  const integrity = `sha384-${createHash('sha384').update(script).digest('base64')}`;
  const fingerprint = createHash('sha256').update(script).digest('hex').slice(0, 12);
  const src = `/consent.js?v=${fingerprint}`;
  const info = (base: string): ScriptInfo => ({
    src: `${base}${src}`,
    integrity,
    tag: `<script src="${base}${src}" integrity="${integrity}" crossorigin="anonymous" data-vow-api="${base}"></script>`,
  });
  const config = bannerConfig(ctx.policy);
  const cookies = { consent: services.cookieConsent };

  app.get(
    '/consent.js',
    {
      config: { access: 'public' },
      schema: {
        tags: ['cookies'],
        summary: 'The consent script (banner, Consent Mode, measurements); see /v1/consent/script-info',
        querystring: z.object({ v: z.string().max(64).optional() }),
      },
    },
    async (_req, reply) =>
      reply
        .type('text/javascript; charset=utf-8')
        // The URL carries the content's fingerprint, so a long, immutable cache is safe.
        .header('cache-control', 'public, max-age=31536000, immutable')
        .header('access-control-allow-origin', '*')
        .header('etag', `"${fingerprint}"`)
        .send(script),
  );

  app.get('/consent.css', { config: { access: 'public' }, schema: { hide: true } }, async (_req, reply) =>
    reply
      .type('text/css; charset=utf-8')
      .header('cache-control', 'public, max-age=86400')
      .header('access-control-allow-origin', '*')
      .send(css),
  );

  app.get(
    '/v1/consent/script-info',
    {
      config: { access: 'public' },
      schema: {
        tags: ['cookies'],
        summary: "The consent script's address, its Subresource Integrity hash and the tag to paste",
        response: { 200: z.object({ src: z.string(), integrity: z.string(), tag: z.string() }) },
      },
    },
    async () => info(ctx.config.publicUrl),
  );

  app.get(
    '/v1/consent/config',
    {
      config: { access: 'public' },
      schema: {
        tags: ['cookies'],
        summary: "The banner's categories and the policy's consentVersion",
        response: {
          200: z.object({
            consentVersion: z.string(),
            policyVersion: z.string(),
            controller: z.string(),
            categories: z.array(
              z.object({
                id: z.string(),
                title: z.string(),
                description: z.string(),
                required: z.boolean(),
                channels: z.array(z.string()),
                gpcOptOut: z.boolean(),
              }),
            ),
            googleAnalytics: z.boolean(),
            noticePath: z.string(),
          }),
        },
      },
    },
    async (_req, reply) => {
      void reply.header('cache-control', 'no-cache');
      return config;
    },
  );

  app.post(
    '/v1/consent/choices',
    {
      config: { access: 'public' },
      schema: {
        tags: ['cookies'],
        summary: 'Record a cookie banner choice (and a Global Privacy Control signal) in the consent ledger',
        description:
          'Accepts application/json or text/plain holding JSON. A `Sec-GPC: 1` header counts as `gpc: true`. ' +
          'Answers where the visitor now stands, with the Consent Mode signals and the GPP string.',
        body: choiceBodySchema,
        response: { 200: visitorConsentSchema },
      },
    },
    async (req) => {
      const gpc = req.body.gpc || req.headers['sec-gpc'] === '1';
      const { changed: _changed, ...view } = await cookies.consent.recordChoice({ ...req.body, gpc });
      return view;
    },
  );

  app.post(
    '/v1/consent/state',
    {
      config: { access: 'public' },
      schema: {
        tags: ['cookies'],
        summary: 'Where a visitor stands, from the consent ledger (the id travels in the body, not the URL)',
        body: z.strictObject({ visitor: visitorSchema }),
        response: { 200: visitorConsentSchema },
      },
    },
    async (req) => cookies.consent.state(req.body.visitor),
  );

  let prefsHtml: string | undefined;
  app.get(
    '/cookies/preferences',
    {
      config: { access: 'public' },
      schema: {
        tags: ['cookies'],
        summary: 'The preference centre: change or withdraw cookie choices, opt out of Google Analytics',
      },
    },
    async (_req, reply) => {
      prefsHtml ??= renderCookiePreferences(ctx.policy, { src, integrity });
      return reply.type('text/html; charset=utf-8').header('cache-control', 'no-cache').send(prefsHtml);
    },
  );

  let demoHtml: string | undefined;
  app.get(
    '/demo/store',
    {
      config: { access: 'public' },
      schema: { tags: ['cookies'], summary: 'A demo storefront carrying the consent script' },
    },
    async (_req, reply) => {
      demoHtml ??= renderDemoStorefront(ctx.policy, { src, integrity });
      return reply.type('text/html; charset=utf-8').header('cache-control', 'no-cache').send(demoHtml);
    },
  );

  app.get('/demo/store.js', { config: { access: 'public' }, schema: { hide: true } }, async (_req, reply) =>
    reply.type('text/javascript; charset=utf-8').header('cache-control', 'public, max-age=3600').send(demoJs),
  );
};
