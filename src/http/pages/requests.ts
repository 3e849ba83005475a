// The shopper's privacy request pages: the form, the status page (reached by an unguessable
// token, never by email) with the code form, the readable summary of an export, and the message
// page the request and complaint pages show when a link leads nowhere.
import type { Policy } from '../../modules/policy/index.js';
import type { AppealOffer, ExportDocument, RequestView } from '../../modules/rights/index.js';
import { html, type SafeHtml } from '../../platform/html.js';
import { JURISDICTION_LABELS, STATUS_LABELS, TYPE_LABELS } from '../request-labels.js';
import { plainData } from './plain-data.js';
import { exemptionsView, plainDataView } from './plain-data-view.js';
import { ANONYMOUS, shopperPage, type Viewer } from './shopper-layout.js';

/** The way home and onwards at the end of a request or complaint page. */
export function waysOn(viewer: Viewer): SafeHtml {
  return html`<ul class="ways-back" data-testid="ways-on">
  <li><a href="/privacy">Back to the privacy notice</a></li>
  <li><a href="/privacy/request">Make another request</a></li>
  ${viewer.signedIn ? html`<li><a href="/account/my-data">My data</a></li>` : ''}
</ul>`;
}

/** The options of a select, one per label. */
export function options(map: Record<string, string>, selected?: string): SafeHtml[] {
  return Object.entries(map).map(
    ([v, l]) => html`<option value="${v}"${v === selected ? html` selected` : ''}>${l}</option>`,
  );
}

export function renderRequestForm(
  policy: Policy,
  csrf: string,
  error?: string,
  viewer: Viewer = ANONYMOUS,
): string {
  const correctable = Object.entries(policy.doc.categories).filter(([id]) => id.includes('.'));
  return shopperPage({
    title: 'Make a privacy request',
    policy,
    viewer,
    current: '/privacy/request',
    body: html`<h1>Make a privacy request</h1>
<p>You can ask for a copy of your data, its correction or deletion, or that we stop using it. We
confirm who you are before we disclose, change or delete anything: we email a code to the address
you give. You can also write to ${policy.doc.controller.requests_postal_address ?? policy.doc.controller.postal_address} or email
<a href="mailto:${policy.doc.controller.email}">${policy.doc.controller.email}</a>.
${viewer.signedIn ? html`Signed in? <a href="/account/my-data">My data</a> shows what we hold and takes corrections and deletions without a code.` : html`Have an account? <a href="/login">Log in</a> to see your data at once.`}</p>
<details class="kept">
  <summary>What a deletion keeps, and why</summary>
  ${exemptionsView(plainData(policy, [], ''))}
</details>
${error ? html`<p class="error" role="alert">${error}</p>` : ''}
<form method="post" action="/privacy/request" data-testid="request-form">
  <input type="hidden" name="_csrf" value="${csrf}">
  <p><label for="type">What would you like us to do?</label>
  <select id="type" name="type" required>${options(TYPE_LABELS)}</select></p>
  <p><label for="jurisdiction">Where do you live?</label>
  <select id="jurisdiction" name="jurisdiction" required>${options(JURISDICTION_LABELS)}</select></p>
  <p><label for="email">Your email address</label>
  <input id="email" name="email" type="email" autocomplete="email" required></p>
  <p><label for="name">Your name (optional)</label>
  <input id="name" name="name" autocomplete="name"></p>
  <fieldset>
    <legend>Only for corrections</legend>
    <p><label for="correction_category">What is wrong?</label>
    <select id="correction_category" name="correction_category"><option value="">(not a correction)</option>${correctable.map(([id, c]) => html`<option value="${id}">${c.description}</option>`)}</select></p>
    <p><label for="correction_value">The correct value</label>
    <input id="correction_value" name="correction_value"></p>
  </fieldset>
  <p><label for="details">Anything else we should know (optional)</label>
  <textarea id="details" name="details" rows="3"></textarea></p>
  <p><button type="submit">Send request</button></p>
</form>
<p>Something went wrong with your data? <a href="/privacy/complaint">Make a complaint</a>.</p>`,
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
  return shopperPage({
    title: 'Check your request',
    policy,
    viewer,
    current: '/privacy/request',
    body: html`<h1>Check your request</h1>
<dl class="fields" data-testid="request-review">
  <dt>You ask us to</dt><dd>${TYPE_LABELS[d.type] ?? d.type}</dd>
  <dt>Your email</dt><dd>${d.email}</dd>
  <dt>Where you live</dt><dd>${JURISDICTION_LABELS[d.jurisdiction] ?? d.jurisdiction}</dd>
  ${d.correction_category ? html`<dt>To correct</dt><dd>${policy.doc.categories[d.correction_category]?.description ?? d.correction_category}${d.correction_value ? html`: <strong>${d.correction_value}</strong>` : ''}</dd>` : ''}
</dl>
<p>Next, we email a code to this address to confirm it is you; nothing happens before you type it.
${deletion ? html`<strong>Once confirmed, a deletion cannot be undone.</strong>` : ''}</p>
${
  deletion
    ? html`<h2>What we keep, and why</h2>
<p>We delete your information from every system that holds it, except:</p>
${exemptionsView(plainData(policy, [], ''))}`
    : ''
}
<form method="post" action="/privacy/request" data-testid="confirm-request-form">
  <input type="hidden" name="_csrf" value="${csrf}">
  <input type="hidden" name="confirm" value="yes">
  ${hidden('type', d.type)}${hidden('jurisdiction', d.jurisdiction)}${hidden('email', d.email)}${hidden('name', d.name)}${hidden('correction_category', d.correction_category)}${hidden('correction_value', d.correction_value)}${hidden('details', d.details)}
  <p class="actions">
    <button type="submit" class="${deletion ? 'danger' : ''}" data-testid="confirm-request">${deletion ? 'Yes, send my deletion request' : 'Send the request'}</button>
    <a href="/privacy/request" data-testid="cancel-request">No, start again</a>
  </p>
</form>`,
  });
}

/** The appeal of a refusal (US state laws): the form while it may be filed, then its state and answer. */
function renderAppeal(offer: AppealOffer, token: string, csrf: string): SafeHtml | string {
  if (offer.appeal)
    return html`<h2>Your appeal</h2>
<dl class="request-status" data-testid="appeal">
  <dt>Received</dt><dd>${offer.appeal.receivedOn}</dd>
  <dt>Status</dt><dd data-testid="appeal-status">${offer.appeal.status === 'open' ? 'Being reviewed by someone who did not make the first decision' : offer.appeal.status === 'granted' ? 'Granted: we are answering your request' : 'Refusal confirmed'}</dd>
  <dt>We decide by</dt><dd>${offer.appeal.dueOn}</dd>
</dl>
${offer.appeal.answer ? html`<p data-testid="appeal-answer" style="white-space: pre-line">${offer.appeal.answer}</p>` : ''}`;
  if (!offer.offered) return '';
  return html`<h2>Appeal this decision</h2>
<p>Someone who did not make the first decision will review it${offer.decideWithinDays ? html` and answer within ${offer.decideWithinDays} days` : ''}.</p>
<form method="post" action="/privacy/request/status/${token}/appeal" data-testid="appeal-form">
  <input type="hidden" name="_csrf" value="${csrf}">
  <p><label for="appeal-reason">Why we should reconsider (optional)</label>
  <textarea id="appeal-reason" name="reason" rows="3" maxlength="4000"></textarea></p>
  <p><button type="submit">Send the appeal</button></p>
</form>`;
}

export function renderRequestStatus(
  policy: Policy,
  view: RequestView,
  token: string,
  csrf: string,
  message?: { kind: 'error' | 'ok'; text: string },
  appeal?: { offer: AppealOffer; csrf: string },
  viewer: Viewer = ANONYMOUS,
): string {
  return shopperPage({
    title: 'Your privacy request',
    policy,
    viewer,
    body: html`<h1>Your privacy request</h1>
${message ? html`<p class="${message.kind === 'error' ? 'error' : 'ok'}" role="${message.kind === 'error' ? 'alert' : 'status'}">${message.text}</p>` : ''}
<dl class="request-status">
  <dt>Request</dt><dd data-testid="request-type">${TYPE_LABELS[view.type] ?? view.type}</dd>
  <dt>Status</dt><dd data-testid="request-status">${STATUS_LABELS[view.status] ?? view.status}</dd>
  <dt>Received</dt><dd>${view.receivedOn}</dd>
  <dt>We answer by</dt><dd data-testid="request-due">${view.dueOn}${view.extended ? ' (extended)' : ''}</dd>
</dl>
${
  view.status === 'awaiting_verification'
    ? html`<h2>Confirm it is you</h2>
<p>We emailed a 6-digit code to the address you gave. It works for 15 minutes.</p>
<form method="post" action="/privacy/request/status/${token}" data-testid="code-form">
  <input type="hidden" name="_csrf" value="${csrf}">
  <p><label for="code">Code</label><input id="code" name="code" inputmode="numeric" pattern="[0-9]{6}" autocomplete="one-time-code" required></p>
  <p><button type="submit">Confirm</button></p>
</form>`
    : ''
}
${view.status === 'completed' ? html`<p>We emailed you our answer.</p>` : ''}
${appeal ? renderAppeal(appeal.offer, token, appeal.csrf) : ''}
<p class="small">Keep this page's address private: it is the key to your request.</p>
${waysOn(viewer)}`,
  });
}

export function renderExportSummary(
  policy: Policy,
  doc: ExportDocument,
  token: string,
  viewer: Viewer = ANONYMOUS,
): string {
  const data = plainData(policy, doc.values, doc.request.generatedAt);
  const base = `/privacy/request/export/${token}`;
  return shopperPage({
    title: 'Your data',
    policy,
    viewer,
    body: html`<h1>Your data held by ${doc.request.controller}</h1>
<p class="small">Prepared ${doc.request.generatedAt.slice(0, 10)} in answer to your request. This link works for 7 days.</p>
<p class="actions">
  <a class="button" href="${base}/readable.json" download="my-data.json" data-testid="download-json">Download (JSON)</a>
  <a class="button secondary" href="${base}/readable.csv" download="my-data.csv" data-testid="download-csv">Download (CSV, for spreadsheets)</a>
</p>
<p class="small">Moving your data to another service? The <a href="${base}/data.json" download="my-data-complete.json">complete machine-readable copy</a> keeps every value exactly as stored.</p>
<h2>What we hold and why</h2>
${
  doc.categories.length === 0
    ? html`<p class="empty" data-testid="empty">We hold nothing about you.</p>`
    : html`<table class="stack" data-testid="export-categories">
  <thead><tr><th scope="col">Information</th><th scope="col">Pieces</th><th scope="col">Used for</th></tr></thead>
  <tbody>${doc.categories.map((c) => html`<tr><td data-label="Information">${c.description}</td><td data-label="Pieces">${c.values}</td><td data-label="Used for">${c.purposes.map((p) => policy.doc.purposes[p]?.description ?? p).join('; ') || 'Only kept, not used'}</td></tr>`)}</tbody>
</table>`
}
${
  doc.categoriesOnly
    ? html`<p>We confirmed your identity with two details, so we list the categories of data we hold, not the values.</p>`
    : html`<h2>The information itself</h2>
<div data-testid="export-values">${plainDataView(data, 'No values to show.')}</div>`
}
${
  doc.disclosures.length > 0
    ? html`<h2>Who received it</h2><ul data-testid="export-disclosures">${doc.disclosures.map((d) => html`<li>${disclosureLine(policy, d)}</li>`)}</ul>`
    : ''
}
<h2>If you ask us to delete it</h2>
${exemptionsView(data)}
${waysOn(viewer)}`,
  });
}

/** One disclosure in words: who, what, why, when. */
function disclosureLine(policy: Policy, d: ExportDocument['disclosures'][number]): string {
  const what = d.categories.map((c) => policy.doc.categories[c]?.description ?? c).join(', ');
  const why = policy.doc.purposes[d.purpose]?.description ?? d.purpose;
  return `${d.recipient}: ${what} (${why}), ${d.disclosedAt.slice(0, 10)}`;
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
