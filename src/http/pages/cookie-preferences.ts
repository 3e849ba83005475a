// GET /cookies/preferences: the preference centre ("Your Privacy Choices"). The consent script turns
// its list into switches showing the visitor's CURRENT choice per category, with "Do not sell or
// share my personal information" (the categories Global Privacy Control turns off) and the cookies
// and tools behind each category; without the script the page still lists them. The Google
// Analytics opt-out the notice promises (P19) sits below.
import { categoryCookies, cookieCategoryText, type Policy } from '../../modules/policy/index.js';
import { html, type SafeHtml } from '../../platform/html.js';
import type { Catalog } from '../../platform/i18n/index.js';
import type { ScriptTag } from '../consent-script.js';
import { ANONYMOUS, PRIVACY_CHOICES_ICON, shopperPage, type Viewer } from './shopper-layout.js';

interface PreferenceWords {
  readonly title: string;
  intro(shop: string): SafeHtml;
  readonly cookiesAndTools: string;
  readonly alwaysOn: string;
  cookie(p: { name: string; purpose: string; duration: string; provider: string }): SafeHtml;
  readonly pending: string;
  readonly openBanner: string;
  readonly gaOptOut: string;
  readonly otherRights: string;
  readonly request: string;
  readonly complaint: string;
  readonly myData: string;
  readonly logInToSee: string;
  readonly gpc: SafeHtml;
}

const WORDS: Catalog<PreferenceWords> = {
  'en-US': {
    title: 'Your Privacy Choices',
    intro: (shop) => html`${shop} uses cookies only as you choose, and never sells or shares your
  information if you say so. The cookie that remembers your choice holds a random id and the choice,
  nothing that identifies you. Change your mind at any time here; every page leads back to these
  choices (<em>Your Privacy Choices</em>, or a <em>Cookie settings</em> button).`,
    cookiesAndTools: 'Cookies and tools',
    alwaysOn: ' (always on)',
    cookie: (k) =>
      html`<strong>${k.name}</strong>: ${k.purpose}. Lasts: ${k.duration}. Provider: ${k.provider}.`,
    pending: "Your current choices and their switches appear here once the page's script has loaded.",
    openBanner: 'Open the cookie banner',
    gaOptOut: 'You can opt out of Google Analytics data gathering on this page:',
    otherRights: 'Your other rights',
    request: 'Make a privacy request',
    complaint: 'Make a complaint',
    myData: 'My data',
    logInToSee: 'Log in to see your data',
    gpc: html`Your browser's Global Privacy Control signal is honored as an opt-out of the sale
  and sharing of your data and of advertising. See <a href="/privacy#cookies">our privacy notice</a>.`,
  },
  'es-US': {
    title: 'Sus opciones de privacidad',
    intro: (shop) => html`${shop} usa cookies solo como usted elija, y nunca vende ni comparte su
  información si usted así lo indica. La cookie que recuerda su elección guarda un identificador
  aleatorio y la elección, nada que lo identifique. Cambie de opinión cuando quiera aquí; cada página
  lleva de vuelta a estas opciones (<em>Sus opciones de privacidad</em>, o un botón
  <em>Configuración de cookies</em>).`,
    cookiesAndTools: 'Cookies y herramientas',
    alwaysOn: ' (siempre activas)',
    cookie: (k) =>
      html`<strong>${k.name}</strong>: ${k.purpose}. Duración: ${k.duration}. Proveedor: ${k.provider}.`,
    pending:
      'Sus opciones actuales y sus interruptores aparecen aquí cuando se carga el script de la página.',
    openBanner: 'Abrir el aviso de cookies',
    gaOptOut: 'Puede excluir la recopilación de datos de Google Analytics en esta página:',
    otherRights: 'Sus otros derechos',
    request: 'Hacer una solicitud de privacidad',
    complaint: 'Presentar una queja',
    myData: 'Mis datos',
    logInToSee: 'Inicie sesión para ver sus datos',
    gpc: html`La señal Global Privacy Control de su navegador se respeta como exclusión de la venta
  y el intercambio de sus datos y de la publicidad. Consulte <a href="/privacy#cookies">nuestro aviso de privacidad</a>.`,
  },
};

export function renderCookiePreferences(
  policy: Policy,
  script: ScriptTag,
  viewer: Viewer = ANONYMOUS,
): string {
  const categories = Object.entries(policy.doc.cookie_categories);
  const w = WORDS[viewer.locale];
  const body = html`
<script src="${script.src}" integrity="${script.integrity}" crossorigin="anonymous" defer></script>
<section aria-labelledby="prefs-title" data-vow-area="account">
  <h1 id="prefs-title">${PRIVACY_CHOICES_ICON} ${w.title}</h1>
  <p>${w.intro(policy.doc.controller.name)}</p>
  <h2>${w.cookiesAndTools}</h2>
  <div data-vow-preference-centre>
    <ul data-testid="static-categories">
      ${categories.map(([id, c]) => {
        const t = cookieCategoryText(policy, id, viewer.locale);
        const cookies = categoryCookies(policy, id, viewer.locale);
        return html`<li data-category="${id}"><strong>${t.title}</strong>${c.required ? w.alwaysOn : ''}: ${t.description}
        ${cookies.length > 0 ? html`<ul>${cookies.map((k) => html`<li>${w.cookie(k)}</li>`)}</ul>` : ''}</li>`;
      })}
    </ul>
    <p class="small">${w.pending}</p>
  </div>
  <p><button type="button" class="secondary" data-vow-preferences data-testid="change-choices">${w.openBanner}</button></p>
  <h2>Google Analytics</h2>
  <p>${w.gaOptOut}
  <span data-vow-ga-optout></span></p>
  <h2>${w.otherRights}</h2>
  <ul class="ways-back">
    <li><a href="/privacy/request">${w.request}</a></li>
    <li><a href="/privacy/complaint">${w.complaint}</a></li>
    <li>${viewer.signedIn ? html`<a href="/account/my-data">${w.myData}</a>` : html`<a href="/login">${w.logInToSee}</a>`}</li>
  </ul>
  <p class="small">${w.gpc}</p>
</section>`;
  return shopperPage({
    title: w.title,
    policy,
    body,
    viewer,
    current: '/cookies/preferences',
  });
}
