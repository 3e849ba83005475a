// The shopper pages' frame around the common layout: one navigation for every shopper page (the
// notice, a privacy request, "Your Privacy Choices", and "My data" or "Log in" depending on whether
// the visitor is signed in), and the California opt-out icon drawn inline (no image request).
import type { FastifyRequest } from 'fastify';
import { html, raw, type SafeHtml } from '../../platform/html.js';
import {
  type Catalog,
  DEFAULT_LOCALE,
  LOCALE_NAMES,
  LOCALES,
  type Locale,
} from '../../platform/i18n/index.js';
import { type NavEntry, type PageOptions, page } from '../layout.js';
import { pageLocale } from '../page-locale.js';

/**
 * Who is looking at a shopper page: whether a shopper session is open, the language they read, and
 * the page's own path (where the language switch leads back to).
 */
export interface Viewer {
  readonly signedIn: boolean;
  readonly locale: Locale;
  readonly path: string;
}

export const ANONYMOUS: Viewer = { signedIn: false, locale: DEFAULT_LOCALE, path: '/privacy' };

export function viewerOf(req: FastifyRequest): Viewer {
  return {
    signedIn: req.principal?.kind === 'shopper',
    locale: pageLocale(req),
    path: req.url.split('?')[0] ?? '/privacy',
  };
}

interface NavWords {
  readonly request: string;
  readonly choices: string;
  readonly myData: string;
  readonly logIn: string;
  readonly language: string;
}

const NAV: Catalog<NavWords> = {
  'en-US': {
    request: 'Make a request',
    choices: 'Your Privacy Choices',
    myData: 'My data',
    logIn: 'Log in',
    language: 'Language',
  },
  'es-US': {
    request: 'Hacer una solicitud',
    choices: 'Sus opciones de privacidad',
    myData: 'Mis datos',
    logIn: 'Iniciar sesión',
    language: 'Idioma',
  },
};

/** The shopper navigation's words in a locale (for pages that link to the same places). */
export function navWords(locale: Locale): NavWords {
  return NAV[locale];
}

/**
 * The language switch: one link per locale to /language, which remembers the choice in a
 * preference cookie and leads back to this page.
 */
export function languageSwitch(viewer: Viewer): SafeHtml {
  const back = switchBack(viewer.path);
  return html`<nav class="language-switch" aria-label="${NAV[viewer.locale].language}" data-testid="language-switch"><ul>${LOCALES.map(
    (l) =>
      html`<li><a href="/language?to=${l}${back ? html`&amp;back=${encodeURIComponent(back)}` : ''}" lang="${l}" hreflang="${l}"${l === viewer.locale ? html` aria-current="true"` : ''}>${LOCALE_NAMES[l]}</a></li>`,
  )}</ul></nav>`;
}

/**
 * The path the switch leads back to, when it is safe to repeat in another address: only paths made
 * of plain lowercase words (`/privacy/request`, `/account/my-data`). A path holding a token or an
 * address (a status link, an unsubscribe link) is never copied into the switch's URL, where logs
 * and the Referer would see it again; the switch then leads to the notice.
 */
export function switchBack(path: string): string | undefined {
  return /^(\/[a-z0-9-]{1,40})+$/.test(path) ? path : undefined;
}

/**
 * The California Privacy Protection Agency's opt-out icon (a toggle: a check on white, a cross on
 * blue), decorative: the link's words say where it goes.
 */
export const PRIVACY_CHOICES_ICON: SafeHtml = raw(
  '<svg class="privacy-choices-icon" aria-hidden="true" focusable="false" viewBox="0 0 30 14" width="30" height="14">' +
    '<rect x="0.5" y="0.5" width="29" height="13" rx="6.5" fill="#fff" stroke="#0066ff"/>' +
    '<path d="M15 0.5h8a6.5 6.5 0 0 1 0 13h-11z" fill="#0066ff"/>' +
    '<path d="M5 7.2l2.2 2.2 4-4.6" fill="none" stroke="#0066ff" stroke-width="1.6" stroke-linecap="round" stroke-linejoin="round"/>' +
    '<path d="M18.6 4.6l4.8 4.8m0-4.8l-4.8 4.8" fill="none" stroke="#fff" stroke-width="1.6" stroke-linecap="round"/>' +
    '</svg>',
);

/** The "Your Privacy Choices" link: the preference centre, with the opt-out icon. */
export function privacyChoicesLink(testId = 'privacy-choices', locale: Locale = DEFAULT_LOCALE): SafeHtml {
  return html`<a class="privacy-choices" href="/cookies/preferences" data-testid="${testId}">${PRIVACY_CHOICES_ICON}<span>${NAV[locale].choices}</span></a>`;
}

export function shopperNav(
  viewer: Pick<Viewer, 'signedIn'> & { locale?: Locale },
  markChoices = true,
): NavEntry[] {
  const w = NAV[viewer.locale ?? DEFAULT_LOCALE];
  return [
    { href: '/privacy/request', label: w.request },
    {
      href: '/cookies/preferences',
      label: html`${PRIVACY_CHOICES_ICON} ${w.choices}`,
      ...(markChoices ? { choices: true } : {}),
    },
    viewer.signedIn ? { href: '/account/my-data', label: w.myData } : { href: '/login', label: w.logIn },
  ];
}

export type ShopperPageOptions = Omit<PageOptions, 'nav'> & {
  readonly viewer?: Viewer | undefined;
  /**
   * Keep the consent script's floating "Cookie settings" button (the demo storefront, which shows
   * what a shop pasting the tag gets); Vow's own pages have the header's "Your Privacy Choices".
   */
  readonly floatingSettings?: true;
};

/** A shopper page: the common layout with the shopper navigation. */
export function shopperPage(o: ShopperPageOptions): string {
  const v = o.viewer ?? ANONYMOUS;
  const { viewer: _viewer, floatingSettings, ...rest } = o;
  const nav = shopperNav(v, floatingSettings !== true);
  return page({ ...rest, locale: v.locale, nav, headerExtra: languageSwitch(v), bodyClass: 'shopper' });
}
