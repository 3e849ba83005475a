// "Do Not Sell or Share" / "Your Privacy Choices", the JSON API: a visitor's or a logged-in
// person's opt-out of sale, sharing and targeted advertising, honoured like GPC. The toggle and the
// link with the opt-out icon are the preference centre's; this is what they call.
import type { FastifyRequest } from 'fastify';
import { z } from 'zod';
import { VISITOR_ID_PATTERN } from '../../modules/cookie-consent/index.js';
import { JURISDICTIONS } from '../../modules/rights/index.js';
import { line } from '../../platform/strings.js';
import type { RouteModule } from '../route-module.js';

const visitor = line().regex(VISITOR_ID_PATTERN, 'a visitor id is 22 characters of base64url').optional();
const jurisdiction = z.enum(JURISDICTIONS).optional().describe('The state the person says they live in');

export const privacyChoicesApiRoutes: RouteModule = (app, _ctx, services) => {
  const choices = services.privacyChoices;
  // A logged-in shopper's own person (never one named in the body: no one opts out someone else).
  const personOf = (req: FastifyRequest): string | undefined => {
    const p = req.principal;
    return (p?.kind === 'shopper' || p?.kind === 'test') && p.subjectId ? p.subjectId : undefined;
  };

  app.post(
    '/v1/privacy-choices/opt-out',
    {
      // It writes in the name of the session's person: a browser's post from anywhere but Vow's
      // own pages is refused (Sec-Fetch-Site, else Origin), and a form-shaped body needs a form
      // token, as on the public forms. The shop backend's JSON call sends neither header.
      config: { access: 'public', csrf: 'form' },
      schema: {
        tags: ['cookie-consent'],
        errors: ['VOW_CSRF'],
        summary:
          'Do Not Sell or Share: opt the visitor (and the logged-in person) out of sale, sharing and targeted advertising, like GPC',
        body: z.strictObject({ visitor, jurisdiction }),
        response: {
          200: z.object({
            visitor: z.string().nullable(),
            optedOut: z.literal(true),
            personChannels: z.array(z.string()),
            gpp: z.string(),
            universalOptOutRequired: z.boolean(),
          }),
        },
      },
    },
    async (req) =>
      choices.optOut({
        visitor: req.body.visitor,
        subjectId: personOf(req),
        jurisdiction: req.body.jurisdiction,
      }),
  );

  app.post(
    '/v1/privacy-choices/state',
    {
      // It reads the session's person: only a checked write sees the session (src/http/access.ts).
      config: { access: 'public', csrf: 'form' },
      schema: {
        tags: ['cookie-consent'],
        errors: ['VOW_CSRF'],
        summary:
          'Whether the visitor (and the logged-in person) opted out of sale, sharing and targeted advertising (the id travels in the body, not the URL)',
        body: z.strictObject({ visitor, jurisdiction }),
        response: {
          200: z.object({
            visitorOptedOut: z.boolean().nullable(),
            personOptedOut: z.boolean().nullable(),
            gpp: z.string().nullable(),
          }),
        },
      },
    },
    async (req) =>
      choices.status({
        visitor: req.body.visitor,
        subjectId: personOf(req),
        jurisdiction: req.body.jurisdiction,
      }),
  );
};
