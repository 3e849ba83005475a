// GET /demo/store: a demo shop page carrying the consent script, for newcomers and the browser
// tests. Its cart works with every cookie refused and with cookies disabled (P18). Its contest, text
// message and catalog forms post to the demo shop's own backend (demo-storefront-routes.ts), which
// records them through the collection service as a real shop backend does through the API; each
// form says what it collects and why, with a link to the notice (P1).
import type { Policy } from '../../modules/policy/index.js';
import { html, type SafeHtml } from '../../platform/html.js';
import type { ScriptTag } from '../consent-script.js';
import { worded } from './plain-data.js';
import { ANONYMOUS, shopperPage, type Viewer } from './shopper-layout.js';

const PRODUCTS = [
  { name: 'Lab-grown diamond solitaire ring', cents: 129_900 },
  { name: 'Classic stud earrings', cents: 49_900 },
  { name: 'Tennis bracelet', cents: 219_500 },
];

/** The wording next to the text-message box, kept with the sign-up as proof of consent. */
export function smsConsentText(policy: Policy): string {
  return `Yes, text me offers and news from ${policy.doc.controller.name} at this number (up to 4 messages a month). Consent is not a condition of purchase. Reply STOP to stop, HELP for help. Message and data rates may apply.`;
}

export type DemoForm = 'contest' | 'sms' | 'catalog';

export interface DemoStoreState {
  readonly tokens: Readonly<Record<DemoForm, string>>;
  /** The form just sent, or the one refused with its message. */
  readonly sent?: DemoForm | undefined;
  readonly error?: { readonly form: DemoForm; readonly message: string } | undefined;
}

const SENT: Record<DemoForm, string> = {
  contest:
    'You are entered. Good luck! (Entrants get our marketing emails; every email has an unsubscribe link.)',
  sms: 'You are signed up for text messages. Reply STOP at any time.',
  catalog: 'Your free catalog is on its way.',
};

function status(s: DemoStoreState, form: DemoForm): SafeHtml | string {
  if (s.error?.form === form)
    return html`<p class="error" role="alert" data-testid="${form}-error">${s.error.message}</p>`;
  if (s.sent === form) return html`<p class="ok" role="status" data-testid="${form}-sent">${SENT[form]}</p>`;
  return '';
}

/** The options of a catalog question, from the policy's values for it. */
function choices(policy: Policy, field: string): readonly string[] {
  return policy.doc.collection_points.catalog_request?.fields[field]?.values ?? [];
}

function answerLabel(value: string): string {
  return worded(value.replace(/^(\d+)_(\d+)$/, '$1 to $2').replace(/_plus$/, ' or more'));
}

function select(policy: Policy, field: string, label: string): SafeHtml {
  return html`<p><label for="cat-${field}">${label}</label>
  <select id="cat-${field}" name="${field}" required><option value="">(choose)</option>${choices(policy, field).map((v) => html`<option value="${v}">${answerLabel(v)}</option>`)}</select></p>`;
}

function notice(point: string, text: string): SafeHtml {
  return html`<p class="small">${text} <a href="/privacy#collect-${point}">What we collect here and why</a>.</p>`;
}

export function renderDemoStorefront(
  policy: Policy,
  script: ScriptTag,
  s: DemoStoreState,
  viewer: Viewer = ANONYMOUS,
): string {
  const body = html`
<script src="${script.src}" integrity="${script.integrity}" crossorigin="anonymous" defer></script>
<section class="demo-store" data-vow-area="catalog" data-testid="store">
  <h1>${policy.doc.controller.name} demo storefront</h1>
  <p>A pretend shop page that carries Vow's consent script. Nothing here is sold. Try the cookie
  banner: every choice is recorded in Vow's consent ledger, and the cart below works whatever you choose.</p>
  <ul class="demo-products cards">
    ${PRODUCTS.map(
      (p) => html`<li>
      <h2>${p.name}</h2>
      <p>$${(p.cents / 100).toFixed(2)}</p>
      <button type="button" data-add-to-cart data-value-cents="${p.cents}" data-currency="USD">Add ${p.name} to cart</button>
    </li>`,
    )}
  </ul>
  <p>Cart: <output id="cart-count" data-testid="cart-count">0</output> item(s), <output id="cart-total" data-testid="cart-total">$0.00</output></p>
  <p><button type="button" id="place-order" data-testid="place-order">Place order</button></p>
  <p id="order-status" role="status" data-testid="order-status"></p>

  <h2 id="contest">Win a pair of diamond studs</h2>
  ${status(s, 'contest')}
  <form method="post" action="/demo/store/contest" data-testid="contest-form">
    <input type="hidden" name="_csrf" value="${s.tokens.contest}">
    <p><label for="contest-email">Email</label><input id="contest-email" name="email" type="email" autocomplete="email" required></p>
    <p><label for="contest-name">Name (optional)</label><input id="contest-name" name="name" autocomplete="name"></p>
    ${notice('contest_entry', 'Entering the contest adds you to our marketing emails (unsubscribe in any email).')}
    <p><button type="submit">Enter the contest</button></p>
  </form>

  <h2 id="sms">Offers by text message</h2>
  ${status(s, 'sms')}
  <form method="post" action="/demo/store/sms" data-testid="sms-form">
    <input type="hidden" name="_csrf" value="${s.tokens.sms}">
    <p><label for="sms-phone">Mobile number</label><input id="sms-phone" name="phone" type="tel" autocomplete="tel" required></p>
    <label class="choice"><input type="checkbox" name="consent" value="yes" required> ${smsConsentText(policy)}</label>
    ${notice('sms_signup', 'We use your number only for marketing text messages.')}
    <p><button type="submit">Sign up for texts</button></p>
  </form>

  <h2 id="catalog">Free catalog</h2>
  ${status(s, 'catalog')}
  <form method="post" action="/demo/store/catalog" data-testid="catalog-form">
    <input type="hidden" name="_csrf" value="${s.tokens.catalog}">
    <p><label for="cat-first">First name</label><input id="cat-first" name="first_name" autocomplete="given-name" required></p>
    <p><label for="cat-last">Last name</label><input id="cat-last" name="last_name" autocomplete="family-name" required></p>
    <p><label for="cat-email">Email</label><input id="cat-email" name="email" type="email" autocomplete="email" required></p>
    <p><label for="cat-line1">Street address</label><input id="cat-line1" name="line1" autocomplete="address-line1" required></p>
    <p><label for="cat-city">City</label><input id="cat-city" name="city" autocomplete="address-level2" required></p>
    <p><label for="cat-postal">ZIP code</label><input id="cat-postal" name="postal_code" autocomplete="postal-code" required></p>
    ${select(policy, 'relationship_status', 'Relationship status')}
    <fieldset>
      <legend>What are you shopping for?</legend>
      ${choices(policy, 'jewelry_types').map((v) => html`<label class="choice"><input type="checkbox" name="jewelry_types" value="${v}"> ${answerLabel(v)}</label>`)}
    </fieldset>
    ${select(policy, 'budget', 'Budget (US dollars)')}
    ${select(policy, 'age_range', 'Age range')}
    ${select(policy, 'residence_type', 'Where you live')}
    ${notice('catalog_request', 'We mail you the catalog and promotions, and add you to our marketing emails.')}
    <p><button type="submit">Send me the catalog</button></p>
  </form>

  <h2>Your cookie choices</h2>
  <p><button type="button" data-vow-preferences>Change cookie settings</button></p>
  <p>You can opt out of Google Analytics data gathering on this page: <span data-vow-ga-optout></span></p>
</section>
<script src="/demo/store.js"></script>`;
  return shopperPage({ title: 'Demo storefront', policy, body, viewer, current: '/demo/store' });
}
