// The privacy notice page (P1), rendered once from the policy in force.
import { sendSharedHtml } from '../route-helpers.js';
import type { RouteModule } from '../route-module.js';
import { askedLanguage, langQuery, languageNote } from './language-note.js';
import { refuseControlCharacters } from './optional-query.js';
import { renderPrivacyPage } from './privacy.js';
import { viewerOf } from './shopper-layout.js';

export const privacyPageRoutes: RouteModule = (app, ctx) => {
  // A rendering per locale, for a visitor and for a signed-in shopper (whose navigation has "My data").
  const rendered = new Map<string, string>();
  app.get(
    '/privacy',
    {
      config: { access: 'public' },
      preValidation: refuseControlCharacters,
      schema: {
        tags: ['policy'],
        summary: 'The privacy notice (HTML), rendered from the policy in force',
        // `?lang=es`: the notice in that language; one Vow has not: English, with a note (language-note.ts).
        querystring: langQuery,
      },
    },
    async (req, reply) => {
      const asked = askedLanguage(req.query.lang);
      const viewer = { ...viewerOf(req), ...(asked.locale ? { locale: asked.locale } : {}) };
      const key = `${viewer.signedIn}:${viewer.locale}:${asked.unknown}`;
      let body = rendered.get(key);
      if (body === undefined) {
        body = renderPrivacyPage(ctx.policy, {
          consentScript: '/consent.js',
          viewer: { ...viewer, path: '/privacy' },
          ...(asked.unknown ? { note: languageNote('/privacy') } : {}),
        });
        rendered.set(key, body);
      }
      return sendSharedHtml(reply.header('vary', 'accept-language, cookie'), body);
    },
  );
};
