// Locales of what shoppers read: pages, the banner, emails. English (en-US) is the default and
// Spanish (es-US) the first translation. A locale comes from what the person chose (the language
// switch, remembered in a preference cookie that holds nothing but the locale) or else from their
// browser's Accept-Language, matched by language (es-MX reads es-US); staff pages stay in English.
// Each part keeps its own strings in a typed catalog (`Catalog<T>`), so a missing translation is a
// type error, not a page in two languages.
import Negotiator from 'negotiator';

export const LOCALES = ['en-US', 'es-US'] as const;
export type Locale = (typeof LOCALES)[number];
export const DEFAULT_LOCALE: Locale = 'en-US';

/** The preference cookie of the language switch: the locale only, never an identifier. */
export const LOCALE_COOKIE = 'vow_lang';

/** Each locale's name in its own language (for the switch). */
export const LOCALE_NAMES: Readonly<Record<Locale, string>> = { 'en-US': 'English', 'es-US': 'Español' };

/** The `lang` attribute of a page in this locale. */
export function htmlLang(locale: Locale): string {
  return locale === 'es-US' ? 'es' : 'en';
}

export function isLocale(value: unknown): value is Locale {
  return typeof value === 'string' && (LOCALES as readonly string[]).includes(value);
}

/** A locale from a loose tag (`es`, `es-mx`, `EN_us`), or undefined when none matches its language. */
export function localeOf(tag: string | undefined | null): Locale | undefined {
  if (!tag) return undefined;
  const t = tag.trim().replace('_', '-').toLowerCase();
  const exact = LOCALES.find((l) => l.toLowerCase() === t);
  if (exact) return exact;
  const language = t.split('-')[0];
  return LOCALES.find((l) => l.toLowerCase().split('-')[0] === language);
}

// Offered by language as well as by full tag, so that `es-MX` or `es` finds es-US.
const OFFERED = [...LOCALES, ...new Set(LOCALES.map((l) => l.split('-')[0] as string))];

/**
 * The locale to answer in: the person's explicit choice when it names one, else the best match of
 * Accept-Language (by quality, then order), else English.
 */
export function negotiateLocale(acceptLanguage: string | undefined, chosen?: string | undefined): Locale {
  const picked = localeOf(chosen);
  if (picked) return picked;
  if (!acceptLanguage) return DEFAULT_LOCALE;
  const best = new Negotiator({ headers: { 'accept-language': acceptLanguage } }).language(OFFERED);
  return localeOf(best) ?? DEFAULT_LOCALE;
}

/** One part's strings in every locale: the type makes every translation complete. */
export type Catalog<T> = Readonly<Record<Locale, T>>;

/** A calendar date (YYYY-MM-DD or an ISO instant) written out in the locale, in UTC. */
export function formatDay(isoDay: string, locale: Locale): string {
  const d = new Date(isoDay.length === 10 ? `${isoDay}T00:00:00.000Z` : isoDay);
  if (Number.isNaN(d.getTime())) return isoDay;
  return new Intl.DateTimeFormat(locale, { dateStyle: 'long', timeZone: 'UTC' }).format(d);
}
