// The web shell every Vow page uses: accessible landmarks, vow.css (and the console's stylesheet on
// staff pages), no inline script or style.
import type { Policy } from '../modules/policy/index.js';
import { html, type SafeHtml } from '../platform/html.js';
import { type Catalog, DEFAULT_LOCALE, formatDay, htmlLang, type Locale } from '../platform/i18n/index.js';

/** A header navigation entry. */
export interface NavEntry {
  readonly href: string;
  /** The words (a label may carry an inline icon). */
  readonly label: string | SafeHtml;
  /**
   * The link to the cookie choices: marked data-vow-choices, so the consent script shows no
   * floating "Cookie settings" button over a page that has this one in its header.
   */
  readonly choices?: true;
}

export interface PageOptions {
  readonly title: string;
  readonly policy: Policy;
  readonly body: SafeHtml;
  /** Which top navigation entry is current. */
  readonly current?: string;
  /** Stylesheets after vow.css (same-origin paths only: the CSP forbids inline style). */
  readonly stylesheets?: readonly string[];
  /** Extra scripts (same-origin paths only: the CSP forbids inline script). */
  readonly scripts?: readonly string[];
  /** Extra navigation entries for pages a later module adds (a label may carry an inline icon). */
  readonly nav?: readonly NavEntry[];
  /** Where the brand links to (the way home from every page); the privacy notice by default. */
  readonly home?: string;
  /** The language of the page's own words (shopper pages; staff pages stay in English). */
  readonly locale?: Locale;
  /** Shown in the header after the navigation (the shopper pages' language switch). */
  readonly headerExtra?: SafeHtml;
  /** The body's class (`shopper`: the shopper pages' phone rules in vow.css). */
  readonly bodyClass?: string;
  /** The footer's first line instead of the shopper's "Questions about your privacy?" (the console's). */
  readonly footer?: SafeHtml;
}

interface LayoutWords {
  readonly skip: string;
  readonly notice: string;
  readonly mainNav: string;
  footer(p: { phone: SafeHtml; email: SafeHtml; name: string; address: string }): SafeHtml;
  version(p: { version: SafeHtml; effective: string }): SafeHtml;
}

const WORDS: Catalog<LayoutWords> = {
  'en-US': {
    skip: 'Skip to content',
    notice: 'Privacy notice',
    mainNav: 'Main',
    footer: (p) => html`Questions about your privacy? Call ${p.phone} or email
    ${p.email}. ${p.name}, ${p.address}.`,
    version: (p) => html`Privacy policy version ${p.version}, effective ${p.effective}.`,
  },
  'es-US': {
    skip: 'Ir al contenido',
    notice: 'Aviso de privacidad',
    mainNav: 'Principal',
    footer: (p) => html`¿Preguntas sobre su privacidad? Llame al ${p.phone} o escriba a
    ${p.email}. ${p.name}, ${p.address}.`,
    version: (p) => html`Versión de la política de privacidad ${p.version}, vigente desde el ${p.effective}.`,
  },
};

/**
 * A value a person gave (a name, an email address, a value we hold), shown inside a sentence or
 * next to other words: isolated in <bdi>, so a name typed right to left takes its direction from
 * its own letters and neither drags the words and numbers after it into its run ("سارة" then
 * "2 requests" showed as "2 سارة requests") nor is reordered by them. Empty for no value.
 */
export function personal(value: string | SafeHtml | null | undefined): SafeHtml | '' {
  return value === null || value === undefined || value === '' ? '' : html`<bdi>${value}</bdi>`;
}

/** The controller's phone and email as links (the footers name them). */
export function contactLinks(policy: Policy): { phone: SafeHtml; email: SafeHtml } {
  const c = policy.doc.controller;
  return {
    phone: html`<a href="tel:${c.phone.replace(/[^0-9+]/g, '')}">${c.phone}</a>`,
    email: html`<a href="mailto:${c.email}">${c.email}</a>`,
  };
}

export function page(o: PageOptions): string {
  const c = o.policy.doc.controller;
  const w = WORDS[o.locale ?? DEFAULT_LOCALE];
  const nav = [{ href: '/privacy', label: w.notice }, ...(o.nav ?? [])];
  const lang = o.locale ? htmlLang(o.locale) : (o.policy.doc.locale.split('-')[0] ?? 'en');
  const { phone, email } = contactLinks(o.policy);
  // Shoppers read the day in their language; staff pages (no locale) keep the ISO date.
  const effective = o.locale ? formatDay(o.policy.effectiveDate, o.locale) : o.policy.effectiveDate;
  return `<!doctype html>\n${html`<html lang="${lang}">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="color-scheme" content="light dark">
<title>${o.title} — ${c.name}</title>
<link rel="icon" href="data:,">
<link rel="stylesheet" href="/assets/vow.css">${(o.stylesheets ?? []).map((s) => html`\n<link rel="stylesheet" href="${s}">`)}
${(o.scripts ?? []).map((s) => html`<script src="${s}" defer></script>`)}
</head>
<body${o.bodyClass ? html` class="${o.bodyClass}"` : ''}>
<a class="skip" href="#main">${w.skip}</a>
<header class="site">
  <div class="wrap">
    <a class="brand" href="${o.home ?? '/privacy'}" data-testid="brand">${c.name}</a>
    <nav aria-label="${w.mainNav}">
      <ul>
        ${nav.map((n) => html`<li><a href="${n.href}"${o.current === n.href ? html` aria-current="page"` : ''}${n.choices ? html` data-vow-choices` : ''}>${n.label}</a></li>`)}
      </ul>
    </nav>${o.headerExtra ?? ''}
  </div>
</header>
<main id="main" class="wrap" tabindex="-1">
${o.body}
</main>
<footer class="site">
  <div class="wrap">
    <p>${o.footer ?? w.footer({ phone, email, name: c.name, address: c.postal_address })}</p>
    <p class="small">${w.version({ version: html`<code>${o.policy.version}</code>`, effective })}</p>
  </div>
</footer>
</body>
</html>`}`;
}
