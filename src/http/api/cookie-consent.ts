// Everything under /v1/consent: the consent ledger as the cookie banner and customer service reach
// it. The banner (module cookie-consent) reads its configuration and the script's tag, records a
// visitor's choice and asks where a visitor stands; customer service reads the ledger's history of
// a person or visitor (module consent, the one route here that is not the banner's). The whole
// prefix is cross-origin for the shop's pages (src/http/cors.ts), so it is served from this file.
import type { FastifyReply, FastifyRequest } from 'fastify';
import { z } from 'zod';
import {
  bannerConfig,
  bannerFirstLayer,
  CHOICE_SOURCES,
  VISITOR_ID_PATTERN,
} from '../../modules/cookie-consent/index.js';
import { auditActor } from '../../modules/identity/index.js';
import { JURISDICTIONS } from '../../modules/rights/index.js';
import { VowError } from '../../platform/errors.js';
import { LOCALES, localeOf } from '../../platform/i18n/index.js';
import { line } from '../../platform/strings.js';
import { compressedAsset, consentScript, sendBuiltAsset } from '../consent-script.js';
import { optionalHint, refuseControlCharacters } from '../pages/optional-query.js';
import { acceptJsonAsTextPlain, pageLocale } from '../route-helpers.js';
import type { RouteModule } from '../route-module.js';

const visitorSchema = line()
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
  gpp: line().describe(
    "IAB Global Privacy Platform string (usnat, id 7; and the stated state's section, ids 9-12)",
  ),
});

const choiceBodySchema = z.strictObject({
  visitor: visitorSchema.optional(),
  categories: z.record(line().max(64), z.boolean()),
  googleAnalytics: z.boolean().optional(),
  gpc: z.boolean().default(false).describe('navigator.globalPrivacyControl'),
  source: z.enum(CHOICE_SOURCES),
  consentVersion: line().min(1).max(64),
});

// A language Vow does not have, or junk, is ignored (the visitor's language answers); a control
// character is still refused (400), as at every edge (refuseControlCharacters).
const langSchema = optionalHint(line().max(35)).describe(
  "The page's language (`es`, `es-MX`): the banner's words in it when Vow has it, else in the visitor's (Accept-Language); any other value is ignored",
);

const subjectId = line().min(1).max(64).describe("Vow's id of the person (subjects.id)");

const eventSchema = z.object({
  id: z.string(),
  channel: z.string(),
  event: z.string(),
  cause: z.object({ type: z.string(), ref: z.string().nullable(), staffId: z.string().nullable() }),
  at: z.string(),
  policyVersion: z.string(),
  details: z.record(z.string(), z.unknown()),
});

export const cookieConsentApiRoutes: RouteModule = async (app, ctx, services) => {
  acceptJsonAsTextPlain(app);
  const script = await consentScript();
  // One config per locale (the banner's words and the categories' in that language), built once:
  // the whole of it, and the first layer the first banner needs (the choices load the rest).
  const asJson = (value: unknown) => compressedAsset(Buffer.from(JSON.stringify(value)));
  const configAssets = new Map(LOCALES.map((l) => [l, asJson(bannerConfig(ctx.policy, l))] as const));
  const firstLayerAssets = new Map(
    LOCALES.map((l) => [l, asJson(bannerFirstLayer(bannerConfig(ctx.policy, l)))] as const),
  );
  // The same for every visitor until the policy changes (a restart): the browser keeps it five
  // minutes, then asks again with its ETag and gets a 304 with no body. A visitor whose choice is
  // refused for an old consentVersion asks again at once (the script's `cache: 'no-cache'`).
  // Precompressed once, like the script: sent as bytes in the encoding the browser accepts. In the
  // page's language when the script names one Vow has (`?lang=es`: part of the address, so of every
  // cache's key), else the visitor's (the switch's cookie on Vow's own pages, else Accept-Language):
  // caches then keep one answer per language (Vary), never serving one visitor another's.
  const sendConfig = (
    req: FastifyRequest,
    reply: FastifyReply,
    assets: Map<string, ReturnType<typeof compressedAsset>>,
    lang: string | undefined,
  ) => {
    const asked = localeOf(lang);
    const asset = assets.get(asked ?? pageLocale(req)) as ReturnType<typeof compressedAsset>;
    const vary = reply.getHeader('vary');
    if (!asked)
      void reply.header(
        'vary',
        vary ? `${String(vary)}, accept-language, cookie` : 'accept-language, cookie',
      );
    // JSON is UTF-8 by definition: a charset parameter means nothing to it (RFC 8259, 11).
    return sendBuiltAsset(req, reply, asset, 'application/json', 'public, max-age=300', false);
  };
  const cookies = { consent: services.cookieConsent };

  app.get(
    '/v1/consent/script-info',
    {
      config: { access: 'public' },
      preValidation: refuseControlCharacters,
      schema: {
        tags: ['cookies'],
        errors: [],
        summary: "The consent script's address, its Subresource Integrity hash and the tag to paste",
        querystring: z.object({
          lang: optionalHint(line().max(35)).describe(
            "The page's language: its preload asks for the banner in it (`?lang=es`), as the script will",
          ),
        }),
        description:
          'The tag to paste is `tag`: an inline snippet setting the Google Consent Mode defaults (denied) before ' +
          "any Google tag runs, then the deferred script. `defaultsCsp` is the snippet's hash for a " +
          'Content-Security-Policy `script-src`.',
        response: {
          200: z.object({
            src: z.string(),
            integrity: z.string(),
            tag: z.string(),
            defaults: z.string(),
            preload: z.string(),
            defaultsCsp: z.string(),
            script: z.string(),
          }),
        },
      },
    },
    async (req) => script.info(ctx.config.publicUrl, req.query.lang),
  );

  app.get(
    '/v1/consent/config',
    {
      config: { access: 'public' },
      preValidation: refuseControlCharacters,
      schema: {
        tags: ['cookies'],
        errors: [],
        summary: "The banner's categories, their cookies, the banner's words and the policy's consentVersion",
        querystring: z.object({ lang: langSchema }),
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
                cookies: z.array(
                  z.object({
                    name: z.string(),
                    purpose: z.string(),
                    duration: z.string(),
                    provider: z.string(),
                  }),
                ),
              }),
            ),
            googleAnalytics: z.boolean(),
            noticePath: z.string(),
            locale: z.enum(LOCALES),
            text: z.record(z.string(), z.string()),
          }),
        },
      },
    },
    async (req, reply) => sendConfig(req, reply as FastifyReply, configAssets, req.query.lang),
  );

  app.get(
    '/v1/consent/banner',
    {
      config: { access: 'public' },
      preValidation: refuseControlCharacters,
      schema: {
        tags: ['cookies'],
        errors: [],
        summary: "The first banner's config: its words, the categories it sets, the consentVersion",
        querystring: z.object({ lang: langSchema }),
        description:
          'What the banner shows before the visitor opens the choices, in the visitor’s language; ' +
          'the consent script fetches `/v1/consent/config` (descriptions, cookie lists, the choices’ words) ' +
          'only when the choices open.',
        response: {
          200: z.object({
            consentVersion: z.string(),
            controller: z.string(),
            optional: z.array(z.string()).describe('The categories a visitor can turn on or off'),
            gpcOff: z
              .array(z.string())
              .describe('The titles of the categories Global Privacy Control turns off'),
            noticePath: z.string(),
            locale: z.enum(LOCALES),
            text: z.record(z.string(), z.string()),
          }),
        },
      },
    },
    async (req, reply) => sendConfig(req, reply as FastifyReply, firstLayerAssets, req.query.lang),
  );

  app.post(
    '/v1/consent/choices',
    {
      config: { access: 'public' },
      schema: {
        tags: ['cookies'],
        errors: ['VOW_CONSENT_VERSION_STALE', 'VOW_COOKIE_CATEGORY_UNKNOWN'],
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
        errors: [],
        summary: 'Where a visitor stands, from the consent ledger (the id travels in the body, not the URL)',
        description:
          'With `jurisdiction` (the US state the visitor says they live in), the GPP string also carries that state’s section (usva, usco, usut, usct).',
        body: z.strictObject({ visitor: visitorSchema, jurisdiction: z.enum(JURISDICTIONS).optional() }),
        response: { 200: visitorConsentSchema },
      },
    },
    async (req) => cookies.consent.state(req.body.visitor, req.body.jurisdiction),
  );

  app.post(
    '/v1/consent/history',
    {
      config: { access: 'staff:customer_service' },
      schema: {
        tags: ['consent'],
        errors: ['VOW_UNKNOWN_SUBJECT'],
        summary: "A person's consent history and current state per channel",
        description:
          'Every enrolment, consent, unsubscribe, suppression and SMS keyword, oldest first, each with its cause and the policy version in force. The id travels in the body, never in the URL.',
        body: z.strictObject({ subjectId }),
        response: {
          200: z.object({
            subjectId: z.string(),
            states: z.record(z.string(), z.string()),
            events: z.array(eventSchema),
          }),
        },
      },
    },
    async (req) => {
      const id = req.body.subjectId;
      const [states, history] = await Promise.all([
        services.consent.states(id),
        services.consent.history(id),
      ]);
      // A person Vow never heard of is an error, not an empty history (visitors have no subject row).
      if (history.length === 0 && !id.startsWith('visitor:') && !(await services.subjects.exists(id)))
        throw new VowError('VOW_UNKNOWN_SUBJECT', 'No subject with this id is known');
      await ctx.audit.record({
        actor: auditActor(req.principal),
        action: 'consent.history_viewed',
        target: { type: 'subject', id },
      });
      return {
        subjectId: id,
        states,
        events: history.map((e) => ({
          id: e.id,
          channel: e.channel,
          event: e.event,
          cause: { type: e.cause_type, ref: e.cause_ref, staffId: e.staff_id },
          at: e.at,
          policyVersion: e.policy_version,
          details: JSON.parse(e.details) as Record<string, unknown>,
        })),
      };
    },
  );
};
