// The shopper's privacy request pages: the form, the status page (reached by an unguessable
// token, never by email) with the code form, the readable summary of an export, and the message
// page the request and complaint pages show when a link leads nowhere.
import type { Policy } from '../../modules/policy/index.js';
import type { AppealOffer, ExportDocument, RequestView } from '../../modules/rights/index.js';
import { html, type SafeHtml } from '../../platform/html.js';
import { page } from '../layout.js';
import { JURISDICTION_LABELS, STATUS_LABELS, TYPE_LABELS } from '../request-labels.js';

/** The navigation of the request and complaint pages. */
export const REQUEST_NAV = [{ href: '/privacy/request', label: 'Make a privacy request' }];

/** The options of a select, one per label. */
export function options(map: Record<string, string>, selected?: string): SafeHtml[] {
  return Object.entries(map).map(
    ([v, l]) => html`<option value="${v}"${v === selected ? html` selected` : ''}>${l}</option>`,
  );
}

export function renderRequestForm(policy: Policy, csrf: string, error?: string): string {
  const correctable = Object.entries(policy.doc.categories).filter(([id]) => id.includes('.'));
  return page({
    title: 'Make a privacy request',
    policy,
    nav: REQUEST_NAV,
    current: '/privacy/request',
    body: html`<h1>Make a privacy request</h1>
<p>You can ask for a copy of your data, its correction or deletion, or that we stop using it. We
confirm who you are before we disclose, change or delete anything: we email a code to the address
you give. You can also write to ${policy.doc.controller.requests_postal_address ?? policy.doc.controller.postal_address} or email
<a href="mailto:${policy.doc.controller.email}">${policy.doc.controller.email}</a>.</p>
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
): string {
  return page({
    title: 'Your privacy request',
    policy,
    nav: REQUEST_NAV,
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
<p class="small">Keep this page's address private: it is the key to your request.</p>`,
  });
}

export function renderExportSummary(policy: Policy, doc: ExportDocument, token: string): string {
  const tables = Object.keys(doc.csv);
  return page({
    title: 'Your data',
    policy,
    body: html`<h1>Your data held by ${doc.request.controller}</h1>
<p class="small">Generated ${doc.request.generatedAt} for request <code>${doc.request.id}</code>.</p>
<p><a href="/privacy/request/export/${token}/data.json" download="my-data.json">Download everything as JSON</a></p>
${tables.length > 0 ? html`<ul>${tables.map((t) => html`<li><a href="/privacy/request/export/${token}/csv/${t}" download="${t}.csv">${t} (CSV)</a></li>`)}</ul>` : ''}
<h2>What we hold and why</h2>
<table data-testid="export-categories">
  <thead><tr><th scope="col">Information</th><th scope="col">Pieces</th><th scope="col">Used for</th></tr></thead>
  <tbody>${doc.categories.map((c) => html`<tr><td>${c.description}</td><td>${c.values}</td><td>${c.purposes.map((p) => policy.doc.purposes[p]?.description ?? p).join('; ')}</td></tr>`)}</tbody>
</table>
${
  doc.categoriesOnly
    ? html`<p>We confirmed your identity with two details, so we list the categories of data we hold, not the values.</p>`
    : html`<h2>The values</h2>
<table data-testid="export-values">
  <thead><tr><th scope="col">Where</th><th scope="col">Information</th><th scope="col">Value</th></tr></thead>
  <tbody>${doc.values.map((v) => html`<tr><td>${v.dataset}.${v.table}</td><td>${v.category}</td><td>${typeof v.value === 'object' ? JSON.stringify(v.value) : String(v.value ?? '')}</td></tr>`)}</tbody>
</table>`
}`,
  });
}

export function renderRightsMessage(policy: Policy, title: string, text: string, status = 'error'): string {
  return page({
    title,
    policy,
    nav: REQUEST_NAV,
    body: html`<h1>${title}</h1><p class="${status}" role="alert">${text}</p><p><a href="/privacy/request">Make a new request</a></p>`,
  });
}
