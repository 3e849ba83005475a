// The privacy officer's page of under-13 reports (P14, four eyes): each report customer service made
// waits here; approving runs the purge, rejecting deletes nothing. The one who reported cannot approve.
import type { Under13Proposal } from '../../modules/subjects/index.js';
import { html } from '../../platform/html.js';
import { actorLabel } from './labels.js';
import { type ConsoleFrame, consolePage, csrfField, flash } from './shell.js';

export function renderUnder13(
  frame: ConsoleFrame,
  proposals: readonly Under13Proposal[],
  names: ReadonlyMap<string, string>,
  message?: { ok: boolean; text: string },
): string {
  return consolePage(frame, {
    title: 'Under-13 reports',
    section: '/staff/under13',
    body: html`<h1>Under-13 reports</h1>
<p>Customer service reported these people as under 13. Approving deletes everything we hold about
the person, for good, and keeps only what refuses their data in future (P14); rejecting closes the
report and deletes nothing. Each decision asks you to confirm on the next page. Another privacy
officer must decide a report you made.</p>
${flash(message)}
${
  proposals.length === 0
    ? html`<p class="empty">No report is waiting.</p>`
    : html`<div class="scroll" tabindex="0"><table class="stack" data-testid="under13-proposals">
  <thead><tr><th scope="col">Reported</th><th scope="col">Person</th><th scope="col">By</th><th scope="col">Why</th><th scope="col">Decision</th></tr></thead>
  <tbody>${proposals.map(
    (
      p,
    ) => html`<tr><td data-label="Reported">${p.proposedAt.slice(0, 10)}</td><td data-label="Person" class="values"><form method="post" action="/staff/people" class="inline">${csrfField(frame.csrf)}<input type="hidden" name="subjectId" value="${p.subjectId}"><button type="submit" class="secondary" data-tone="proceed">See who it is</button></form></td><td data-label="By">${actorLabel(names, 'staff', p.proposedBy)}</td><td data-label="Why">${p.reason ?? '—'}</td><td>
<form method="post" action="/staff/under13/decide" class="inline">
  ${csrfField(frame.csrf)}
  <input type="hidden" name="proposalId" value="${p.id}">
  <button type="submit" name="decision" value="approve" class="danger" data-tone="destructive">Approve and delete…</button>
  <button type="submit" name="decision" value="reject" class="danger secondary" data-tone="destructive">Reject…</button>
</form></td></tr>`,
  )}</tbody>
</table></div>`
}`,
  });
}
