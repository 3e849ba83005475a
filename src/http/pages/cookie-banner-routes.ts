// The cookie banner as the shop's pages load it (module cookie-consent): the consent script (its
// URL carries its fingerprint) and stylesheet, both loadable from any origin, and the preference
// centre where a visitor changes or withdraws their choice.
import { z } from 'zod';
import { line } from '../../platform/strings.js';
import { consentScript, consentStylesheet, sendBuiltAsset } from '../consent-script.js';
import { sendSharedHtml } from '../route-helpers.js';
import type { RouteModule } from '../route-module.js';
import { renderCookiePreferences } from './cookie-preferences.js';
import { optionalHint, refuseControlCharacters } from './optional-query.js';
import { viewerOf } from './shopper-layout.js';

export const cookieBannerPageRoutes: RouteModule = async (app, ctx) => {
  const script = await consentScript();
  const css = await consentStylesheet();

  app.get(
    '/consent.js',
    {
      config: { access: 'public' },
      preValidation: refuseControlCharacters,
      schema: {
        tags: ['cookies'],
        summary: 'The consent script (banner, Consent Mode, measurements); see /v1/consent/script-info',
        // A `v` that is no fingerprint (cut, doubled) still serves the script, revalidated like one without.
        querystring: z.object({ v: optionalHint(line().max(64)) }),
      },
    },
    async (req, reply) =>
      sendBuiltAsset(
        req,
        reply,
        script,
        'text/javascript; charset=utf-8',
        // The versioned URL's content never changes: cached for a year, never revalidated. Any other
        // address (no or an old fingerprint) is revalidated after five minutes.
        req.query.v === script.fingerprint ? 'public, max-age=31536000, immutable' : 'public, max-age=300',
      ),
  );

  app.get('/consent.css', { config: { access: 'public' }, schema: { hide: true } }, async (req, reply) =>
    sendBuiltAsset(req, reply, css, 'text/css; charset=utf-8', 'public, max-age=86400'),
  );

  // A rendering per locale, for a visitor and for a signed-in shopper (whose navigation has "My data").
  const prefsHtml = new Map<string, string>();
  app.get(
    '/cookies/preferences',
    {
      config: { access: 'public' },
      schema: {
        tags: ['cookies'],
        summary: 'The preference centre: change or withdraw cookie choices, opt out of Google Analytics',
      },
    },
    async (req, reply) => {
      const viewer = viewerOf(req);
      const key = `${viewer.signedIn}:${viewer.locale}`;
      let body = prefsHtml.get(key);
      if (body === undefined) {
        body = renderCookiePreferences(ctx.policy, script, { ...viewer, path: '/cookies/preferences' });
        prefsHtml.set(key, body);
      }
      return sendSharedHtml(reply.header('vary', 'accept-language, cookie'), body);
    },
  );
};
