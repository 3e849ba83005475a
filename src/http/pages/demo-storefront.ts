// GET /demo/store: a demo shop page carrying the consent script, for newcomers and the browser
// tests. Its cart works with every cookie refused and with cookies disabled (P18). Its contest, text
// message and catalog forms post to the demo shop's own backend (demo-storefront-routes.ts), which
// records them through the collection service as a real shop backend does through the API; each
// form says what it collects and why, with a link to the notice (P1).
import type { Policy } from '../../modules/policy/index.js';
import { html, type SafeHtml } from '../../platform/html.js';
import type { ScriptTag } from '../consent-script.js';
import {
  errorSummary,
  type FieldRef,
  type FormState,
  fieldError,
  invalidAttrs,
  ticked,
  typed,
} from './form-state.js';
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
  /** The form just sent, or the one refused: filled in again, each mistake at its field. */
  readonly sent?: DemoForm | undefined;
  readonly error?: { readonly form: DemoForm; readonly state: FormState } | undefined;
}

/** Each demo form's fields (body key, element id, label), as its list of mistakes names them. */
export const DEMO_FIELDS: Readonly<Record<DemoForm, readonly FieldRef[]>> = {
  contest: [
    { name: 'email', id: 'contest-email', label: 'Email' },
    { name: 'name', id: 'contest-name', label: 'Name (optional)' },
  ],
  sms: [
    { name: 'phone', id: 'sms-phone', label: 'Mobile number' },
    { name: 'consent', id: 'sms-consent', label: 'Yes, text me offers' },
  ],
  catalog: [
    { name: 'first_name', id: 'cat-first', label: 'First name' },
    { name: 'last_name', id: 'cat-last', label: 'Last name' },
    { name: 'email', id: 'cat-email', label: 'Email' },
    { name: 'line1', id: 'cat-line1', label: 'Street address' },
    { name: 'city', id: 'cat-city', label: 'City' },
    { name: 'postal_code', id: 'cat-postal', label: 'ZIP code' },
    { name: 'relationship_status', id: 'cat-relationship_status', label: 'Relationship status' },
    { name: 'jewelry_types', id: 'cat-jewelry_types', label: 'What are you shopping for?' },
    { name: 'budget', id: 'cat-budget', label: 'Budget (US dollars)' },
    { name: 'age_range', id: 'cat-age_range', label: 'Age range' },
    { name: 'residence_type', id: 'cat-residence_type', label: 'Where you live' },
  ],
};

const SENT: Record<DemoForm, string> = {
  contest:
    'You are entered. Good luck! (Entrants get our marketing emails; every email has an unsubscribe link.)',
  sms: 'You are signed up for text messages. Reply STOP at any time.',
  catalog: 'Your free catalog is on its way.',
};

function status(s: DemoStoreState, form: DemoForm, viewer: Viewer): SafeHtml | string {
  if (s.error?.form === form)
    return html`<div data-testid="${form}-error">${errorSummary(s.error.state, DEMO_FIELDS[form], viewer.locale)}</div>`;
  if (s.sent === form) return html`<p class="ok" role="status" data-testid="${form}-sent">${SENT[form]}</p>`;
  return '';
}

/** The state of one demo form: what was typed and its mistakes when it is the one sent back. */
function stateOf(s: DemoStoreState, form: DemoForm): FormState {
  return s.error?.form === form ? s.error.state : {};
}

/** A text input of a demo form, filled in and marked as the state says. */
function input(state: FormState, f: { name: string; id: string; label: string }, attrs: SafeHtml): SafeHtml {
  return html`<p><label for="${f.id}">${f.label}</label>${fieldError(state, f.name, f.id)}<input id="${f.id}" name="${f.name}" ${attrs} value="${typed(state, f.name)}"${invalidAttrs(state, f.name, f.id)}></p>`;
}

function field(form: DemoForm, name: string): FieldRef {
  return DEMO_FIELDS[form].find((f) => f.name === name)!;
}

/** The options of a catalog question, from the policy's values for it. */
function choices(policy: Policy, field: string): readonly string[] {
  return policy.doc.collection_points.catalog_request?.fields[field]?.values ?? [];
}

function answerLabel(value: string): string {
  return worded(value.replace(/^(\d+)_(\d+)$/, '$1 to $2').replace(/_plus$/, ' or more'));
}

function select(policy: Policy, state: FormState, name: string): SafeHtml {
  const f = field('catalog', name);
  const chosen = typed(state, name);
  return html`<p><label for="${f.id}">${f.label}</label>${fieldError(state, name, f.id)}
  <select id="${f.id}" name="${name}" required${invalidAttrs(state, name, f.id)}><option value="">(choose)</option>${choices(policy, name).map((v) => html`<option value="${v}"${v === chosen ? html` selected` : ''}>${answerLabel(v)}</option>`)}</select></p>`;
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
  const contest = stateOf(s, 'contest');
  const sms = stateOf(s, 'sms');
  const catalog = stateOf(s, 'catalog');
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
  ${status(s, 'contest', viewer)}
  <form method="post" action="/demo/store/contest" data-testid="contest-form">
    <input type="hidden" name="_csrf" value="${s.tokens.contest}">
    ${input(contest, field('contest', 'email'), html`type="email" autocomplete="email" maxlength="254" required`)}
    ${input(contest, field('contest', 'name'), html`autocomplete="name" maxlength="200"`)}
    ${notice('contest_entry', 'Entering the contest adds you to our marketing emails (unsubscribe in any email).')}
    <p><button type="submit">Enter the contest</button></p>
  </form>

  <h2 id="sms">Offers by text message</h2>
  ${status(s, 'sms', viewer)}
  <form method="post" action="/demo/store/sms" data-testid="sms-form">
    <input type="hidden" name="_csrf" value="${s.tokens.sms}">
    ${input(sms, field('sms', 'phone'), html`type="tel" autocomplete="tel" maxlength="40" required`)}
    ${fieldError(sms, 'consent', 'sms-consent')}
    <label class="choice"><input type="checkbox" id="sms-consent" name="consent" value="yes" required${ticked(sms, 'consent', 'yes') ? html` checked` : ''}${invalidAttrs(sms, 'consent', 'sms-consent')}> ${smsConsentText(policy)}</label>
    ${notice('sms_signup', 'We use your number only for marketing text messages.')}
    <p><button type="submit">Sign up for texts</button></p>
  </form>

  <h2 id="catalog">Free catalog</h2>
  ${status(s, 'catalog', viewer)}
  <form method="post" action="/demo/store/catalog" data-testid="catalog-form">
    <input type="hidden" name="_csrf" value="${s.tokens.catalog}">
    ${input(catalog, field('catalog', 'first_name'), html`autocomplete="given-name" maxlength="100" required`)}
    ${input(catalog, field('catalog', 'last_name'), html`autocomplete="family-name" maxlength="100" required`)}
    ${input(catalog, field('catalog', 'email'), html`type="email" autocomplete="email" maxlength="254" required`)}
    ${input(catalog, field('catalog', 'line1'), html`autocomplete="address-line1" maxlength="200" required`)}
    ${input(catalog, field('catalog', 'city'), html`autocomplete="address-level2" maxlength="100" required`)}
    ${input(catalog, field('catalog', 'postal_code'), html`autocomplete="postal-code" maxlength="20" required`)}
    ${select(policy, catalog, 'relationship_status')}
    <fieldset>
      <legend>${field('catalog', 'jewelry_types').label}</legend>${fieldError(catalog, 'jewelry_types', 'cat-jewelry_types')}
      ${choices(policy, 'jewelry_types').map((v, i) => html`<label class="choice"><input type="checkbox"${i === 0 ? html` id="cat-jewelry_types"` : ''} name="jewelry_types" value="${v}"${ticked(catalog, 'jewelry_types', v) ? html` checked` : ''}${i === 0 ? invalidAttrs(catalog, 'jewelry_types', 'cat-jewelry_types') : ''}> ${answerLabel(v)}</label>`)}
    </fieldset>
    ${select(policy, catalog, 'budget')}
    ${select(policy, catalog, 'age_range')}
    ${select(policy, catalog, 'residence_type')}
    ${notice('catalog_request', 'We mail you the catalog and promotions, and add you to our marketing emails.')}
    <p><button type="submit">Send me the catalog</button></p>
  </form>

  <h2>Your cookie choices</h2>
  <p><button type="button" data-vow-preferences>Change cookie settings</button></p>
  <p>You can opt out of Google Analytics data gathering on this page: <span data-vow-ga-optout></span></p>
</section>
<script src="/demo/store.js"></script>`;
  return shopperPage({
    title: 'Demo storefront',
    policy,
    body,
    viewer,
    current: '/demo/store',
    floatingSettings: true,
  });
}
