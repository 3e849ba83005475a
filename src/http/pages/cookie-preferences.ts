// GET /cookies/preferences: the preference centre. Every cookie category of the policy, a button to
// change or withdraw the choice, and the Google Analytics opt-out the notice promises (P19).
import type { Policy } from '../../modules/policy/index.js';
import { html } from '../../platform/html.js';
import type { ScriptTag } from '../consent-script.js';
import { page } from '../layout.js';

export function renderCookiePreferences(policy: Policy, script: ScriptTag): string {
  const categories = Object.entries(policy.doc.cookie_categories);
  const body = html`
<script src="${script.src}" integrity="${script.integrity}" crossorigin="anonymous" defer></script>
<section aria-labelledby="prefs-title" data-vow-area="account">
  <h1 id="prefs-title">Your cookie choices</h1>
  <p>${policy.doc.controller.name} uses cookies only as you choose. The cookie that remembers your
  choice holds a random id and the choice, nothing that identifies you. You can change your mind at
  any time here, or with the <em>Cookie settings</em> button on every page.</p>
  <ul>
    ${categories.map(
      ([id, c]) =>
        html`<li data-category="${id}"><strong>${c.title}</strong>${c.required ? ' (always on)' : ''}: ${c.description}</li>`,
    )}
  </ul>
  <p><button type="button" data-vow-preferences data-testid="change-choices">Change my cookie choices</button></p>
  <h2>Google Analytics</h2>
  <p>You can opt out of Google Analytics data gathering on this page:
  <span data-vow-ga-optout></span></p>
  <p class="small">Your browser's Global Privacy Control signal is honoured as an opt-out of the sale
  and sharing of your data and of advertising. See <a href="/privacy#cookies">our privacy notice</a>.</p>
</section>`;
  return page({ title: 'Your cookie choices', policy, body, current: '/cookies/preferences' });
}
