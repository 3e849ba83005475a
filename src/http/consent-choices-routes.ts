// The banner's second layer (module cookie-consent), fetched by the consent script only when the
// choices open or the page holds a preference centre: its script (loaded with the SRI hash the
// first script carries) and stylesheet, both on versioned addresses, both loadable from any origin.
import { z } from 'zod';
import { line } from '../platform/strings.js';
import { consentChoices, sendBuiltAsset } from './consent-script.js';
import type { RouteModule } from './route-module.js';

/** The versioned address never changes content: a year, never revalidated; any other, five minutes. */
const cacheFor = (v: string | undefined, fingerprint: string) =>
  v === fingerprint ? 'public, max-age=31536000, immutable' : 'public, max-age=300';

export const consentChoicesRoutes: RouteModule = async (app) => {
  const { script, css } = await consentChoices();
  const schema = { hide: true, querystring: z.object({ v: line().max(64).optional() }) };

  app.get('/consent-choices.js', { config: { access: 'public' }, schema }, async (req, reply) =>
    sendBuiltAsset(
      req,
      reply,
      script,
      'text/javascript; charset=utf-8',
      cacheFor(req.query.v, script.fingerprint),
    ),
  );

  app.get('/consent-choices.css', { config: { access: 'public' }, schema }, async (req, reply) =>
    sendBuiltAsset(req, reply, css, 'text/css; charset=utf-8', cacheFor(req.query.v, css.fingerprint)),
  );
};
