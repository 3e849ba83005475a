// GET /cookies/preferences: the preference centre ("Your Privacy Choices"). The consent script turns
// its list into switches showing the visitor's CURRENT choice per category, with "Do not sell or
// share my personal information" (the categories Global Privacy Control turns off) and the cookies
// and tools behind each category; without the script the page still lists them. The Google
// Analytics opt-out the notice promises (P19) sits below.
import type { Policy } from '../../modules/policy/index.js';
import { html } from '../../platform/html.js';
import type { ScriptTag } from '../consent-script.js';
import { ANONYMOUS, PRIVACY_CHOICES_ICON, shopperPage, type Viewer } from './shopper-layout.js';

export function renderCookiePreferences(
  policy: Policy,
  script: ScriptTag,
  viewer: Viewer = ANONYMOUS,
): string {
  const categories = Object.entries(policy.doc.cookie_categories);
  const cookies = policy.doc.cookies ?? [];
  const body = html`
<script src="${script.src}" integrity="${script.integrity}" crossorigin="anonymous" defer></script>
<section aria-labelledby="prefs-title" data-vow-area="account">
  <h1 id="prefs-title">${PRIVACY_CHOICES_ICON} Your Privacy Choices</h1>
  <p>${policy.doc.controller.name} uses cookies only as you choose, and never sells or shares your
  information if you say so. The cookie that remembers your choice holds a random id and the choice,
  nothing that identifies you. Change your mind at any time here, or with the <em>Cookie settings</em>
  button on every page.</p>
  <h2>Cookies and tools</h2>
  <div data-vow-preference-centre>
    <ul data-testid="static-categories">
      ${categories.map(
        ([
          id,
          c,
        ]) => html`<li data-category="${id}"><strong>${c.title}</strong>${c.required ? ' (always on)' : ''}: ${c.description}
        ${
          cookies.some((k) => k.category === id)
            ? html`<ul>${cookies
                .filter((k) => k.category === id)
                .map(
                  (k) =>
                    html`<li><strong>${k.name}</strong>: ${k.purpose}. Lasts: ${k.duration}. Provider: ${k.provider}.</li>`,
                )}</ul>`
            : ''
        }</li>`,
      )}
    </ul>
    <p class="small">Your current choices and their switches appear here once the page's script has loaded.</p>
  </div>
  <p><button type="button" class="secondary" data-vow-preferences data-testid="change-choices">Open the cookie banner</button></p>
  <h2>Google Analytics</h2>
  <p>You can opt out of Google Analytics data gathering on this page:
  <span data-vow-ga-optout></span></p>
  <h2>Your other rights</h2>
  <ul class="ways-back">
    <li><a href="/privacy/request">Make a privacy request</a></li>
    <li><a href="/privacy/complaint">Make a complaint</a></li>
    <li>${viewer.signedIn ? html`<a href="/account/my-data">My data</a>` : html`<a href="/login">Log in to see your data</a>`}</li>
  </ul>
  <p class="small">Your browser's Global Privacy Control signal is honoured as an opt-out of the sale
  and sharing of your data and of advertising. See <a href="/privacy#cookies">our privacy notice</a>.</p>
</section>`;
  return shopperPage({
    title: 'Your Privacy Choices',
    policy,
    body,
    viewer,
    current: '/cookies/preferences',
  });
}
