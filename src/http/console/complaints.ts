// The staff console's complaints (P25): the list (soonest reply due first, overdue flagged) and a
// complaint's page with its timeline and the forms to answer or close it (closing is confirmed).

import type { ComplaintDetail, ComplaintView } from '../../modules/complaints/index.js';
import type { AuditRow } from '../../platform/audit/index.js';
import { html, type SafeHtml } from '../../platform/html.js';
import { noun } from '../../platform/strings.js';
import { JURISDICTION_LABELS } from '../request-labels.js';
import { type FilterRefusal, filterAlert } from './filter-refusal.js';
import { actorLabel, eventLabel } from './labels.js';
import { type ConsoleFrame, consolePage, csrfField, flash } from './shell.js';

const STATUS: Record<string, string> = { open: 'Open', answered: 'Answered', closed: 'Closed' };

/** Whole days from `today` to `day` (both YYYY-MM-DD). */
function daysUntil(today: string, day: string): number {
  return Math.round((Date.parse(`${day}T00:00:00Z`) - Date.parse(`${today}T00:00:00Z`)) / 86_400_000);
}

function replyDue(c: ComplaintView, today: string): SafeHtml {
  const link = html`<a href="/staff/complaints/${c.id}">${c.replyDueOn}</a>`;
  if (c.overdue) return html`${link} <strong class="bad-text">overdue</strong>`;
  if (c.status !== 'open' || c.firstReplyAt) return html`${link} <span class="small">(answered)</span>`;
  const days = daysUntil(today, c.replyDueOn);
  return html`${link} <span class="small">(${days === 0 ? 'today' : `${days} ${noun(days, 'day')}`})</span>`;
}

export function renderStaffComplaints(
  frame: ConsoleFrame,
  complaints: readonly ComplaintView[],
  view: { readonly today: string; readonly showClosed: boolean },
  refusal?: FilterRefusal,
): string {
  return consolePage(frame, {
    title: 'Complaints',
    section: '/staff/complaints',
    body: html`<h1>Complaints</h1>
${filterAlert(refusal, { show: 'show' })}
<p data-testid="complaint-count"><strong>${complaints.length}</strong> ${view.showClosed ? '' : 'open or answered '}${noun(complaints.length, 'complaint')}, soonest reply due first. ${
      view.showClosed
        ? html`<a href="/staff/complaints">Hide the closed ones</a>`
        : html`Closed complaints: <a href="/staff/complaints?show=all">show them too</a>.`
    }</p>
${
  complaints.length
    ? html`<div class="scroll" tabindex="0"><table class="stack" data-testid="complaint-queue">
  <caption class="visually-hidden">Complaints, soonest reply due first</caption>
  <thead><tr><th scope="col">Reply due</th><th scope="col">Received</th><th scope="col">Where</th><th scope="col">Status</th><th scope="col">Escalation</th></tr></thead>
  <tbody>${complaints.map(
    (c) =>
      html`<tr data-complaint="${c.id}"${c.overdue ? html` class="overdue"` : ''}><td data-label="Reply due">${replyDue(c, view.today)}</td><td data-label="Received">${c.receivedOn} <span class="small">by ${c.channel}</span></td><td data-label="Where">${JURISDICTION_LABELS[c.jurisdiction] ?? c.jurisdiction}</td><td data-label="Status">${STATUS[c.status] ?? c.status}</td><td data-label="Escalation">${c.regulator ? html`<a href="${c.regulator.url}" rel="noopener">${c.regulator.name}</a>` : '—'}</td></tr>`,
  )}</tbody>
</table></div>`
    : html`<p class="empty">No complaints.</p>`
}`,
  });
}

export function renderStaffComplaint(
  frame: ConsoleFrame,
  c: ComplaintDetail,
  events: readonly AuditRow[],
  names: ReadonlyMap<string, string>,
  message?: { ok: boolean; text: string },
): string {
  return consolePage(frame, {
    title: 'Complaint',
    section: '/staff/complaints',
    body: html`<p><a href="/staff/complaints">← All complaints</a></p>
<h1>Complaint</h1>
${flash(message)}
<dl class="facts">
  <dt>Status</dt><dd data-testid="complaint-status">${STATUS[c.status] ?? c.status}</dd>
  <dt>Received</dt><dd>${c.receivedOn} by ${c.channel}</dd>
  <dt>Reply due</dt><dd>${c.replyDueOn}${c.overdue ? html` <strong class="bad-text">overdue</strong>` : ''}</dd>
  <dt>Escalation</dt><dd>${c.regulator ? html`<a href="${c.regulator.url}" rel="noopener">${c.regulator.name}</a>` : '—'}</dd>
  <dt>From</dt><dd>${c.contact.name ?? ''} ${c.contact.email ?? ''}</dd>
  <dt>Complaint</dt><dd data-testid="complaint-message">${c.contact.message}</dd>
</dl>
<h2>Replies</h2>
${c.replies.length ? html`<ol>${c.replies.map((r) => html`<li><span class="small">${r.at.replace('T', ' ').slice(0, 16)} UTC, ${actorLabel(names, 'staff', r.staffId)}</span><br>${r.text}</li>`)}</ol>` : html`<p class="empty">None yet.</p>`}
${
  c.status !== 'closed'
    ? html`<form method="post" action="/staff/complaints/${c.id}" data-action="reply" class="action" aria-labelledby="reply-h">
  <h3 id="reply-h">Reply</h3>
  ${csrfField(frame.csrf)}
  <input type="hidden" name="action" value="reply">
  <p><label for="reply-text">Reply (emailed with the regulator to escalate to)</label><textarea id="reply-text" name="text" rows="5" required></textarea></p>
  <p><button type="submit">Send reply</button></p>
</form>
<form method="post" action="/staff/complaints/${c.id}" data-action="close" class="action" aria-labelledby="close-h">
  <h3 id="close-h">Close the complaint</h3>
  ${csrfField(frame.csrf)}
  <input type="hidden" name="action" value="close">
  <p><button type="submit" data-tone="proceed">Close…</button> <span class="small">You confirm on the next page.</span></p>
</form>`
    : ''
}
<h2>Timeline</h2>
${
  events.length
    ? html`<ol class="timeline" data-testid="complaint-timeline">${events.map(
        (e) =>
          html`<li><time datetime="${e.at}">${e.at.replace('T', ' ').slice(0, 16)} UTC</time> <strong>${eventLabel(e.action)}</strong> — ${actorLabel(names, e.actor_type, e.actor_id)}</li>`,
      )}</ol>`
    : html`<p class="empty">No events recorded.</p>`
}`,
  });
}
