// The cookie banner's model, derived from the policy: which categories a visitor can choose, which
// consent channels each choice moves, and the signals other systems read from a choice (Google
// Consent Mode v2, the IAB GPP usnat section). Pure functions: no database, no clock.
import { DEFAULT_LOCALE, type Locale } from '../../platform/i18n/index.js';
import { categoryCookies, cookieCategoryText, isWithin, type Policy } from '../policy/index.js';
import { BANNER_TEXT, type BannerText, FIRST_LAYER_WORDS } from './banner-text.js';
import { gppStringFor } from './gpp-states.js';

/** The channel of the per-visitor Google Analytics opt-out (P19). */
export const GA_CHANNEL = 'google_analytics';
/** The channel whose grant lets Vow store measurements of a visit. */
export const ANALYTICS_CHANNEL = 'cookies.analytics';

export interface BannerCategory {
  readonly id: string;
  readonly title: string;
  readonly description: string;
  readonly required: boolean;
  readonly channels: string[];
  /** Global Privacy Control turns this category off (it sells, shares or advertises). */
  readonly gpcOptOut: boolean;
  /**
   * The cookies and tools behind the category (the policy's `cookies`), as the banner lists them, in
   * the config's language (the policy's `translations.<locale>.cookies`, durations worded).
   */
  readonly cookies: BannerCookie[];
}

export interface BannerCookie {
  readonly name: string;
  readonly purpose: string;
  readonly duration: string;
  readonly provider: string;
}

export interface BannerConfig {
  readonly consentVersion: string;
  readonly policyVersion: string;
  readonly controller: string;
  readonly categories: BannerCategory[];
  /** True when the policy has a Google Analytics channel the visitor can turn off on its own. */
  readonly googleAnalytics: boolean;
  /** Where the notice's cookie section is (relative to Vow's base URL). */
  readonly noticePath: string;
  /** The language of the words below and of the categories' titles and descriptions. */
  readonly locale: Locale;
  /** The banner's own words in that language. */
  readonly text: BannerText;
}

export function bannerConfig(policy: Policy, locale: Locale = DEFAULT_LOCALE): BannerConfig {
  const ads = new Set(advertisingChannels(policy));
  const categories = Object.entries(policy.doc.cookie_categories).map(([id, c]) => ({
    id,
    ...cookieCategoryText(policy, id, locale),
    required: c.required,
    channels: c.channels,
    gpcOptOut: c.channels.some((ch) => ads.has(ch)),
    cookies: categoryCookies(policy, id, locale),
  }));
  return {
    consentVersion: policy.consentVersion,
    policyVersion: policy.version,
    controller: policy.doc.controller.name,
    categories,
    googleAnalytics: categories.some((c) => c.channels.includes(GA_CHANNEL)),
    noticePath: '/privacy#cookies',
    locale,
    text: BANNER_TEXT[locale],
  };
}

/**
 * What the first banner needs and no more (`GET /v1/consent/banner`): the three choices, the close
 * button, the GPC line and the "Cookie settings" button. The categories are only the ids "Accept
 * all" and "Reject all" set and the titles of those GPC keeps off; their descriptions, channels and
 * cookie lists and the choices' words are in the full config (`GET /v1/consent/config`), fetched
 * when the choices open.
 */
export interface BannerFirstLayer {
  readonly consentVersion: string;
  readonly controller: string;
  /** The ids of the categories a visitor can turn on or off (every one but the required). */
  readonly optional: string[];
  /** The titles of the categories Global Privacy Control turns off, for the banner's GPC line. */
  readonly gpcOff: string[];
  readonly noticePath: string;
  readonly locale: Locale;
  readonly text: Pick<BannerText, (typeof FIRST_LAYER_WORDS)[number]>;
}

export function bannerFirstLayer(config: BannerConfig): BannerFirstLayer {
  const text: Record<string, string> = {};
  for (const key of FIRST_LAYER_WORDS) text[key] = config.text[key];
  return {
    consentVersion: config.consentVersion,
    controller: config.controller,
    optional: config.categories.filter((c) => !c.required).map((c) => c.id),
    gpcOff: config.categories.filter((c) => c.gpcOptOut).map((c) => c.title),
    noticePath: config.noticePath,
    locale: config.locale,
    text: text as BannerFirstLayer['text'],
  };
}

/** Channels whose purposes include advertising: what GPC opts out of (sale, sharing, ads). */
export function advertisingChannels(policy: Policy): string[] {
  return Object.entries(policy.doc.channels)
    .filter(([, ch]) => ch.purposes.some((p) => isWithin(p, 'advertising')))
    .map(([id]) => id);
}

/** Every channel a cookie category moves. */
export function cookieChannels(policy: Policy): string[] {
  return [...new Set(Object.values(policy.doc.cookie_categories).flatMap((c) => c.channels))];
}

export interface VisitorChoice {
  /** Category id -> chosen; required categories are always on and not listed. */
  readonly categories: Readonly<Record<string, boolean>>;
  /** The Google Analytics switch inside analytics; false turns GA off whatever analytics says. */
  readonly googleAnalytics: boolean;
}

/** The state each cookie channel should be in for a choice (GPC not applied yet). */
export function desiredChannels(policy: Policy, choice: VisitorChoice): Record<string, boolean> {
  const out: Record<string, boolean> = {};
  for (const [id, cat] of Object.entries(policy.doc.cookie_categories)) {
    if (cat.required) continue;
    const on = choice.categories[id] === true;
    for (const ch of cat.channels) {
      const value = ch === GA_CHANNEL ? on && choice.googleAnalytics : on;
      // A channel listed under two categories is granted only if every one of them is.
      out[ch] = ch in out ? out[ch]! && value : value;
    }
  }
  return out;
}

export type ConsentModeValue = 'granted' | 'denied';
export interface ConsentMode {
  readonly ad_storage: ConsentModeValue;
  readonly analytics_storage: ConsentModeValue;
  readonly ad_user_data: ConsentModeValue;
  readonly ad_personalization: ConsentModeValue;
}

export const CONSENT_MODE_DENIED: ConsentMode = {
  ad_storage: 'denied',
  analytics_storage: 'denied',
  ad_user_data: 'denied',
  ad_personalization: 'denied',
};

/** Google Consent Mode v2 signals from the channels' states (granted = true). */
export function consentMode(policy: Policy, granted: Readonly<Record<string, boolean>>): ConsentMode {
  const ads = advertisingChannels(policy).filter((c) => c in granted);
  const adsOn = ads.length > 0 && ads.every((c) => granted[c] === true);
  const analyticsOn =
    GA_CHANNEL in granted ? granted[GA_CHANNEL] === true : granted[ANALYTICS_CHANNEL] === true;
  const g = (on: boolean): ConsentModeValue => (on ? 'granted' : 'denied');
  return {
    ad_storage: g(adsOn),
    analytics_storage: g(analyticsOn),
    ad_user_data: g(adsOn),
    ad_personalization: g(adsOn),
  };
}

/** The GPP string (usnat) for a visitor: not granting advertising is an opt-out of sale and sharing. */
export function visitorGpp(
  policy: Policy,
  granted: Readonly<Record<string, boolean>>,
  gpc: boolean,
  jurisdiction?: string,
): string {
  const ads = advertisingChannels(policy);
  const adsOn = !gpc && ads.length > 0 && ads.every((c) => granted[c] === true);
  return gppStringFor(
    { saleOptOut: !adsOn, sharingOptOut: !adsOn, targetedAdvertisingOptOut: !adsOn, gpc },
    jurisdiction,
  );
}
