// The staff console's request queue: open requests soonest deadline first (overdue flagged), with
// who asked, a search (email, name, request id) and filters (type, status, law, overdue, waiting for
// a privacy officer's approval, open or closed), so answered and refused requests and postal requests without an email stay reachable.
// The search form is posted (nothing typed reaches a URL); links may carry the filters only.

import type { QueueEntry, QueueFilter } from '../../modules/rights/index.js';
import { html, type SafeHtml } from '../../platform/html.js';
import { noun } from '../../platform/strings.js';
import { personal } from '../layout.js';
import { JURISDICTION_LABELS } from '../request-labels.js';
import {
  type FilterRefusal,
  filterAlert,
  filterSelect,
  invalidAttrs,
  invalidMessage,
} from './filter-refusal.js';
import { PENDING_STATUS, STAFF_CHANNEL, STAFF_STATUS, STAFF_TYPE, shortId } from './labels.js';
import { type ConsoleFrame, consolePage, csrfField } from './shell.js';

export function due(v: { overdue: boolean; dueOn: string; daysLeft: number; status: string }): SafeHtml {
  const closed = v.status === 'completed' || v.status === 'denied';
  return html`<span class="${v.overdue ? 'bad-text' : ''}" data-overdue="${v.overdue ? 'yes' : 'no'}">${v.dueOn}${
    closed
      ? ''
      : v.overdue
        ? html` <strong>overdue</strong>`
        : html` <span class="small">(${v.daysLeft} days)</span>`
  }</span>`;
}

/** The filters' words, for a refused one named in the alert. */
const FILTER_LABELS: Record<string, string> = {
  show: 'show',
  type: 'type',
  status: 'status',
  law: 'law',
  overdue: 'overdue only',
  approval: 'verifications to approve only',
};

/** A checkbox of the filter form, marked when the address gave it a refused value. */
function check(name: string, id: string, label: string, on: boolean, refusal: FilterRefusal | undefined) {
  const p = refusal?.problems.get(name);
  return html`<p class="check"><input type="checkbox" id="${id}" name="${name}" value="yes"${on ? html` checked` : ''}${invalidAttrs(p, id)}><label for="${id}">${label}</label>${invalidMessage(p, id)}</p>`;
}

function filters(f: QueueFilter, csrf: string, refusal?: FilterRefusal): SafeHtml {
  return html`<form method="post" action="/staff/requests" class="filters" role="search" aria-label="Search and filter requests">
  ${csrfField(csrf)}
  <p class="grow"><label for="q">Search email, name or request id</label><input id="q" name="q" type="search" value="${f.text ?? ''}" maxlength="254" autocomplete="off"></p>
  ${filterSelect({
    name: 'show',
    id: 'f-show',
    label: 'Show',
    choices: [
      ['open', 'Open requests'],
      ['closed', 'Closed (answered or refused)'],
      ['all', 'All requests'],
    ],
    current: f.show ?? 'open',
    refusal,
  })}
  ${filterSelect({
    name: 'type',
    id: 'f-type',
    label: 'Type',
    choices: [['', 'Any type'], ...Object.entries(STAFF_TYPE)],
    current: f.type,
    refusal,
  })}
  ${filterSelect({
    name: 'status',
    id: 'f-status',
    label: 'Status',
    choices: [['', 'Any status'], ...Object.entries(STAFF_STATUS)],
    current: f.status,
    refusal,
  })}
  ${filterSelect({
    name: 'law',
    id: 'f-law',
    label: 'Law',
    choices: [
      ['', 'Any law'],
      ['gdpr', 'GDPR (EEA, UK)'],
      ['ccpa', 'CCPA (California)'],
    ],
    current: f.law,
    refusal,
  })}
  ${check('overdue', 'f-overdue', 'Overdue only', f.overdue === true, refusal)}
  ${check('approval', 'f-approval', 'Verifications to approve only', f.pendingApproval === true, refusal)}
  <p><button type="submit">Search</button> <a href="/staff/requests">Clear</a></p>
</form>`;
}

function requester(r: QueueEntry): SafeHtml | string {
  const { name, email } = r.requester;
  if (!name && !email)
    return html`<span class="empty">none given (${STAFF_CHANNEL[r.channel] ?? r.channel})</span>`;
  return html`${personal(name)}${name && email ? html`<br>` : ''}${email ? html`<span class="small">${personal(email)}</span>` : ''}`;
}

export function renderStaffQueue(
  frame: ConsoleFrame,
  requests: readonly QueueEntry[],
  complaintsOpen: number,
  filter: QueueFilter = {},
  pendingApprovals = 0,
  refusal?: FilterRefusal,
): string {
  const show = filter.show ?? 'open';
  const what = show === 'open' ? 'open' : show === 'closed' ? 'closed' : '';
  return consolePage(frame, {
    title: 'Privacy requests',
    section: '/staff/requests',
    body: html`<h1>Privacy requests</h1>
<p>${complaintsOpen} open ${noun(complaintsOpen, 'complaint')}: <a href="/staff/complaints">see complaints</a>. <a href="/staff/log-request">Log a request received by email or post</a>.</p>
${
  pendingApprovals > 0
    ? html`<p class="flash" data-testid="approvals-waiting"><strong>${pendingApprovals}</strong> ${pendingApprovals === 1 ? 'verification waits' : 'verifications wait'} for a privacy officer's approval (a deletion, a correction or a copy of the values, verified by staff): <a href="/staff/requests?approval=yes">see ${pendingApprovals === 1 ? 'it' : 'them'}</a>.${
        frame.roles.includes('privacy_officer')
          ? ''
          : html` <span data-testid="approvals-who">Only a privacy officer can approve or reject ${pendingApprovals === 1 ? 'it' : 'them'}, never the person who verified: nothing is deleted, corrected or sent until then, and you need not do anything more.</span>`
      }</p>`
    : ''
}
${filterAlert(refusal, FILTER_LABELS)}
${filters(filter, frame.csrf, refusal)}
<p role="status" data-testid="queue-count"><strong>${requests.length}</strong> ${what} ${noun(requests.length, 'request')}${filter.text ? ' matching the search' : ''}${refusal ? html`, <strong data-testid="queue-unfiltered">not filtered by ${[...refusal.problems.keys()].map((n) => FILTER_LABELS[n] ?? n).join(' or ')}</strong>` : ''}, soonest deadline first.</p>
${
  requests.length
    ? html`<div class="scroll" tabindex="0"><table class="stack" data-testid="request-queue">
  <caption class="visually-hidden">Requests, soonest deadline first</caption>
  <thead><tr><th scope="col">Due</th><th scope="col">Requester</th><th scope="col">Type</th><th scope="col">Status</th><th scope="col">Law</th><th scope="col">Received</th></tr></thead>
  <tbody>
  ${requests.map(
    (r) => html`<tr data-request="${r.id}"${r.overdue ? html` class="overdue"` : ''}>
    <td data-label="Due">${due(r)}</td>
    <td data-label="Requester" class="typed">${requester(r)}</td>
    <td data-label="Type"><a href="/staff/requests/${r.id}">${STAFF_TYPE[r.type] ?? r.type}</a><br><code class="ids">${shortId(r.id)}</code></td>
    <td data-label="Status">${r.pendingApproval ? html`<strong>${PENDING_STATUS}</strong>` : (STAFF_STATUS[r.status] ?? r.status)}${r.ackDueOn && !r.acknowledgedAt ? html`<br><span class="small${r.ackOverdue ? ' bad-text' : ''}">acknowledge by ${r.ackDueOn}</span>` : ''}</td>
    <td data-label="Law">${r.law.toUpperCase()} <span class="small">${JURISDICTION_LABELS[r.jurisdiction] ?? r.jurisdiction}</span></td>
    <td data-label="Received">${r.receivedOn} <span class="small">${STAFF_CHANNEL[r.channel] ?? `by ${r.channel}`}</span></td>
  </tr>`,
  )}
  </tbody>
</table></div>`
    : html`<p class="empty" data-testid="queue-empty">No request matches. ${show === 'open' ? html`Answered and refused requests are under <a href="/staff/requests?show=closed">closed</a>.` : ''}</p>`
}`,
  });
}
