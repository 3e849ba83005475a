// The staff console's request queue (soonest deadline first, overdue flagged) and a request's page
// with the actions its step allows (verify by details, confirm an agent, approve a correction,
// extend, deny, lift a restriction).

import type { RequestDetail, RequestView } from '../../modules/rights/index.js';
import { html, type SafeHtml } from '../../platform/html.js';
import { JURISDICTION_LABELS, STATUS_LABELS } from '../request-labels.js';
import { type ConsoleFrame, consolePage, csrfField } from './shell.js';

function due(v: RequestView): SafeHtml {
  return html`<span class="${v.overdue ? 'overdue' : ''}" data-overdue="${v.overdue ? 'yes' : 'no'}">${v.dueOn}${v.overdue ? ' — OVERDUE' : ` (${v.daysLeft} days)`}</span>`;
}

export function renderStaffQueue(
  frame: ConsoleFrame,
  requests: readonly RequestView[],
  complaintsOpen: number,
): string {
  return consolePage(frame, {
    title: 'Privacy requests',
    section: '/staff/requests',
    body: html`<h1>Privacy requests</h1>
<p>${requests.length} open request(s), soonest deadline first. ${complaintsOpen} open complaint(s).</p>
<p><a href="/staff/log-request">Log a request received by email or post</a></p>
<table data-testid="request-queue">
  <thead><tr><th scope="col">Due</th><th scope="col">Type</th><th scope="col">Law</th><th scope="col">Channel</th><th scope="col">Received</th><th scope="col">Status</th><th scope="col">Ack</th></tr></thead>
  <tbody>
  ${requests.map(
    (r) => html`<tr data-request="${r.id}"${r.overdue ? html` class="overdue"` : ''}>
    <td>${due(r)}</td>
    <td><a href="/staff/requests/${r.id}">${r.type}</a></td>
    <td>${r.law.toUpperCase()} (${JURISDICTION_LABELS[r.jurisdiction] ?? r.jurisdiction})</td>
    <td>${r.channel}</td>
    <td>${r.receivedOn}</td>
    <td>${STATUS_LABELS[r.status] ?? r.status}</td>
    <td>${r.ackDueOn ? (r.acknowledgedAt ? 'sent' : html`due ${r.ackDueOn}${r.ackOverdue ? ' — OVERDUE' : ''}`) : '—'}</td>
  </tr>`,
  )}
  </tbody>
</table>`,
  });
}

function action(
  id: string,
  csrf: string,
  name: string,
  label: string,
  fields: SafeHtml | string = '',
): SafeHtml {
  return html`<form method="post" action="/staff/requests/${id}" class="action" data-action="${name}">
  ${csrfField(csrf)}
  <input type="hidden" name="action" value="${name}">
  ${fields}
  <button type="submit">${label}</button>
</form>`;
}

export function renderStaffRequest(frame: ConsoleFrame, r: RequestDetail, message?: string): string {
  const csrf = frame.csrf;
  const c = r.contact;
  const actions: SafeHtml[] = [];
  if (r.status === 'awaiting_verification') {
    actions.push(
      action(
        r.id,
        csrf,
        'verify_data_points',
        'Verify by matching details',
        html`<p><label>Email <input name="email" type="email"></label> <label>Phone <input name="phone"></label> <label>Account id <input name="accountId"></label></p>
<p><label><input type="checkbox" name="declarationSigned" value="yes"> The person signed a declaration under penalty of perjury</label></p>`,
      ),
    );
  }
  if (r.isAgent && !r.agentConfirmed)
    actions.push(action(r.id, csrf, 'confirm_agent', "Confirm the agent's signed permission"));
  if (r.status === 'awaiting_approval')
    actions.push(action(r.id, csrf, 'approve_correction', 'Approve the correction'));
  if (r.extensionPossibleUntil)
    actions.push(
      action(
        r.id,
        csrf,
        'extend',
        'Extend the deadline and tell the person why',
        html`<p><label>Reason <input name="reason" required></label></p>`,
      ),
    );
  if (r.ackDueOn && !r.acknowledgedAt) actions.push(action(r.id, csrf, 'acknowledge', 'Mark acknowledged'));
  if (r.status !== 'completed' && r.status !== 'denied')
    actions.push(
      action(
        r.id,
        csrf,
        'deny',
        'Refuse',
        html`<p><label>Legal basis <input name="basis" required></label></p>`,
      ),
    );
  if (r.type === 'restriction' && r.status === 'completed')
    actions.push(
      action(
        r.id,
        csrf,
        'lift',
        'Tell the person, then lift the restriction',
        html`<p><label>Reason <input name="reason" required></label></p>`,
      ),
    );
  return consolePage(frame, {
    title: `Request ${r.id}`,
    section: '/staff/requests',
    body: html`<h1>${r.type} request</h1>
${message ? html`<p class="ok" role="status">${message}</p>` : ''}
<dl>
  <dt>Status</dt><dd data-testid="staff-request-status">${STATUS_LABELS[r.status] ?? r.status}</dd>
  <dt>Law</dt><dd>${r.law.toUpperCase()} (${JURISDICTION_LABELS[r.jurisdiction] ?? r.jurisdiction})</dd>
  <dt>Received</dt><dd>${r.receivedOn} by ${r.channel}</dd>
  <dt>Due</dt><dd>${due(r)}${r.extended ? ` (extended from ${r.originalDueOn})` : ''}</dd>
  <dt>Verified</dt><dd>${r.verifiedAt ? `${r.verificationMethod} at ${r.verifiedAt}` : 'not yet'}</dd>
  <dt>Email</dt><dd>${c.email ?? '—'}</dd>
  <dt>Name</dt><dd>${c.name ?? '—'}</dd>
  ${c.agent ? html`<dt>Agent</dt><dd>${c.agent.name}: ${c.agent.permission}</dd>` : ''}
  ${c.correction ? html`<dt>Correction</dt><dd>${c.correction.category} → <strong>${c.correction.value}</strong>${c.correction.evidence ? html`<br>Evidence: ${c.correction.evidence}` : ''}</dd>` : ''}
  ${c.details ? html`<dt>Details</dt><dd>${c.details}</dd>` : ''}
  ${r.responseNature ? html`<dt>Answer</dt><dd>${r.responseNature}${r.denialBasis ? `: ${r.denialBasis}` : ''} (${r.respondedAt})</dd>` : ''}
</dl>
${r.result ? html`<h2>Result</h2><pre data-testid="staff-request-result">${JSON.stringify(r.result, null, 2)}</pre>` : ''}
<h2>Actions</h2>
${actions.length ? actions : html`<p>Nothing to do.</p>`}`,
  });
}
