// GET /demo/store: a demo shop page carrying the consent script, for newcomers and the browser
// tests. Its cart works with every cookie refused and with cookies disabled (P18). Its contest, text
// message and catalog forms post to the demo shop's own backend (demo-storefront-routes.ts), which
// records them through the collection service as a real shop backend does through the API; each
// form says what it collects and why, with a link to the notice (P1).
import type { Policy } from '../../modules/policy/index.js';
import { html, type SafeHtml } from '../../platform/html.js';
import { DEFAULT_LOCALE, type Locale } from '../../platform/i18n/index.js';
import type { ScriptTag } from '../consent-script.js';
import { answerLabel } from './answer-words.js';
import {
  errorSummary,
  type FieldRef,
  type FormState,
  fieldError,
  invalidAttrs,
  ticked,
  typed,
} from './form-state.js';
import { DEMO_WORDS } from './i18n/demo-storefront.js';
import { ANONYMOUS, shopperPage, type Viewer } from './shopper-layout.js';

/** The products' prices, in the order of the words' product names. */
const PRICES = [129_900, 49_900, 219_500];

/** A price in the page's language ($1,299.00), as /demo/store.js writes the cart's total. */
function money(cents: number, locale: Locale): string {
  return new Intl.NumberFormat(locale, { style: 'currency', currency: 'USD' }).format(cents / 100);
}

/**
 * The wording next to the text-message box, in the language it is shown in: kept with the sign-up
 * as proof of consent.
 */
export function smsConsentText(policy: Policy, locale: Locale = DEFAULT_LOCALE): string {
  return DEMO_WORDS[locale].smsConsent(policy.doc.controller.name);
}

export type DemoForm = 'contest' | 'sms' | 'catalog';

export interface DemoStoreState {
  readonly tokens: Readonly<Record<DemoForm, string>>;
  /** The form just sent, or the one refused: filled in again, each mistake at its field. */
  readonly sent?: DemoForm | undefined;
  readonly error?: { readonly form: DemoForm; readonly state: FormState } | undefined;
}

/** Each demo form's fields (body key, element id), as its list of mistakes names them. */
const FIELD_IDS: Readonly<Record<DemoForm, readonly (readonly [string, string])[]>> = {
  contest: [
    ['email', 'contest-email'],
    ['name', 'contest-name'],
  ],
  sms: [
    ['phone', 'sms-phone'],
    ['consent', 'sms-consent'],
  ],
  catalog: [
    ['first_name', 'cat-first'],
    ['last_name', 'cat-last'],
    ['email', 'cat-email'],
    ['line1', 'cat-line1'],
    ['city', 'cat-city'],
    ['postal_code', 'cat-postal'],
    ['relationship_status', 'cat-relationship_status'],
    ['jewelry_types', 'cat-jewelry_types'],
    ['budget', 'cat-budget'],
    ['age_range', 'cat-age_range'],
    ['residence_type', 'cat-residence_type'],
    ['gender', 'cat-gender'],
  ],
};

/** A demo form's fields with their labels in a language. */
export function demoFields(form: DemoForm, locale: Locale = DEFAULT_LOCALE): readonly FieldRef[] {
  const labels = DEMO_WORDS[locale].labels;
  return FIELD_IDS[form].map(([name, id]) => ({ name, id, label: labels[name] ?? name }));
}

/** Each demo form's body keys. */
export const DEMO_FIELD_NAMES: Readonly<Record<DemoForm, readonly string[]>> = {
  contest: FIELD_IDS.contest.map(([n]) => n),
  sms: FIELD_IDS.sms.map(([n]) => n),
  catalog: FIELD_IDS.catalog.map(([n]) => n),
};

function status(s: DemoStoreState, form: DemoForm, viewer: Viewer): SafeHtml | string {
  if (s.error?.form === form)
    return html`<div data-testid="${form}-error">${errorSummary(s.error.state, demoFields(form, viewer.locale), viewer.locale)}</div>`;
  if (s.sent === form)
    return html`<p class="ok" role="status" data-testid="${form}-sent">${DEMO_WORDS[viewer.locale].sent[form]}</p>`;
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

function field(form: DemoForm, name: string, locale: Locale): FieldRef {
  return demoFields(form, locale).find((f) => f.name === name)!;
}

/** The options of a catalog question, from the policy's values for it. */
function choices(policy: Policy, field: string): readonly string[] {
  return policy.doc.collection_points.catalog_request?.fields[field]?.values ?? [];
}

/** A catalog question's select; an optional one (gender) may be left at "(choose)". */
function select(policy: Policy, state: FormState, name: string, locale: Locale, required = true): SafeHtml {
  const f = field('catalog', name, locale);
  const chosen = typed(state, name);
  return html`<p><label for="${f.id}">${f.label}</label>${fieldError(state, name, f.id)}
  <select id="${f.id}" name="${name}"${required ? html` required` : ''}${invalidAttrs(state, name, f.id)}><option value="">${DEMO_WORDS[locale].choose}</option>${choices(policy, name).map((v) => html`<option value="${v}"${v === chosen ? html` selected` : ''}>${answerLabel(name, v, locale)}</option>`)}</select></p>`;
}

function notice(point: string, text: string, locale: Locale): SafeHtml {
  return html`<p class="small">${text} <a href="/privacy#collect-${point}">${DEMO_WORDS[locale].whatWeCollect}</a>.</p>`;
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
  const locale = viewer.locale;
  const w = DEMO_WORDS[locale];
  const f = (form: DemoForm, name: string) => field(form, name, locale);
  const body = html`
<script src="${script.src}" integrity="${script.integrity}" crossorigin="anonymous" defer></script>
<section class="demo-store" data-vow-area="catalog" data-testid="store" data-added="${w.added}" data-empty="${w.empty}" data-placed="${w.placed}" data-item-one="${w.items.one}" data-item-other="${w.items.other}">
  <h1>${w.heading(policy.doc.controller.name)}</h1>
  <p>${w.intro}</p>
  <ul class="demo-products cards">
    ${PRICES.map(
      (cents, i) => html`<li>
      <h2>${w.products[i] ?? ''}</h2>
      <p>${money(cents, locale)}</p>
      <button type="button" data-add-to-cart data-value-cents="${cents}" data-currency="USD">${w.addToCart(w.products[i] ?? '')}</button>
    </li>`,
    )}
  </ul>
  <p>${w.cart} <output id="cart-count" data-testid="cart-count">0</output> <span id="cart-unit">${w.items.other}</span>, <output id="cart-total" data-testid="cart-total">${money(0, locale)}</output></p>
  <p><button type="button" id="place-order" data-testid="place-order">${w.placeOrder}</button></p>
  <p id="order-status" role="status" data-testid="order-status"></p>

  <h2 id="contest">${w.contestTitle}</h2>
  ${status(s, 'contest', viewer)}
  <form method="post" action="/demo/store/contest" data-testid="contest-form">
    <input type="hidden" name="_csrf" value="${s.tokens.contest}">
    ${input(contest, f('contest', 'email'), html`type="email" autocomplete="email" maxlength="254" required`)}
    ${input(contest, f('contest', 'name'), html`autocomplete="name" maxlength="200"`)}
    ${notice('contest_entry', w.contestNotice, locale)}
    <p><button type="submit">${w.enter}</button></p>
  </form>

  <h2 id="sms">${w.smsTitle}</h2>
  ${status(s, 'sms', viewer)}
  <form method="post" action="/demo/store/sms" data-testid="sms-form">
    <input type="hidden" name="_csrf" value="${s.tokens.sms}">
    ${input(sms, f('sms', 'phone'), html`type="tel" autocomplete="tel" maxlength="40" required`)}
    ${fieldError(sms, 'consent', 'sms-consent')}
    <label class="choice"><input type="checkbox" id="sms-consent" name="consent" value="yes" required${ticked(sms, 'consent', 'yes') ? html` checked` : ''}${invalidAttrs(sms, 'consent', 'sms-consent')}> ${smsConsentText(policy, locale)}</label>
    ${notice('sms_signup', w.smsNotice, locale)}
    <p><button type="submit">${w.signUp}</button></p>
  </form>

  <h2 id="catalog">${w.catalogTitle}</h2>
  ${status(s, 'catalog', viewer)}
  <form method="post" action="/demo/store/catalog" data-testid="catalog-form">
    <input type="hidden" name="_csrf" value="${s.tokens.catalog}">
    ${input(catalog, f('catalog', 'first_name'), html`autocomplete="given-name" maxlength="100" required`)}
    ${input(catalog, f('catalog', 'last_name'), html`autocomplete="family-name" maxlength="100" required`)}
    ${input(catalog, f('catalog', 'email'), html`type="email" autocomplete="email" maxlength="254" required`)}
    ${input(catalog, f('catalog', 'line1'), html`autocomplete="address-line1" maxlength="200" required`)}
    ${input(catalog, f('catalog', 'city'), html`autocomplete="address-level2" maxlength="100" required`)}
    ${input(catalog, f('catalog', 'postal_code'), html`autocomplete="postal-code" maxlength="20" required`)}
    ${select(policy, catalog, 'relationship_status', locale)}
    <fieldset>
      <legend>${f('catalog', 'jewelry_types').label}</legend>${fieldError(catalog, 'jewelry_types', 'cat-jewelry_types')}
      ${choices(policy, 'jewelry_types').map((v, i) => html`<label class="choice"><input type="checkbox"${i === 0 ? html` id="cat-jewelry_types"` : ''} name="jewelry_types" value="${v}"${ticked(catalog, 'jewelry_types', v) ? html` checked` : ''}${i === 0 ? invalidAttrs(catalog, 'jewelry_types', 'cat-jewelry_types') : ''}> ${answerLabel('jewelry_types', v, locale)}</label>`)}
    </fieldset>
    ${select(policy, catalog, 'budget', locale)}
    ${select(policy, catalog, 'age_range', locale)}
    ${select(policy, catalog, 'residence_type', locale)}
    ${choices(policy, 'gender').length ? select(policy, catalog, 'gender', locale, false) : ''}
    ${notice('catalog_request', w.catalogNotice, locale)}
    <p><button type="submit">${w.sendCatalog}</button></p>
  </form>

  <h2>${w.cookieChoices}</h2>
  <p><button type="button" data-vow-preferences>${w.changeCookies}</button></p>
  <p>${w.gaOptOut} <span data-vow-ga-optout></span></p>
</section>
<script src="/demo/store.js"></script>`;
  return shopperPage({
    title: w.title,
    policy,
    body,
    viewer,
    current: '/demo/store',
    floatingSettings: true,
  });
}
