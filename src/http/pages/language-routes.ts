// The shopper pages' language switch: GET /language?to=es-US&back=/privacy remembers the choice in
// a preference cookie (`vow_lang`, the locale and nothing else: no identifier, so it tracks no one)
// and leads back to the page the visitor was on. Only a path of this site is followed back (never
// another host: no open redirect); anything else leads to the notice.
import { z } from 'zod';
import { servedOverHttps } from '../../modules/identity/index.js';
import { LOCALE_COOKIE, LOCALES } from '../../platform/i18n/index.js';
import { line } from '../../platform/strings.js';
import type { RouteModule } from '../route-module.js';

const YEAR_S = 365 * 24 * 60 * 60;

/** The longest return path followed; a longer one leads to the notice. */
const BACK_MAX = 2000;

/** `back` when it is a path of this site (`/…`, not `//host` or `/\host`, even after its dot segments), else the notice. */
export function sameSitePath(back: string | undefined): string {
  if (!back?.startsWith('/') || back.startsWith('//') || back.includes('\\')) return '/privacy';
  if (back.length > BACK_MAX) return '/privacy';
  if ([...back].some((ch) => ch.charCodeAt(0) < 0x20 || ch.charCodeAt(0) === 0x7f)) return '/privacy';
  const base = 'http://vow.invalid';
  let url: URL;
  try {
    url = new URL(back, base);
  } catch {
    return '/privacy';
  }
  // Checked again once resolved: dot segments collapse (`/..//evil.example`, `/%2e%2e//evil`,
  // `/.//evil` all resolve to the path `//evil.example`), and a Location of `//host` is another site.
  if (url.origin !== base || url.pathname.startsWith('//')) return '/privacy';
  return `${url.pathname}${url.search}`;
}

export const languagePageRoutes: RouteModule = (app, ctx) => {
  app.get(
    '/language',
    {
      config: { access: 'public' },
      schema: {
        tags: ['policy'],
        summary: 'Language switch of the shopper pages: remembers the locale in a preference cookie',
        // Another parameter (a tracking tag) is ignored; a return path too long or not of this site
        // goes to the notice (sameSitePath); control characters are refused (400), as everywhere.
        querystring: z.object({
          to: z.enum(LOCALES).describe('The chosen locale'),
          back: line()
            .optional()
            .describe(`A path of this site to return to (at most ${BACK_MAX} characters followed)`),
        }),
      },
    },
    async (req, reply) =>
      reply
        .setCookie(LOCALE_COOKIE, req.query.to, {
          path: '/',
          httpOnly: true,
          sameSite: 'lax',
          secure: servedOverHttps(ctx.config.publicUrl),
          maxAge: YEAR_S,
        })
        .header('cache-control', 'no-store')
        .redirect(sameSitePath(req.query.back), 303),
  );
};
