// The cookie banner as the shop's pages load it (module cookie-consent): the consent script (its
// URL carries its fingerprint) and stylesheet, both loadable from any origin, and the preference
// centre where a visitor changes or withdraws their choice.
import { readFile } from 'node:fs/promises';
import { z } from 'zod';
import { line } from '../../platform/strings.js';
import { consentScript } from '../consent-script.js';
import { sendSharedHtml, webAsset } from '../route-helpers.js';
import type { RouteModule } from '../route-module.js';
import { renderCookiePreferences } from './cookie-preferences.js';
import { viewerOf } from './shopper-layout.js';

export const cookieBannerPageRoutes: RouteModule = async (app, ctx) => {
  const script = await consentScript();
  const css = await readFile(webAsset('consent.css'));

  app.get(
    '/consent.js',
    {
      config: { access: 'public' },
      schema: {
        tags: ['cookies'],
        summary: 'The consent script (banner, Consent Mode, measurements); see /v1/consent/script-info',
        querystring: z.object({ v: line().max(64).optional() }),
      },
    },
    async (_req, reply) =>
      reply
        .type('text/javascript; charset=utf-8')
        // The URL carries the content's fingerprint, so a long, immutable cache is safe.
        .header('cache-control', 'public, max-age=31536000, immutable')
        .header('access-control-allow-origin', '*')
        .header('etag', `"${script.fingerprint}"`)
        .send(script.body),
  );

  app.get('/consent.css', { config: { access: 'public' }, schema: { hide: true } }, async (_req, reply) =>
    reply
      .type('text/css; charset=utf-8')
      .header('cache-control', 'public, max-age=86400')
      .header('access-control-allow-origin', '*')
      .send(css),
  );

  // Two renderings: for a visitor and for a signed-in shopper (whose navigation has "My data").
  const prefsHtml = new Map<boolean, string>();
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
      let body = prefsHtml.get(viewer.signedIn);
      if (body === undefined) {
        body = renderCookiePreferences(ctx.policy, script, viewer);
        prefsHtml.set(viewer.signedIn, body);
      }
      return sendSharedHtml(reply.header('vary', 'cookie'), body);
    },
  );
};
