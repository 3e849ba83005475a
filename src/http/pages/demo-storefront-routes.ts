// The demo storefront: a pretend shop page carrying the consent script, and its own small script
// (the cart, which works with every cookie refused, P18).
import { readFile } from 'node:fs/promises';
import { consentScript } from '../consent-script.js';
import { sendSharedHtml, webAsset } from '../route-helpers.js';
import type { RouteModule } from '../route-module.js';
import { renderDemoStorefront } from './demo-storefront.js';

export const demoStorefrontPageRoutes: RouteModule = async (app, ctx) => {
  const script = await consentScript();
  const demoJs = await readFile(webAsset('consent-demo-store.js'));

  let demoHtml: string | undefined;
  app.get(
    '/demo/store',
    {
      config: { access: 'public' },
      schema: { tags: ['cookies'], summary: 'A demo storefront carrying the consent script' },
    },
    async (_req, reply) => {
      demoHtml ??= renderDemoStorefront(ctx.policy, script);
      return sendSharedHtml(reply, demoHtml);
    },
  );

  app.get('/demo/store.js', { config: { access: 'public' }, schema: { hide: true } }, async (_req, reply) =>
    reply.type('text/javascript; charset=utf-8').header('cache-control', 'public, max-age=3600').send(demoJs),
  );
};
