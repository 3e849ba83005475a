// The staff console's complaints (P25): the list (soonest reply due first, overdue flagged) and a
// complaint's page with its replies and the forms to answer or close it.

import type { ComplaintDetail, ComplaintView } from '../../modules/complaints/index.js';
import { html } from '../../platform/html.js';
import { type ConsoleFrame, consolePage, csrfField } from './shell.js';

export function renderStaffComplaints(frame: ConsoleFrame, complaints: readonly ComplaintView[]): string {
  return consolePage(frame, {
    title: 'Complaints',
    section: '/staff/complaints',
    body: html`<h1>Complaints</h1>
<table data-testid="complaint-queue">
  <thead><tr><th scope="col">Reply due</th><th scope="col">Received</th><th scope="col">Status</th><th scope="col">Escalation</th></tr></thead>
  <tbody>${complaints.map(
    (c) =>
      html`<tr data-complaint="${c.id}"${c.overdue ? html` class="overdue"` : ''}><td><a href="/staff/complaints/${c.id}">${c.replyDueOn}</a>${c.overdue ? ' — OVERDUE' : ''}</td><td>${c.receivedOn} (${c.channel})</td><td>${c.status}</td><td>${c.regulator ? html`<a href="${c.regulator.url}" rel="noopener">${c.regulator.name}</a>` : '—'}</td></tr>`,
  )}</tbody>
</table>`,
  });
}

export function renderStaffComplaint(frame: ConsoleFrame, c: ComplaintDetail, message?: string): string {
  return consolePage(frame, {
    title: 'Complaint',
    section: '/staff/complaints',
    body: html`<h1>Complaint</h1>
${message ? html`<p class="ok" role="status">${message}</p>` : ''}
<dl>
  <dt>Status</dt><dd data-testid="complaint-status">${c.status}</dd>
  <dt>Received</dt><dd>${c.receivedOn} by ${c.channel}</dd>
  <dt>Reply due</dt><dd>${c.replyDueOn}${c.overdue ? ' — OVERDUE' : ''}</dd>
  <dt>Escalation</dt><dd>${c.regulator ? html`<a href="${c.regulator.url}" rel="noopener">${c.regulator.name}</a>` : '—'}</dd>
  <dt>From</dt><dd>${c.contact.name ?? ''} ${c.contact.email ?? ''}</dd>
  <dt>Complaint</dt><dd data-testid="complaint-message">${c.contact.message}</dd>
</dl>
<h2>Replies</h2>
${c.replies.length ? html`<ol>${c.replies.map((r) => html`<li><span class="small">${r.at}</span><br>${r.text}</li>`)}</ol>` : html`<p>None yet.</p>`}
${
  c.status !== 'closed'
    ? html`<form method="post" action="/staff/complaints/${c.id}" data-action="reply">
  ${csrfField(frame.csrf)}
  <input type="hidden" name="action" value="reply">
  <p><label for="reply-text">Reply (emailed with the regulator to escalate to)</label><textarea id="reply-text" name="text" rows="5" required></textarea></p>
  <p><button type="submit">Send reply</button></p>
</form>
<form method="post" action="/staff/complaints/${c.id}" data-action="close">
  ${csrfField(frame.csrf)}
  <input type="hidden" name="action" value="close">
  <p><button type="submit">Close</button></p>
</form>`
    : ''
}`,
  });
}
