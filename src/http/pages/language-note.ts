// A shopper page's language asked for in its address (`/privacy?lang=es`, a link in a shop's footer
// or an email): a locale Vow has answers in it (over the switch's cookie and the browser's
// Accept-Language); a language it has not (`?lang=zz`) answers in the default language with a note,
// in every locale's own words, naming the languages the page is available in, each a link.
import { z } from 'zod';
import { html, type SafeHtml } from '../../platform/html.js';
import {
  type Catalog,
  DEFAULT_LOCALE,
  htmlLang,
  LOCALE_NAMES,
  LOCALES,
  type Locale,
  localeOf,
} from '../../platform/i18n/index.js';
import { line } from '../../platform/strings.js';

/** The query field: a language tag as a person may write it (`es`, `es-US`, `es_mx`). */
// One no locale can match (too long, given twice) reads as an unknown language (a control character is
// refused before, optional-query.ts refuseControlCharacters):
// the page in the default language with the note.
export const langField = { lang: line().trim().max(35).optional().catch('?') };
export const langQuery = z.object(langField);

/** What the address asked: the locale to answer in, or that it named none Vow has. */
export interface AskedLanguage {
  readonly locale?: Locale | undefined;
  readonly unknown: boolean;
}

export function askedLanguage(lang: string | undefined): AskedLanguage {
  if (!lang) return { unknown: false };
  const locale = localeOf(lang);
  return locale ? { locale, unknown: false } : { locale: DEFAULT_LOCALE, unknown: true };
}

const WORDS: Catalog<(fallback: string, links: SafeHtml) => SafeHtml> = {
  'en-US': (fallback, links) =>
    html`This page is not available in the language the link asked for, so it is shown in ${fallback}. It is available in: ${links}.`,
  'es-US': (fallback, links) =>
    html`Esta página no está disponible en el idioma que pedía el enlace, así que se muestra en ${fallback}. Está disponible en: ${links}.`,
};

/** The default locale's language (en-US) named in each locale's words. */
const DEFAULT_NAMED: Catalog<string> = { 'en-US': 'English', 'es-US': 'inglés' };

/**
 * The note above a page shown in the default language for a language it does not have: one
 * paragraph per locale, each marked with its language, linking to the page in every locale.
 */
export function languageNote(path: string): SafeHtml {
  const links = html`${LOCALES.map(
    (to, i) =>
      html`${i > 0 ? ', ' : ''}<a href="${path}?lang=${to}" hreflang="${to}" lang="${htmlLang(to)}">${LOCALE_NAMES[to]}</a>`,
  )}`;
  return html`<div class="notice-info language-note" role="note" data-testid="language-note">${LOCALES.map(
    (l) => html`<p lang="${htmlLang(l)}">${WORDS[l](DEFAULT_NAMED[l], links)}</p>`,
  )}</div>`;
}
