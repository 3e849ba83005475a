// Shopper account pages: log in, register, reset a password, and "my data" (P15). Forms carry the
// anti-forgery token; no inline script or style.

import { DEFAULT_MASK } from '../../modules/datasets/index.js';
import type { MyDataView } from '../../modules/identity/index.js';
import { categoryName, type Policy } from '../../modules/policy/index.js';
import { addressInWords } from '../../modules/subjects/index.js';
import { html, type SafeHtml } from '../../platform/html.js';
import type { Locale } from '../../platform/i18n/index.js';
import { personal } from '../layout.js';
import { JURISDICTION_LABELS_BY_LOCALE } from '../request-labels.js';
import { ADDRESS_FIELDS, addressFieldRefs, addressPartsFieldset } from './address-parts.js';
import {
  errorSummary,
  type FieldRef,
  type FormState,
  fieldError,
  formError,
  invalidAttrs,
  typed,
} from './form-state.js';
import { ACCOUNT_WORDS } from './i18n/account.js';
import { type PlainData, plainData, type StoredValue } from './plain-data.js';
import { exemptionsView, plainDataView } from './plain-data-view.js';
import { correctableCategories, options } from './requests.js';
import { ANONYMOUS, privacyChoicesLink, shopperPage, type Viewer } from './shopper-layout.js';

/** Who sees "my data" when the caller does not say: a signed-in shopper, in English. */
const MY_DATA_VIEWER: Viewer = { ...ANONYMOUS, signedIn: true, path: '/account/my-data' };

function shell(
  policy: Policy,
  title: string,
  body: SafeHtml,
  current?: string,
  viewer: Viewer = ANONYMOUS,
): string {
  return shopperPage({ title, policy, body, viewer, ...(current ? { current } : {}) });
}

/** A message: an error is announced and focused when the page opens (formError); a success is a status. */
function notice(message: string | undefined, kind: 'error' | 'ok' = 'error'): SafeHtml | string {
  if (kind === 'error') return formError(message);
  return message ? html`<p class="ok" role="status">${message}</p>` : html``;
}

/** A page with a form: its title as the heading, then its mistakes (if any) and the rest. */
function formPage(policy: Policy, viewer: Viewer, title: string, state: FormState, body: SafeHtml): string {
  const top = errorSummary(state, accountFields(viewer.locale), viewer.locale);
  return shell(policy, title, html`<h1>${title}</h1>\n${top}\n${body}`, undefined, viewer);
}

/** The account forms' fields (email, password), as their lists of mistakes name them. */
function accountFields(locale: Locale): FieldRef[] {
  const w = ACCOUNT_WORDS[locale];
  return [
    { name: 'email', id: 'email', label: w.email },
    { name: 'password', id: 'password', label: w.password },
  ];
}

/** The fields of My data's request form, as its list of mistakes names them. */
function myDataFields(locale: Locale): FieldRef[] {
  const w = ACCOUNT_WORDS[locale];
  return [
    { name: 'type', id: 'type', label: w.askUsTo },
    { name: 'category', id: 'category', label: w.whatToCorrect },
    { name: 'value', id: 'value', label: w.rightValue },
    ...addressFieldRefs(locale),
    { name: 'details', id: 'details', label: w.anythingElse },
    { name: 'jurisdiction', id: 'jurisdiction', label: w.whereYouLive },
  ];
}

/** The body keys of My data's request form. */
export const MY_DATA_FIELDS: readonly string[] = [
  'type',
  'category',
  'value',
  ...ADDRESS_FIELDS,
  'details',
  'jurisdiction',
];

/** The body keys of the account forms a mistake can be shown at. */
export const ACCOUNT_FIELDS: readonly string[] = ['email', 'password'];

/** A form posted to `action`: the anti-forgery token, then its fields (one a line) and its button. */
function postForm(action: string, csrf: string, fields: readonly SafeHtml[], button: string): SafeHtml {
  return html`<form method="post" action="${action}">
  <input type="hidden" name="_csrf" value="${csrf}">
${fields.map((f) => html`  ${f}\n`)}  <p><button type="submit">${button}</button></p>
</form>`;
}

/** The emailed link's token, posted back with the form. */
function tokenField(token: string): SafeHtml {
  return html`<input type="hidden" name="token" value="${token}">`;
}

/**
 * The email field, holding what was typed when the form comes back. Its pattern is the server's own
 * check (a dot after the @), so the browser names a missing part next to the field, with the hint,
 * where it used to send "robin@example" on to a refusal that emptied the form.
 */
function emailField(
  w: { email: string; emailHint: string },
  autocomplete: 'username' | 'email',
  state: FormState = {},
): SafeHtml {
  return html`<p><label for="email">${w.email}</label>${fieldError(state, 'email', 'email')}<input id="email" name="email" type="email" autocomplete="${autocomplete}" required maxlength="254" pattern="[^\\s@]+@[^\\s@]+\\.[^\\s@]+" title="${w.emailHint}" value="${typed(state, 'email')}"${invalidAttrs(state, 'email', 'email')}></p>`;
}

/** The password field: the account's own, or a new one (12 characters at least); never refilled. */
function passwordField(
  label: string,
  autocomplete: 'current-password' | 'new-password',
  state: FormState = {},
): SafeHtml {
  const min = autocomplete === 'new-password' ? html` minlength="12"` : '';
  return html`<p><label for="password">${label}</label>${fieldError(state, 'password', 'password')}<input id="password" name="password" type="password" autocomplete="${autocomplete}"${min} maxlength="256" required${invalidAttrs(state, 'password', 'password')}></p>`;
}

export function renderLoginPage(
  policy: Policy,
  csrf: string,
  state: FormState = {},
  viewer: Viewer = ANONYMOUS,
): string {
  const w = ACCOUNT_WORDS[viewer.locale];
  return shell(
    policy,
    w.logIn,
    html`<h1>${w.logInTitle}</h1>
${errorSummary(state, accountFields(viewer.locale), viewer.locale)}
${postForm('/login', csrf, [emailField(w, 'username', state), passwordField(w.password, 'current-password', state)], w.logIn)}
<p><a href="/account/register">${w.createAccount}</a> · <a href="/account/reset-request">${w.forgot}</a></p>`,
    '/login',
    viewer,
  );
}

export function renderRegisterPage(
  policy: Policy,
  csrf: string,
  state: FormState = {},
  viewer: Viewer = ANONYMOUS,
): string {
  const w = ACCOUNT_WORDS[viewer.locale];
  return formPage(
    policy,
    viewer,
    w.createAccount,
    state,
    html`<p>${w.registerIntro}</p>
${postForm('/account/register', csrf, [emailField(w, 'email', state), passwordField(w.passwordMin, 'new-password', state)], w.createButton)}`,
  );
}

/**
 * The page of the confirmation link: the link alone does not confirm; the password chosen at
 * registration does too (someone else may have registered this address and be waiting for its
 * owner to click).
 */
export function renderConfirmPage(
  policy: Policy,
  csrf: string,
  token: string,
  state: FormState = {},
  viewer: Viewer = ANONYMOUS,
): string {
  const w = ACCOUNT_WORDS[viewer.locale];
  return formPage(
    policy,
    viewer,
    w.confirmTitle,
    state,
    html`<p>${w.confirmIntro}</p>
${postForm('/account/verify', csrf, [tokenField(token), passwordField(w.password, 'current-password', state)], w.confirmButton)}
<p class="small">${w.notYou}</p>`,
  );
}

export function renderMessagePage(
  policy: Policy,
  title: string,
  message: string,
  viewer: Viewer = ANONYMOUS,
  kind: 'ok' | 'error' = 'ok',
): string {
  const w = ACCOUNT_WORDS[viewer.locale];
  return shell(
    policy,
    title,
    html`<h1>${title}</h1>${notice(message, kind)}
<ul class="ways-back">${viewer.signedIn ? html`<li><a href="/account/my-data">${w.myData}</a></li>` : html`<li><a href="/login">${w.logIn}</a></li>`}<li><a href="/privacy">${w.notice}</a></li></ul>`,
    undefined,
    viewer,
  );
}

export function renderResetRequestPage(
  policy: Policy,
  csrf: string,
  viewer: Viewer = ANONYMOUS,
  state: FormState = {},
): string {
  const w = ACCOUNT_WORDS[viewer.locale];
  return formPage(
    policy,
    viewer,
    w.resetTitle,
    state,
    postForm('/account/reset-request', csrf, [emailField(w, 'email', state)], w.emailMeLink),
  );
}

export function renderResetPage(
  policy: Policy,
  csrf: string,
  token: string,
  state: FormState = {},
  viewer: Viewer = ANONYMOUS,
): string {
  const w = ACCOUNT_WORDS[viewer.locale];
  return formPage(
    policy,
    viewer,
    w.newPasswordTitle,
    state,
    postForm(
      '/account/reset',
      csrf,
      [tokenField(token), passwordField(w.newPassword, 'new-password', state)],
      w.setPassword,
    ),
  );
}

/** The stored values of "my data", for the plain-language view. */
function storedValuesOf(view: MyDataView): StoredValue[] {
  return view.categories.flatMap((c) =>
    c.values.map((v) =>
      v.origin
        ? { ...v.origin, category: c.category, purposes: v.purposes }
        : { category: c.category, purposes: [], value: v.value },
    ),
  );
}

/** The plain-language document of "my data": what the page and its downloads show. */
export function myDataDocument(
  policy: Policy,
  view: MyDataView & { generatedAt?: string },
  locale: Locale,
): PlainData {
  return plainData(policy, storedValuesOf(view), view.generatedAt ?? '', {}, locale);
}

/** The account's own address is gone: the data was deleted at the holder's request. */
export function accountErased(view: MyDataView): boolean {
  return view.account.email === null || view.account.email === DEFAULT_MASK;
}

export function renderMyDataPage(
  policy: Policy,
  csrf: string,
  view: MyDataView & { generatedAt?: string },
  o: {
    sent?: string | undefined;
    due?: string | undefined;
    error?: string | undefined;
    /** The request form sent back with its mistakes: what was chosen and typed, each mistake at its field. */
    form?: FormState | undefined;
  } = {},
  viewer: Viewer = MY_DATA_VIEWER,
): string {
  const w = ACCOUNT_WORDS[viewer.locale];
  const data = myDataDocument(policy, view, viewer.locale);
  const erased = accountErased(view);
  const sent = o.sent === 'deletion' || o.sent === 'correction' ? w.sent[o.sent] : undefined;
  const form = o.form ?? {};
  const correctable = correctableCategories(
    policy,
    view.categories.map((c) => c.category),
  );
  const d = (name: string) => typed(form, name);
  const err = (name: string) => fieldError(form, name, name);
  const bad = (name: string) => invalidAttrs(form, name, name);
  return shell(
    policy,
    w.myData,
    html`<h1>${w.myData}</h1>
${sent ? notice(w.sentLine(sent, o.due), 'ok') : ''}
${notice(o.error)}
${
  erased
    ? html`<p data-testid="account-state">${w.erased}</p>`
    : html`<p data-testid="account-state">${w.signedInAs(html`${personal(view.account.email)}`, view.account.verified)}</p>`
}
${view.notes.map((n) => html`<p class="small">${n}</p>`)}
<p class="actions">
  <a class="button" href="/account/my-data/download" download="my-data.json" data-testid="download-json">${w.downloadJson}</a>
  <a class="button secondary" href="/account/my-data/download.csv" download="my-data.csv" data-testid="download-csv">${w.downloadCsv}</a>
</p>
<h2>${w.whatWeHold}</h2>
${plainDataView(data, w.nothingButAccount, viewer.locale)}
<h2>${w.correctOrDelete}</h2>
<p>${w.chooseIntro}</p>
${errorSummary(form, myDataFields(viewer.locale), viewer.locale)}
<form method="post" action="/account/requests" data-testid="account-request-form">
  <input type="hidden" name="_csrf" value="${csrf}">
  <fieldset>
    <legend>${w.askUsTo}</legend>${err('type')}
    <label class="choice"><input type="radio" id="type" name="type" value="correction" required${d('type') === 'correction' ? html` checked` : ''}${bad('type')}> ${w.correctSomething}</label>
    <label class="choice"><input type="radio" name="type" value="deletion"${d('type') === 'deletion' ? html` checked` : ''}> ${w.deleteMyData}</label>
  </fieldset>
  <fieldset class="corrections" data-testid="corrections">
    <legend>${w.onlyCorrection}</legend>
    <p><label for="category">${w.whatToCorrect}</label>${err('category')}
    <select id="category" name="category"${bad('category')}>${options(
      {
        '': w.choose,
        ...Object.fromEntries(correctable.map((id) => [id, categoryName(policy, id, viewer.locale)])),
      },
      d('category'),
    )}</select></p>
    <p><label for="value">${w.rightValue}</label>${err('value')}<input id="value" name="value" maxlength="1000" value="${d('value')}"${bad('value')}></p>
    ${addressPartsFieldset(correctable, d, err, bad, viewer.locale)}
  </fieldset>
  <p><label for="details">${w.anythingElse}</label>${err('details')}<input id="details" name="details" maxlength="1000" value="${d('details')}"${bad('details')}></p>
  <p><label for="jurisdiction">${w.whereYouLive}</label><span class="small" id="jurisdiction-hint">${w.asOnFileHint}</span>${err('jurisdiction')}
  <select id="jurisdiction" name="jurisdiction"${bad('jurisdiction') || html` aria-describedby="jurisdiction-hint"`}>${options({ '': w.asOnFile, ...JURISDICTION_LABELS_BY_LOCALE[viewer.locale] }, d('jurisdiction'))}</select></p>
  <p><button type="submit" data-testid="review-request">${w.continue}</button></p>
</form>
<h2>${w.moreChoices}</h2>
<ul class="ways-back">
  <li>${privacyChoicesLink('my-data-privacy-choices', viewer.locale)}</li>
  <li><a href="/privacy/request">${w.otherRequests}</a></li>
  <li><a href="/privacy/complaint">${w.complaint}</a></li>
</ul>
<form method="post" action="/account/logout">
  <input type="hidden" name="_csrf" value="${csrf}">
  <p><button type="submit" class="secondary">${w.logOut}</button></p>
</form>`,
    '/account/my-data',
    viewer,
  );
}

export interface AccountRequestDraft {
  readonly type: 'correction' | 'deletion';
  readonly jurisdiction: string;
  readonly category?: string | undefined;
  readonly value?: string | undefined;
  readonly details?: string | undefined;
}

/**
 * The step before an irreversible request: what will happen, what we keep and why, then the
 * button that sends it (the same fields, confirmed) or a way back that sends nothing.
 */
export function renderRequestConfirmPage(
  policy: Policy,
  csrf: string,
  draft: AccountRequestDraft,
  view: MyDataView & { generatedAt?: string },
  viewer: Viewer = MY_DATA_VIEWER,
): string {
  const w = ACCOUNT_WORDS[viewer.locale];
  const data = myDataDocument(policy, view, viewer.locale);
  const goes = data.sections.filter((s) => !s.keptOnDeletion).map((s) => s.title);
  const stays = data.sections.filter((s) => s.keptOnDeletion).map((s) => s.title);
  const deletion = draft.type === 'deletion';
  const hidden = (name: string, value: string | undefined) =>
    value ? html`<input type="hidden" name="${name}" value="${value}">` : '';
  const category = draft.category ? categoryName(policy, draft.category, viewer.locale) : '';
  const title = deletion ? w.deleteQ : w.correctionQ;
  return shell(
    policy,
    title,
    html`<h1>${title}</h1>
${
  deletion
    ? html`<p>${w.deleteIntro}</p>
<h2>${w.whatWeDelete}</h2>
${goes.length > 0 ? html`<ul data-testid="deleted-list">${goes.map((t) => html`<li>${t}</li>`)}</ul>` : html`<p class="empty">${w.nothingBesides}</p>`}
<h2>${w.whatWeKeep}</h2>
${stays.length > 0 ? html`<p>${w.ofWhatWeHold}</p><ul data-testid="kept-sections">${stays.map((t) => html`<li>${t}</li>`)}</ul>` : ''}
${exemptionsView(data, viewer.locale)}`
    : html`<p>${w.correctionIntro(category || w.theInformation, addressInWords(draft.value) ?? draft.value ?? '')}</p>`
}
<form method="post" action="/account/requests" data-testid="confirm-request-form">
  <input type="hidden" name="_csrf" value="${csrf}">
  <input type="hidden" name="confirm" value="yes">
  ${hidden('type', draft.type)}${hidden('jurisdiction', draft.jurisdiction)}${hidden('category', draft.category)}${hidden('value', draft.value)}${hidden('details', draft.details)}
  <p class="actions">
    <button type="submit" class="${deletion ? 'danger' : ''}" data-testid="confirm-request">${deletion ? w.yesDelete : w.sendCorrection}</button>
    <a href="/account/my-data" data-testid="cancel-request">${w.goBack}</a>
  </p>
</form>`,
    '/account/my-data',
    viewer,
  );
}
