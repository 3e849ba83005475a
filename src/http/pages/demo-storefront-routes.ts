// The demo storefront: a pretend shop page carrying the consent script, its own small script (the
// cart, which works with every cookie refused, P18), and the demo shop's backend for its contest,
// text message and catalog forms: each is checked by the collection API's own schema and recorded
// by the collection service, as a shop backend's call to the API would be; then post/redirect/get.
// Not served in production.
import { readFile } from 'node:fs/promises';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { z } from 'zod';
import { catalogRequestSchema, contestEntrySchema, smsSignupSchema } from '../../modules/collection/index.js';
import { line } from '../../platform/strings.js';
import { formToken } from '../access.js';
import { consentScript } from '../consent-script.js';
import { type FormPage, type FormRefusal, formRefusalOf } from '../form-issues.js';
import { pageLocale, sendHtml, webAsset } from '../route-helpers.js';
import type { RouteModule } from '../route-module.js';
import {
  DEMO_FIELD_NAMES,
  type DemoForm,
  type DemoStoreState,
  renderDemoStorefront,
  smsConsentText,
} from './demo-storefront.js';
import { formStateOf } from './form-state.js';
import { optionalHint, refuseControlCharacters } from './optional-query.js';
import { viewerOf } from './shopper-layout.js';

const PATHS: Record<DemoForm, string> = {
  contest: '/demo/store/contest',
  sms: '/demo/store/sms',
  catalog: '/demo/store/catalog',
};

/** Where a mistake in the collection body built from a demo form shows (its address's parts). */
const AT: Readonly<Record<string, string>> = {
  'postal_address.line1': 'line1',
  'postal_address.city': 'city',
  'postal_address.postal_code': 'postal_code',
  consent_text: 'consent',
};

const field = (max: number) => line().trim().max(max);
const optional = (max: number) =>
  line()
    .trim()
    .max(max)
    .optional()
    .transform((v) => v || undefined);

export const demoStorefrontPageRoutes: RouteModule = async (app, ctx, services) => {
  // A page for trying Vow out: its forms write to the collection service without an API key, so
  // in production any visitor could sign any phone number up for text marketing or enrol any
  // address in email marketing. Production serves none of it (docs/security.md, #21).
  if (ctx.config.env === 'production') return;
  const script = await consentScript();
  const demoJs = await readFile(webAsset('consent-demo-store.js'));
  const tokens = () => ({
    contest: formToken(ctx, PATHS.contest),
    sms: formToken(ctx, PATHS.sms),
    catalog: formToken(ctx, PATHS.catalog),
  });
  const render = (req: FastifyRequest, s: Omit<DemoStoreState, 'tokens'>) =>
    renderDemoStorefront(ctx.policy, script, { ...s, tokens: tokens() }, viewerOf(req));

  app.get(
    '/demo/store',
    {
      config: { access: 'public' },
      preValidation: refuseControlCharacters,
      schema: {
        tags: ['cookies'],
        summary: 'A demo storefront carrying the consent script, with contest, text and catalog forms',
        querystring: z.object({ sent: optionalHint(z.enum(['contest', 'sms', 'catalog'])) }),
      },
    },
    // Rendered per request: its forms carry anti-forgery tokens of the current hour.
    async (req, reply) => sendHtml(reply, render(req, { sent: req.query.sent })),
  );

  app.get('/demo/store.js', { config: { access: 'public' }, schema: { hide: true } }, async (_req, reply) =>
    reply.type('text/javascript; charset=utf-8').header('cache-control', 'public, max-age=3600').send(demoJs),
  );

  /** The page again, the refused form filled in, each mistake at its field. */
  const sentBack = (req: FastifyRequest, reply: FastifyReply, form: DemoForm, refusal: FormRefusal) => {
    const fields = DEMO_FIELD_NAMES[form];
    const state = formStateOf(refusal, pageLocale(req), fields, (path) => AT[path]);
    return sendHtml(reply, render(req, { error: { form, state } }), refusal.status);
  };
  const formPage =
    (form: DemoForm): FormPage =>
    (req, reply, refusal) =>
      sentBack(req, reply, form, refusal);

  /** Records one form through the collection service; a refusal shows the page again with it. */
  const submit = async (req: FastifyRequest, reply: FastifyReply, form: DemoForm, build: () => unknown) => {
    try {
      await services.collection.collect(build() as Parameters<typeof services.collection.collect>[0]);
      return reply.redirect(`/demo/store?sent=${form}#${form}`, 303);
    } catch (err) {
      return sentBack(req, reply, form, formRefusalOf(err, req.body));
    }
  };

  app.post(
    PATHS.contest,
    {
      config: { access: 'public', csrf: 'form', limit: 'request', formPage: formPage('contest') },
      schema: {
        hide: true,
        body: z.object({ _csrf: line().optional(), email: field(254), name: optional(200) }),
      },
    },
    async (req, reply) =>
      submit(req, reply, 'contest', () => ({
        type: 'contest_entry',
        body: contestEntrySchema.parse({
          email: req.body.email,
          name: req.body.name,
          contest_id: 'demo-studs',
        }),
      })),
  );

  app.post(
    PATHS.sms,
    {
      config: { access: 'public', csrf: 'form', limit: 'request', formPage: formPage('sms') },
      schema: {
        hide: true,
        body: z.object({ _csrf: line().optional(), phone: field(40), consent: z.literal('yes') }),
      },
    },
    async (req, reply) =>
      submit(req, reply, 'sms', () => ({
        type: 'sms_signup',
        body: smsSignupSchema.parse({
          phone: req.body.phone,
          consent_text: smsConsentText(ctx.policy, pageLocale(req)),
        }),
      })),
  );

  const catalogSchema = catalogRequestSchema(ctx.policy);
  app.post(
    PATHS.catalog,
    {
      config: { access: 'public', csrf: 'form', limit: 'request', formPage: formPage('catalog') },
      schema: {
        hide: true,
        body: z.object({
          _csrf: line().optional(),
          first_name: field(100),
          last_name: field(100),
          email: field(254),
          line1: field(200),
          city: field(100),
          postal_code: field(20),
          relationship_status: optional(50),
          jewelry_types: z.union([line().max(50), z.array(line().max(50)).max(20)]).optional(),
          budget: optional(50),
          age_range: optional(50),
          residence_type: optional(50),
          gender: optional(50),
        }),
      },
    },
    async (req, reply) => {
      const b = req.body;
      const types = b.jewelry_types === undefined ? undefined : [b.jewelry_types].flat();
      return submit(req, reply, 'catalog', () => ({
        type: 'catalog_request',
        body: catalogSchema.parse({
          first_name: b.first_name,
          last_name: b.last_name,
          email: b.email,
          postal_address: { line1: b.line1, city: b.city, postal_code: b.postal_code, country: 'US' },
          relationship_status: b.relationship_status,
          jewelry_types: types,
          budget: b.budget,
          age_range: b.age_range,
          residence_type: b.residence_type,
          gender: b.gender,
        }),
      }));
    },
  );
};
