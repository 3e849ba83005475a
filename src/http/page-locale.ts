// The language of a shopper page, on its own so the shopper layout (and `vow policy notice -f html`
// through it) needs neither route-helpers.ts's error registry, identity nor the store behind them.
import type { FastifyRequest } from 'fastify';
import { LOCALE_COOKIE, type Locale, negotiateLocale } from '../platform/i18n/index.js';

/**
 * The language of a shopper page for this request: the language switch's cookie when it names a
 * locale, else the browser's Accept-Language, else English.
 */
export function pageLocale(req: FastifyRequest): Locale {
  return negotiateLocale(req.headers['accept-language'], req.cookies?.[LOCALE_COOKIE]);
}
