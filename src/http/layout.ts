// The web shell every Vow page uses: accessible landmarks, vow.css (and the console's stylesheet on
// staff pages), no inline script or style.
import type { Policy } from '../modules/policy/index.js';
import { html, type SafeHtml } from '../platform/html.js';

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
  readonly nav?: readonly { href: string; label: string | SafeHtml }[];
  /** Where the brand links to (the way home from every page); the privacy notice by default. */
  readonly home?: string;
}

const DEFAULT_NAV: readonly { href: string; label: string | SafeHtml }[] = [
  { href: '/privacy', label: 'Privacy notice' },
];

export function page(o: PageOptions): string {
  const c = o.policy.doc.controller;
  const nav = [...DEFAULT_NAV, ...(o.nav ?? [])];
  return `<!doctype html>\n${html`<html lang="${o.policy.doc.locale.split('-')[0] ?? 'en'}">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${o.title} — ${c.name}</title>
<link rel="icon" href="data:,">
<link rel="stylesheet" href="/assets/vow.css">${(o.stylesheets ?? []).map((s) => html`\n<link rel="stylesheet" href="${s}">`)}
${(o.scripts ?? []).map((s) => html`<script src="${s}" defer></script>`)}
</head>
<body>
<a class="skip" href="#main">Skip to content</a>
<header class="site">
  <div class="wrap">
    <a class="brand" href="${o.home ?? '/privacy'}" data-testid="brand">${c.name}</a>
    <nav aria-label="Main">
      <ul>
        ${nav.map((n) => html`<li><a href="${n.href}"${o.current === n.href ? html` aria-current="page"` : ''}>${n.label}</a></li>`)}
      </ul>
    </nav>
  </div>
</header>
<main id="main" class="wrap" tabindex="-1">
${o.body}
</main>
<footer class="site">
  <div class="wrap">
    <p>Questions about your privacy? Call <a href="tel:${c.phone.replace(/[^0-9+]/g, '')}">${c.phone}</a> or email
    <a href="mailto:${c.email}">${c.email}</a>. ${c.name}, ${c.postal_address}.</p>
    <p class="small">Privacy policy version <code>${o.policy.version}</code>, effective ${o.policy.effectiveDate}.</p>
  </div>
</footer>
</body>
</html>`}`;
}
