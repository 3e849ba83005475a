// The shopper's privacy request pages: the form, the status page (reached by an unguessable
// token, never by email) with the code form, the readable summary of an export, and the message
// page the request and complaint pages show when a link leads nowhere.
import { categoryName, type Policy, purposeName } from '../../modules/policy/index.js';
import type { AppealOffer, ExportDocument, RequestView } from '../../modules/rights/index.js';
import { addressInWords } from '../../modules/subjects/index.js';
import { html, type SafeHtml } from '../../platform/html.js';
import { formatDay, type Locale } from '../../platform/i18n/index.js';
import { personal } from '../layout.js';
import {
  JURISDICTION_LABELS_BY_LOCALE,
  STATUS_LABELS_BY_LOCALE,
  TYPE_LABELS_BY_LOCALE,
} from '../request-labels.js';
import { addressFieldRefs, addressPartsFieldset } from './address-parts.js';
import {
  errorSummary,
  type FieldRef,
  type FormState,
  fieldError,
  formError,
  invalidAttrs,
  typed,
} from './form-state.js';
import { REQUEST_WORDS } from './i18n/requests.js';
import { plainData } from './plain-data.js';
import { exemptionsView, plainDataView, wordList } from './plain-data-view.js';
import { ANONYMOUS, shopperPage, type Viewer } from './shopper-layout.js';

/** The way home and onwards at the end of a request or complaint page. */
export function waysOn(viewer: Viewer): SafeHtml {
  const w = REQUEST_WORDS[viewer.locale];
  return html`<ul class="ways-back" data-testid="ways-on">
  <li><a href="/privacy">${w.backToNotice}</a></li>
  <li><a href="/privacy/request">${w.anotherRequest}</a></li>
  ${viewer.signedIn ? html`<li><a href="/account/my-data">${w.myData}</a></li>` : ''}
</ul>`;
}

/** A day as the shopper's language writes it ("January 20, 2027", "20 de enero de 2027"). */
export function dayIn(day: string, locale: Locale): string {
  return formatDay(day, locale);
}

/** The options of a select, one per label. */
export function options(map: Record<string, string>, selected?: string): SafeHtml[] {
  return Object.entries(map).map(
    ([v, l]) => html`<option value="${v}"${v === selected ? html` selected` : ''}>${l}</option>`,
  );
}

/**
 * Where a shopper lives, starting on "Choose where you live" (an empty value the form's `required`
 * and the server refuse): a place chosen for them would file the request under another law.
 */
export function placeOptions(choose: string, locale: Locale, selected?: string): SafeHtml[] {
  return options({ '': choose, ...JURISDICTION_LABELS_BY_LOCALE[locale] }, selected);
}

/**
 * The categories a shopper may ask to correct: the specific ones (`contact.email`, not `contact`)
 * the policy marks `correctable` (a name, an address, answers given on a form), never a record of
 * what happened, a cookie id or the password's hash (a reset changes it).
 */
export function correctableCategories(policy: Policy, ids: readonly string[]): string[] {
  return ids.filter((id) => id.includes('.') && policy.isCorrectable(id));
}

/** The request form's fields, as its list of mistakes names them. */
function requestFields(w: (typeof REQUEST_WORDS)['en-US'], locale: Locale): FieldRef[] {
  return [
    { name: 'type', id: 'type', label: w.whatToDo },
    { name: 'jurisdiction', id: 'jurisdiction', label: w.whereLive },
    { name: 'email', id: 'email', label: w.yourEmail },
    { name: 'name', id: 'name', label: w.yourName },
    { name: 'correction_category', id: 'correction_category', label: w.whatIsWrong },
    { name: 'correction_value', id: 'correction_value', label: w.correctValue },
    ...addressFieldRefs(locale),
    { name: 'details', id: 'details', label: w.anythingElse },
  ];
}

/** The body keys of the request form. */
export const REQUEST_FIELDS: readonly string[] = requestFields(REQUEST_WORDS['en-US'], 'en-US').map(
  (f) => f.name,
);

export function renderRequestForm(
  policy: Policy,
  csrf: string,
  viewer: Viewer = ANONYMOUS,
  state: FormState = {},
): string {
  const correctable = correctableCategories(policy, Object.keys(policy.doc.categories));
  const w = REQUEST_WORDS[viewer.locale];
  const c = policy.doc.controller;
  const v = (name: string) => typed(state, name);
  /** A field's mistake under its label, and its attributes. */
  const err = (name: string) => fieldError(state, name, name);
  const bad = (name: string) => invalidAttrs(state, name, name);
  return shopperPage({
    title: w.formTitle,
    policy,
    viewer,
    current: '/privacy/request',
    body: html`<h1>${w.formTitle}</h1>
<p>${w.formIntro({ address: c.requests_postal_address ?? c.postal_address, email: c.email })}
${viewer.signedIn ? w.signedInHint : w.accountHint}</p>
<details class="kept">
  <summary>${w.deletionKeeps}</summary>
  ${exemptionsView(plainData(policy, [], '', {}, viewer.locale), viewer.locale)}
</details>
${errorSummary(state, requestFields(w, viewer.locale), viewer.locale)}
<form method="post" action="/privacy/request" data-testid="request-form">
  <input type="hidden" name="_csrf" value="${csrf}">
  <p><label for="type">${w.whatToDo}</label>${err('type')}
  <select id="type" name="type" required${bad('type')}>${options(TYPE_LABELS_BY_LOCALE[viewer.locale], v('type'))}</select></p>
  <p><label for="jurisdiction">${w.whereLive}</label>${err('jurisdiction')}
  <select id="jurisdiction" name="jurisdiction" required${bad('jurisdiction')}>${placeOptions(w.chooseWhere, viewer.locale, v('jurisdiction'))}</select></p>
  <p><label for="email">${w.yourEmail}</label>${err('email')}
  <input id="email" name="email" type="email" autocomplete="email" required maxlength="254" value="${v('email')}"${bad('email')}></p>
  <p><label for="name">${w.yourName}</label>${err('name')}
  <input id="name" name="name" autocomplete="name" maxlength="200" value="${v('name')}"${bad('name')}></p>
  <fieldset class="corrections" data-testid="corrections">
    <legend>${w.onlyCorrections}</legend>
    <p><label for="correction_category">${w.whatIsWrong}</label>${err('correction_category')}
    <select id="correction_category" name="correction_category"${bad('correction_category')}>${options({ '': w.notCorrection, ...Object.fromEntries(correctable.map((id) => [id, categoryName(policy, id, viewer.locale)])) }, v('correction_category'))}</select></p>
    <p><label for="correction_value">${w.correctValue}</label>${err('correction_value')}
    <input id="correction_value" name="correction_value" maxlength="2000" value="${v('correction_value')}"${bad('correction_value')}></p>
    ${addressPartsFieldset(correctable, v, err, bad, viewer.locale)}
  </fieldset>
  <p><label for="details">${w.anythingElse}</label>${err('details')}
  <textarea id="details" name="details" rows="3" maxlength="4000"${bad('details')}>${v('details')}</textarea></p>
  <p><button type="submit">${w.send}</button></p>
</form>
<p>${w.complainHint}</p>`,
  });
}

/** Requests that change or stop something: shown for confirmation before they are sent. */
export const CONFIRMED_TYPES: ReadonlySet<string> = new Set([
  'correction',
  'deletion',
  'restriction',
  'objection',
]);

export interface RequestDraft {
  readonly type: string;
  readonly jurisdiction: string;
  readonly email: string;
  readonly name?: string | undefined;
  readonly correction_category?: string | undefined;
  readonly correction_value?: string | undefined;
  readonly details?: string | undefined;
}

/** The step before a request that changes something is sent: what happens, what is kept and why. */
export function renderRequestReview(
  policy: Policy,
  csrf: string,
  d: RequestDraft,
  viewer: Viewer = ANONYMOUS,
): string {
  const hidden = (name: string, value: string | undefined) =>
    value ? html`<input type="hidden" name="${name}" value="${value}">` : '';
  const deletion = d.type === 'deletion';
  const w = REQUEST_WORDS[viewer.locale];
  return shopperPage({
    title: w.reviewTitle,
    policy,
    viewer,
    current: '/privacy/request',
    body: html`<h1>${w.reviewTitle}</h1>
<dl class="fields" data-testid="request-review">
  <dt>${w.askUsTo}</dt><dd>${TYPE_LABELS_BY_LOCALE[viewer.locale][d.type] ?? d.type}</dd>
  <dt>${w.emailLabel}</dt><dd>${personal(d.email)}</dd>
  <dt>${w.whereYouLive}</dt><dd>${JURISDICTION_LABELS_BY_LOCALE[viewer.locale][d.jurisdiction] ?? d.jurisdiction}</dd>
  ${d.correction_category ? html`<dt>${w.toCorrect}</dt><dd>${categoryName(policy, d.correction_category, viewer.locale)}${d.correction_value ? html`: <strong>${personal(addressInWords(d.correction_value) ?? d.correction_value)}</strong>` : ''}</dd>` : ''}
</dl>
<p>${w.nextCode}
${deletion ? html`<strong>${w.cannotUndo}</strong>` : ''}</p>
${
  deletion
    ? html`<h2>${w.whatWeKeep}</h2>
<p>${w.deleteExcept}</p>
${exemptionsView(plainData(policy, [], '', {}, viewer.locale), viewer.locale)}`
    : ''
}
<form method="post" action="/privacy/request" data-testid="confirm-request-form">
  <input type="hidden" name="_csrf" value="${csrf}">
  <input type="hidden" name="confirm" value="yes">
  ${hidden('type', d.type)}${hidden('jurisdiction', d.jurisdiction)}${hidden('email', d.email)}${hidden('name', d.name)}${hidden('correction_category', d.correction_category)}${hidden('correction_value', d.correction_value)}${hidden('details', d.details)}
  <p class="actions">
    <button type="submit" class="${deletion ? 'danger' : ''}" data-testid="confirm-request">${deletion ? w.yesDeletion : w.sendRequest}</button>
    <a href="/privacy/request" data-testid="cancel-request">${w.startAgain}</a>
  </p>
</form>`,
  });
}

/** The appeal of a refusal (US state laws): the form while it may be filed, then its state and answer. */
function renderAppeal(
  offer: AppealOffer,
  token: string,
  csrf: string,
  locale: Locale,
  state: FormState = {},
): SafeHtml | string {
  const w = REQUEST_WORDS[locale];
  if (offer.appeal)
    return html`<h2>${w.yourAppeal}</h2>
<dl class="fields request-status" data-testid="appeal">
  <dt>${w.received}</dt><dd>${dayIn(offer.appeal.receivedOn, locale)}</dd>
  <dt>${w.status}</dt><dd data-testid="appeal-status">${offer.appeal.status === 'open' ? w.appealOpen : offer.appeal.status === 'granted' ? w.appealGranted : w.appealUpheld}</dd>
  <dt>${w.weDecideBy}</dt><dd>${dayIn(offer.appeal.dueOn, locale)}</dd>
</dl>
${offer.appeal.answer ? html`<p data-testid="appeal-answer" style="white-space: pre-line">${offer.appeal.answer}</p>` : ''}`;
  if (!offer.offered) return '';
  return html`<h2>${w.appealTitle}</h2>
<p>${w.appealIntro(offer.decideWithinDays ?? undefined)}</p>
${errorSummary(state, [{ name: 'reason', id: 'appeal-reason', label: w.appealReason }], locale)}
<form method="post" action="/privacy/request/status/${token}/appeal" data-testid="appeal-form">
  <input type="hidden" name="_csrf" value="${csrf}">
  <p><label for="appeal-reason">${w.appealReason}</label>${fieldError(state, 'reason', 'appeal-reason')}
  <textarea id="appeal-reason" name="reason" rows="3" maxlength="4000"${invalidAttrs(state, 'reason', 'appeal-reason')}>${typed(state, 'reason')}</textarea></p>
  <p><button type="submit">${w.sendAppeal}</button></p>
</form>`;
}

export function renderRequestStatus(
  policy: Policy,
  view: RequestView,
  token: string,
  csrf: string,
  message?: { kind: 'error' | 'info' | 'ok'; text: string },
  appeal?: { offer: AppealOffer; csrf: string; state?: FormState },
  viewer: Viewer = ANONYMOUS,
  /** The new-code form's token: without it the form is not shown. */
  resendCsrf?: string,
): string {
  const w = REQUEST_WORDS[viewer.locale];
  return shopperPage({
    title: w.statusTitle,
    policy,
    viewer,
    body: html`<h1>${w.statusTitle}</h1>
${
  message?.kind === 'error'
    ? formError(message.text)
    : message
      ? // Focused when the page opens, as an error is: the next step (type the new code) follows it.
        // A limit on new codes is a neutral notice (`info`), not an error: no mistake of the shopper's.
        html`<p class="${message.kind}" role="status" tabindex="-1" autofocus data-testid="status-message">${message.text}</p>`
      : ''
}
<dl class="fields request-status" data-testid="request-facts">
  <dt>${w.request}</dt><dd data-testid="request-type">${TYPE_LABELS_BY_LOCALE[viewer.locale][view.type] ?? view.type}</dd>
  <dt>${w.status}</dt><dd data-testid="request-status">${STATUS_LABELS_BY_LOCALE[viewer.locale][view.status] ?? view.status}</dd>
  <dt>${w.received}</dt><dd>${dayIn(view.receivedOn, viewer.locale)}</dd>
  <dt>${w.weAnswerBy}</dt><dd data-testid="request-due">${dayIn(view.dueOn, viewer.locale)}${view.extended ? w.extended : ''}</dd>
</dl>
${
  view.status === 'awaiting_verification'
    ? html`<h2>${w.confirmYou}</h2>
<p>${w.codeSent}</p>
<form method="post" action="/privacy/request/status/${token}" data-testid="code-form">
  <input type="hidden" name="_csrf" value="${csrf}">
  <p><label for="code">${w.code}</label><input id="code" name="code" inputmode="numeric" pattern="[0-9]{6}" autocomplete="one-time-code" required></p>
  <p><button type="submit">${w.confirm}</button></p>
</form>
${
  resendCsrf
    ? html`<form method="post" action="/privacy/request/status/${token}/resend" data-testid="resend-form">
  <input type="hidden" name="_csrf" value="${resendCsrf}">
  <p>${w.newCodeHint}</p>
  <p><button type="submit" class="secondary" data-testid="resend-code">${w.newCode}</button></p>
</form>`
    : ''
}`
    : ''
}
${view.status === 'completed' ? html`<p>${w.answered}</p>` : ''}
${appeal ? renderAppeal(appeal.offer, token, appeal.csrf, viewer.locale, appeal.state) : ''}
<p class="small">${w.keepPrivate}</p>
${waysOn(viewer)}`,
  });
}

export function renderExportSummary(
  policy: Policy,
  doc: ExportDocument,
  token: string,
  viewer: Viewer = ANONYMOUS,
): string {
  const locale = viewer.locale;
  const w = REQUEST_WORDS[locale];
  const data = plainData(policy, doc.values, doc.request.generatedAt, {}, locale);
  const base = `/privacy/request/export/${token}`;
  return shopperPage({
    title: w.exportTitle(doc.request.controller),
    policy,
    viewer,
    body: html`<h1>${w.exportTitle(doc.request.controller)}</h1>
<p class="small">${w.exportPrepared(dayIn(doc.request.generatedAt.slice(0, 10), locale))}</p>
<p class="actions">
  <a class="button" href="${base}/readable.json" download="my-data.json" data-testid="download-json">${w.downloadJson}</a>
  <a class="button secondary" href="${base}/readable.csv" download="my-data.csv" data-testid="download-csv">${w.downloadCsv}</a>
</p>
<p class="small">${w.completeCopy(`${base}/data.json`)}</p>
<h2>${w.holdWhy}</h2>
${
  doc.categories.length === 0
    ? html`<p class="empty" data-testid="empty">${w.holdNothing}</p>`
    : html`<table class="stack" data-testid="export-categories">
  <thead><tr><th scope="col">${w.information}</th><th scope="col">${w.pieces}</th><th scope="col">${w.usedFor}</th></tr></thead>
  <tbody>${doc.categories.map((c) => html`<tr><td data-label="${w.information}">${categoryName(policy, c.category, locale)}</td><td data-label="${w.pieces}">${c.values}</td><td data-label="${w.usedFor}">${c.purposes.length > 0 ? wordList(c.purposes.map((p) => purposeName(policy, p, locale))) : w.onlyKept}</td></tr>`)}</tbody>
</table>`
}
${
  doc.categoriesOnly
    ? html`<p>${w.categoriesOnly}</p>`
    : html`<h2>${w.theInformation}</h2>
<div data-testid="export-values">${plainDataView(data, w.noValues, locale)}</div>`
}
${
  doc.disclosures.length > 0
    ? html`<h2>${w.whoReceived}</h2><ul data-testid="export-disclosures">${doc.disclosures.map((d) => html`<li>${disclosureLine(policy, d, locale)}</li>`)}</ul>`
    : ''
}
<h2>${w.ifDelete}</h2>
${exemptionsView(data, locale)}
${waysOn(viewer)}`,
  });
}

/** One disclosure in words: who, what, why, when. */
function disclosureLine(policy: Policy, d: ExportDocument['disclosures'][number], locale: Locale): string {
  const what = d.categories.map((c) => categoryName(policy, c, locale)).join(', ');
  const why = purposeName(policy, d.purpose, locale);
  return `${d.recipient}: ${what} (${why}), ${dayIn(d.disclosedAt.slice(0, 10), locale)}`;
}

export function renderRightsMessage(
  policy: Policy,
  title: string,
  text: string,
  status = 'error',
  viewer: Viewer = ANONYMOUS,
): string {
  return shopperPage({
    title,
    policy,
    viewer,
    body: html`<h1>${title}</h1><p class="${status}" role="alert">${text}</p>${waysOn(viewer)}`,
  });
}

/** The pages of a status or export link that leads nowhere (or no longer): their words' keys. */
const LINK_ERRORS = {
  requestNotFound: ['notFoundTitle', 'notFoundText'],
  exportExpired: ['expiredTitle', 'expiredText'],
  complaintNotFound: ['complaintNotFound', 'complaintNotFoundText'],
} as const;

/** The error page of a link that leads nowhere (or no longer), in the viewer's language. */
export function renderLinkError(policy: Policy, which: keyof typeof LINK_ERRORS, viewer: Viewer): string {
  const w = REQUEST_WORDS[viewer.locale];
  const [title, text] = LINK_ERRORS[which];
  return renderRightsMessage(policy, w[title], w[text], 'error', viewer);
}
