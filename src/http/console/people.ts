// Person look-up for customer service and the privacy officer. The email or phone is typed into a
// POST form and the person is rendered in the answer: no email, phone or subject id ever appears
// in a page URL. The page shows what Vow holds (decrypted values), how each was collected, their
// catalog requests with the answers in words, the consent history and current state, disclosures,
// requests and restrictions, and a suppression form.
import type { PersonOrder } from '../../modules/collection/index.js';
import type { ComplaintView } from '../../modules/complaints/index.js';
import type { ConsentEventRow } from '../../modules/consent/index.js';
import type { DisclosureLogEntry } from '../../modules/disclosures/index.js';
import type { RequestView } from '../../modules/rights/index.js';
import type { IdentifierView } from '../../modules/subjects/index.js';
import { html, type SafeHtml } from '../../platform/html.js';
import { personal } from '../layout.js';
import { actorLabel, heldValue, STAFF_STATUS, STAFF_TYPE, shortId, stamp } from './labels.js';
import { catalogSection, type PersonCatalogRequest } from './person-catalog.js';
import { ordersSection } from './person-orders.js';
import { type ConsoleFrame, consolePage, csrfField, flash } from './shell.js';

export interface PersonView {
  readonly subjectId: string;
  /** The names the person gave (orders, forms, account). */
  readonly names: readonly string[];
  /** Their shopper account, if one is linked. */
  readonly account: { readonly id: string; readonly verified: boolean; readonly createdAt: string } | null;
  readonly complaints: readonly ComplaintView[];
  /** Staff ids to user names (consent changes by staff). */
  readonly staffNames: ReadonlyMap<string, string>;
  readonly under13: boolean;
  /** Their data was deleted: only what the exemptions keep is left, and nothing can be stored for them. */
  readonly erased: boolean;
  /** A proposal to mark them under 13 waits for a privacy officer (four eyes). */
  readonly under13Proposed: boolean;
  readonly kinds: readonly string[];
  readonly identifiers: readonly IdentifierView[];
  /** Their orders, newest first (PERSON_ORDERS_SHOWN and one more, to say there are more). */
  readonly orders: readonly PersonOrder[];
  /** Their catalog requests, newest first, each with its address and answers. */
  readonly catalogRequests: readonly PersonCatalogRequest[];
  readonly states: Readonly<Record<string, string>>;
  readonly history: readonly ConsentEventRow[];
  readonly disclosures: readonly DisclosureLogEntry[];
  readonly requests: readonly RequestView[];
  readonly restrictions: readonly {
    id: string;
    scope: string;
    purposes: string[];
    startedAt: string;
    liftedAt: string | null;
  }[];
}

function searchForm(csrf: string, values: { email?: string; phone?: string; order?: string } = {}): SafeHtml {
  return html`<form method="post" action="/staff/people" class="search" role="search" aria-label="Find a person">
  ${csrfField(csrf)}
  <div class="fields">
    <p><label for="email">Email</label><input id="email" name="email" type="email" autocomplete="off" value="${values.email ?? ''}"></p>
    <p><label for="phone">or phone</label><input id="phone" name="phone" type="tel" autocomplete="off" value="${values.phone ?? ''}"></p>
    <p><label for="order">or order number</label><input id="order" name="order" autocomplete="off" maxlength="100" spellcheck="false" value="${values.order ?? ''}"></p>
  </div>
  <p><button type="submit">Find</button></p>
</form>`;
}

export function renderPeopleSearch(frame: ConsoleFrame, message?: { ok: boolean; text: string }): string {
  return consolePage(frame, {
    title: 'Find a person',
    section: '/staff/people',
    body: html`<h1>Find a person</h1>
<p>Type the email address or phone number the person gave us, or the shop's number of an order they
placed (it finds the buyer). The search is sent in the form, never in the address bar, and each
look-up is recorded in the audit trail.</p>
${flash(message)}
${searchForm(frame.csrf)}`,
  });
}

const day = (iso: string) => iso.replace('T', ' ').slice(0, 16);

export function renderPerson(
  frame: ConsoleFrame,
  p: PersonView,
  message?: { ok: boolean; text: string },
): string {
  const csrf = frame.csrf;
  const channels = Object.keys(frame.policy.doc.channels).filter((c) => !c.startsWith('cookies.'));
  // An identifier given with an order is named by the shop's order number, as the Orders list names it.
  const orderNumbers = new Map(p.orders.map((o) => [o.id, o.shopOrderId]));
  const where = (i: IdentifierView) => {
    const number = i.recordType === 'order' ? orderNumbers.get(i.recordId) : undefined;
    return number === undefined ? `${i.recordType} ${i.recordId}` : html`order <code>${number}</code>`;
  };
  return consolePage(frame, {
    title: 'Person',
    section: '/staff/people',
    body: html`<h1>Person</h1>
${flash(message)}
${
  p.erased
    ? html`<p class="info" role="note" data-testid="person-erased"><strong>This person's data was deleted.</strong> What is left is what the policy's exemptions keep (their consent history as the record that keeps them from being mailed again, an order's history, their requests); no address or phone is left to reach them, every email address and phone number they gave is on the suppression list, and nothing more can be stored for them.</p>`
    : ''
}
<dl class="facts">
  <dt>Name</dt><dd data-testid="person-name">${p.names.length ? p.names.map((n, i) => html`${i ? ' · ' : ''}${personal(n)}`) : html`<span class="empty">no name given</span>`}</dd>
  <dt>Account</dt><dd data-testid="person-account">${p.account ? html`shopper account <code>${shortId(p.account.id)}</code>, opened ${p.account.createdAt.slice(0, 10)}${p.account.verified ? ', email verified' : ', email not verified'}` : html`<span class="empty">no linked account</span>`}</dd>
  <dt>Vow id</dt><dd><code data-testid="person-id">${p.subjectId}</code></dd>
  <dt>Known as</dt><dd>${p.kinds.length ? p.kinds.join(', ').replace(/_/g, ' ') : '—'}</dd>
  ${p.under13 ? html`<dt>Under 13</dt><dd><strong class="bad-text">Yes: nothing may be collected or used</strong></dd>` : ''}
  ${p.under13Proposed ? html`<dt>Under 13</dt><dd data-testid="under13-proposed">Reported: waiting for a privacy officer's approval</dd>` : ''}
</dl>

<section aria-labelledby="records-h">
<h2 id="records-h">What we hold</h2>
${
  p.identifiers.length
    ? html`<div class="scroll" tabindex="0"><table class="stack" data-testid="person-identifiers">
  <thead><tr><th scope="col">Value</th><th scope="col">Field</th><th scope="col">Given as</th><th scope="col">Where</th><th scope="col">When</th></tr></thead>
  <tbody>${p.identifiers.map(
    (i) =>
      html`<tr><td data-label="Value" class="typed">${heldValue(i.value)}</td><td data-label="Field">${i.field}</td><td data-label="Given as">${i.subjectKind.replace(/_/g, ' ')}</td><td data-label="Where">${i.collectionPoint.replace(/_/g, ' ')} <span class="small">${where(i)}</span></td><td data-label="When">${stamp(i.collectedAt)}</td></tr>`,
  )}</tbody>
</table></div>`
    : html`<p class="empty">No identifiers are held.</p>`
}
</section>

${ordersSection(p.orders)}
${catalogSection(frame.policy, p.catalogRequests)}

<section aria-labelledby="consent-h">
<h2 id="consent-h">Consent</h2>
<div class="scroll" tabindex="0"><table class="stack" data-testid="person-consent-state">
  <thead><tr><th scope="col">Channel</th><th scope="col">State</th></tr></thead>
  <tbody>${channels.map(
    (c) =>
      html`<tr><th scope="row">${c.replace(/_/g, ' ')}</th><td data-label="State">${p.states[c] ?? 'never enrolled'}</td></tr>`,
  )}</tbody>
</table></div>
<h3>History</h3>
${
  p.history.length
    ? html`<ol class="history" data-testid="person-consent-history">${p.history.map(
        (e) =>
          html`<li><time datetime="${e.at}">${day(e.at)}</time> <strong>${e.channel}</strong>: ${e.event} <span class="small">(${e.cause_type}${e.cause_ref ? ` ${e.cause_ref}` : ''}${e.staff_id ? `, by ${actorLabel(p.staffNames, 'staff', e.staff_id)}` : ''})</span></li>`,
      )}</ol>`
    : html`<p class="empty">No consent events.</p>`
}
<h3 id="suppress-h">Remove from a mailing</h3>
${
  p.erased
    ? html`<p class="empty">Nothing to remove: a deleted person is on no mailing.</p>`
    : html`<form method="post" action="/staff/people/suppress" aria-labelledby="suppress-h" data-testid="suppress-form">
  ${csrfField(csrf)}
  <input type="hidden" name="subjectId" value="${p.subjectId}">
  <p><label for="channel">Channel</label><select id="channel" name="channel">${channels.map(
    (c) => html`<option value="${c}">${c.replace(/_/g, ' ')}</option>`,
  )}</select></p>
  <p><label for="reason">Reason (no email addresses or phone numbers: it goes to the audit trail)</label><input id="reason" name="reason" required maxlength="500"></p>
  <p><button type="submit" data-tone="proceed">Suppress…</button> <span class="small">You confirm on the next page.</span></p>
</form>`
}
</section>

${
  p.under13 || p.under13Proposed
    ? ''
    : html`<section aria-labelledby="under13-h">
<h2 id="under13-h">Learned the person is under 13?</h2>
<p>Report it: a privacy officer (another person) reviews the report, and only their approval deletes
everything we hold about the person, for good (P14).</p>
<form method="post" action="/staff/people/under13" aria-labelledby="under13-h" data-testid="under13-form">
  ${csrfField(csrf)}
  <input type="hidden" name="subjectId" value="${p.subjectId}">
  <p><label for="under13-reason">How you learned it (no email addresses or phone numbers: it goes to the audit trail)</label><input id="under13-reason" name="reason" maxlength="500"></p>
  <p><button type="submit" data-tone="proceed">Report as under 13…</button> <span class="small">You confirm on the next page.</span></p>
</form>
</section>`
}

<section aria-labelledby="disclosures-h">
<h2 id="disclosures-h">Disclosures</h2>
${
  p.disclosures.length
    ? html`<div class="scroll" tabindex="0"><table class="stack" data-testid="person-disclosures">
  <thead><tr><th scope="col">When</th><th scope="col">Recipient</th><th scope="col">Purpose</th><th scope="col">Fields</th></tr></thead>
  <tbody>${p.disclosures.map(
    (d) =>
      html`<tr><td data-label="When">${stamp(d.disclosedAt)}</td><td data-label="Recipient">${d.recipient}</td><td data-label="Purpose">${d.purpose}</td><td data-label="Fields">${d.fields.join(', ')}</td></tr>`,
  )}</tbody>
</table></div>`
    : html`<p class="empty">Nothing was disclosed about this person.</p>`
}
</section>

<section aria-labelledby="requests-h">
<h2 id="requests-h">Requests and restrictions</h2>
${
  p.requests.length
    ? html`<ul data-testid="person-requests">${p.requests.map(
        (r) =>
          html`<li><a href="/staff/requests/${r.id}">${STAFF_TYPE[r.type] ?? r.type}</a>: ${STAFF_STATUS[r.status] ?? r.status}, received ${r.receivedOn}, due ${r.dueOn}${r.overdue ? html` <strong class="bad-text">overdue</strong>` : ''}</li>`,
      )}</ul>`
    : html`<p class="empty">No requests.</p>`
}
${
  p.restrictions.length
    ? html`<ul>${p.restrictions.map(
        (r) =>
          html`<li>Restriction (${r.scope === 'all' ? 'all processing' : r.purposes.join(', ')}) since ${day(r.startedAt)}${r.liftedAt ? `, lifted ${day(r.liftedAt)}` : ', open'}</li>`,
      )}</ul>`
    : ''
}
</section>

<section aria-labelledby="complaints-h">
<h2 id="complaints-h">Complaints</h2>
${
  p.complaints.length
    ? html`<ul data-testid="person-complaints">${p.complaints.map(
        (c) =>
          html`<li><a href="/staff/complaints/${c.id}">Complaint received ${c.receivedOn}</a>: ${c.status}, reply due ${c.replyDueOn}${c.overdue ? html` <strong class="bad-text">overdue</strong>` : ''}</li>`,
      )}</ul>`
    : html`<p class="empty">No complaints.</p>`
}
</section>

<h2>Look up someone else</h2>
${searchForm(csrf)}`,
  });
}
