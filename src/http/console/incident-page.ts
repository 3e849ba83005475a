// An incident's page in the staff console: the facts, the 72-hour clock, the risk decision, the
// notification, the people told (Art. 34), the timeline (notes and audited changes) and, for the
// privacy officer, the actions.

import type {
  IncidentDetail,
  IncidentStatesView,
  NoticeProgress,
  ShownProgress,
} from '../../modules/incidents/index.js';
import { categoryName, subjectKindName } from '../../modules/policy/index.js';
import type { AuditRow } from '../../platform/audit/index.js';
import { html, type SafeHtml } from '../../platform/html.js';
import { progressText } from './incident-notify.js';
import { renderUsStates } from './incident-states.js';
import { clockText, riskText, utc } from './incidents.js';
import { actorLabel } from './labels.js';
import { type ConsoleFrame, type ConsoleMessage, consolePage, csrfField, flash } from './shell.js';

const EVENTS: Record<string, string> = {
  'incident.recorded': 'Incident recorded',
  'incident.updated': 'Facts changed',
  'incident.taken_over': 'Taken over by a privacy officer',
  'incident.risk_decided': 'Risk decided',
  'incident.authority_notified': 'Supervisory authority notified',
  'incident.subjects_informed': 'People affected told',
  'incident.notice_queued': 'Vow asked to write to the people affected',
  'incident.residents_entered': 'Residents per US state entered',
  'incident.residents_counted': 'Residents per US state counted',
  'incident.state_notice_recorded': 'Notice under a US state law recorded',
  'incident.noted': 'Note added',
  'incident.closed': 'Incident closed',
};

function action(frame: ConsoleFrame, id: string, name: string, title: string, body: SafeHtml): SafeHtml {
  return html`<form method="post" action="/staff/incidents/${id}" data-action="${name}" class="action" aria-labelledby="${name}-h">
  <h3 id="${name}-h">${title}</h3>
  ${csrfField(frame.csrf)}
  <input type="hidden" name="action" value="${name}">
  ${body}
</form>`;
}

function actions(
  frame: ConsoleFrame,
  i: IncidentDetail,
  authorities: readonly { id: string; name: string }[],
  vowWrites: boolean,
): SafeHtml {
  const id = i.id;
  const late = i.clock.state === 'overdue';
  return html`<h2>Actions</h2>
${
  i.ownerId === null
    ? action(
        frame,
        id,
        'take_over',
        'Take it over',
        html`<p><button type="submit">Take over this incident</button></p>`,
      )
    : ''
}
${action(
  frame,
  id,
  'risk',
  'Risk decision',
  html`<p><label for="risk-level">Is the breach likely to result in a risk to people's rights and freedoms?</label><select id="risk-level" name="level" required>
    <option value=""${i.risk.level === 'undecided' ? html` selected` : ''}>Choose…</option>
    <option value="none"${i.risk.level === 'none' ? html` selected` : ''}>Unlikely to result in a risk (no notification; the reason is kept)</option>
    <option value="risk"${i.risk.level === 'risk' ? html` selected` : ''}>Likely to result in a risk (notify the authority)</option>
    <option value="high"${i.risk.level === 'high' ? html` selected` : ''}>Likely to result in a high risk (notify the authority and tell the people)</option>
  </select></p>
  <p><label for="risk-reason">Reason (required)</label><textarea id="risk-reason" name="reason" rows="3" required></textarea></p>
  <p><button type="submit">Record the decision</button></p>`,
)}
${
  i.notification === null
    ? action(
        frame,
        id,
        'notify',
        'Supervisory authority notified',
        html`<p><label for="n-authority">Authority</label><select id="n-authority" name="authority">${authorities.map(
          (a) =>
            html`<option value="${a.id}"${i.authority?.id === a.id ? html` selected` : ''}>${a.name} (${a.id})</option>`,
        )}</select></p>
  <p><label for="n-ref">The authority's reference</label><input id="n-ref" name="reference" required maxlength="200" autocomplete="off"></p>
  <p><label for="n-at">Notified at (UTC; empty: now)</label><input id="n-at" name="at" type="datetime-local"></p>
  <p><label for="n-delay">Reasons for the delay${late ? ' (required: past 72 hours)' : ' (only after 72 hours)'}</label><textarea id="n-delay" name="delayReason" rows="3"${late ? html` required` : ''}></textarea></p>
  <p><button type="submit">Record the notification</button></p>`,
      )
    : ''
}
${
  i.subjectsInformed === null && !vowWrites
    ? action(
        frame,
        id,
        'inform',
        'People affected told (Art. 34)',
        html`<p><label for="s-how">How they were told</label><textarea id="s-how" name="how" rows="2" required></textarea></p>
  <p><label for="s-at">Told at (UTC; empty: now)</label><input id="s-at" name="at" type="datetime-local"></p>
  <p><button type="submit">Record it</button></p>`,
      )
    : ''
}
${action(
  frame,
  id,
  'note',
  'Add a note',
  html`<p><label for="note-text">Note (name no one)</label><textarea id="note-text" name="text" rows="3" required></textarea></p>
  <p><button type="submit">Add the note</button></p>`,
)}
${action(
  frame,
  id,
  'close',
  'Close the incident',
  html`<p><button type="submit" data-tone="proceed">Close…</button> <span class="small">You confirm on the next page. The record is kept.</span></p>`,
)}`;
}

/** After "email by Vow": those it could not write to, still to be told another way (as the reader may see their count). */
function stillToTell(p: ShownProgress<NoticeProgress> | null | undefined): SafeHtml | string {
  if (!p?.doneAt || p.noAddress === 0) return '';
  const n = typeof p.noAddress === 'number' ? String(p.noAddress) : `fewer than ${p.noAddress.fewerThan}`;
  const one = p.noAddress === 1;
  return html` <span data-testid="still-to-tell">(${n} ${one ? 'person' : 'people'} without an email address ${one ? 'is' : 'are'} to be told another way: <a href="#notice-h">below</a>)</span>`;
}

/**
 * For the privacy officer, once Vow has written to everyone it could: the download of the postal
 * address and phone number of those it could not email, to tell them by letter or phone.
 */
function unreachedLink(id: string, p: ShownProgress<NoticeProgress>, canAct: boolean): SafeHtml | string {
  if (!canAct || !p.doneAt || typeof p.noAddress !== 'number' || p.noAddress === 0) return '';
  const who = p.noAddress === 1 ? 'the person' : `the ${p.noAddress} people`;
  return html`<p data-testid="without-email"><a href="/staff/incidents/${id}/without-email.csv" download>Download the postal address and phone number of ${who} without an email address (CSV)</a> <span class="small">To tell them by letter or by phone. The download is audited and holds personal data: keep it only while you need it, and add a note of how they were told.</span></p>`;
}

export function renderStaffIncident(
  frame: ConsoleFrame,
  i: IncidentDetail,
  view: {
    readonly events: readonly AuditRow[];
    readonly names: ReadonlyMap<string, string>;
    readonly canAct: boolean;
    readonly authorities: readonly { id: string; name: string }[];
    readonly message?: ConsoleMessage | undefined;
    readonly affected?: { people: number; records: number; from: string | null; to: string } | undefined;
    /** Vow's mail to the people affected (Art. 34), when asked for. */
    readonly notice?: ShownProgress<NoticeProgress> | null | undefined;
    /** The US state breach-law clocks. */
    readonly usStates?: IncidentStatesView | undefined;
  },
): string {
  const timeline = [
    ...view.events.map((e) => ({
      at: e.at,
      text: html`<strong>${EVENTS[e.action] ?? e.action}</strong> — ${actorLabel(view.names, e.actor_type, e.actor_id)}`,
    })),
    ...i.notes.map((n) => ({
      at: n.at,
      text: html`<strong>Note</strong> — ${actorLabel(view.names, 'staff', n.staffId)}: ${n.text}`,
    })),
  ].sort((a, b) => (a.at < b.at ? -1 : a.at > b.at ? 1 : 0));
  const p = frame.policy;
  return consolePage(frame, {
    title: 'Incident',
    section: '/staff/incidents',
    body: html`<p><a href="/staff/incidents">← All incidents</a></p>
<h1>Incident</h1>
${flash(view.message)}
<dl class="facts">
  <dt>72-hour clock</dt><dd data-testid="incident-clock">${clockText(i)}</dd>
  <dt>Status</dt><dd data-testid="incident-status">${i.status === 'open' ? 'Open' : `Closed ${utc(i.closedAt ?? '')}`}${i.ownerId === null ? ', reported by customer service, not yet taken over' : ''}</dd>
  <dt>Became known</dt><dd>${utc(i.awareAt)} <span class="small">(recorded ${utc(i.recordedAt)})</span></dd>
  <dt>What happened</dt><dd data-testid="incident-summary">${i.summary}</dd>
  <dt>Data concerned</dt><dd>${i.dataCategories.length ? i.dataCategories.map((c) => categoryName(p, c)).join(', ') : 'Not said yet'}</dd>
  <dt>People concerned</dt><dd>${i.subjectKinds.length ? i.subjectKinds.map((k) => subjectKindName(p, k)).join(', ') : 'Not said yet'}</dd>
  <dt>Approximate numbers</dt><dd>${i.approxSubjects ?? '?'} people, ${i.approxRecords ?? '?'} records</dd>
  <dt>Likely consequences</dt><dd>${i.consequences || 'Not said yet'}</dd>
  <dt>Measures</dt><dd>${i.measures || 'Not said yet'}</dd>
  <dt>Risk</dt><dd data-testid="incident-risk">${riskText(i.risk.level)}${i.risk.reason ? html`: ${i.risk.reason}` : ''}</dd>
  <dt>Lead authority</dt><dd>${i.authority ? html`<a href="${i.authority.url}" rel="noopener">${i.authority.name}</a>` : 'Not chosen yet'}</dd>
  <dt>Notification</dt><dd data-testid="incident-notification">${
    i.notification
      ? html`${utc(i.notification.at)}, reference <code>${i.notification.reference}</code>${i.notification.delayReason ? html`. Reasons for the delay: ${i.notification.delayReason}` : ''}`
      : 'Not notified'
  }</dd>
  <dt>People told (Art. 34)</dt><dd>${
    i.subjectsInformed
      ? html`${utc(i.subjectsInformed.at)}: ${i.subjectsInformed.how}${stillToTell(view.notice)}`
      : i.risk.level === 'high'
        ? html`<strong class="bad-text">Not yet</strong>: a high risk means telling them without undue delay`
        : 'No'
  }</dd>
</dl>
${
  view.notice
    ? html`<h2 id="notice-h">Vow's mail to the people affected</h2>${progressText(view.notice)}${unreachedLink(i.id, view.notice, view.canAct)}`
    : view.canAct && i.status === 'open' && i.risk.level === 'high' && i.subjectsInformed === null
      ? html`<p data-testid="notify-link"><a class="button" href="/staff/incidents/${i.id}/notify">Write to the people affected…</a> <span class="small">Vow sends it; their contact never leaves Vow.</span></p>`
      : ''
}
${
  view.canAct
    ? html`<h2 id="affected-h">Who is affected</h2>
<form method="get" action="/staff/incidents/${i.id}" aria-labelledby="affected-h" data-testid="affected-form">
  <input type="hidden" name="count" value="1">
  <p class="small" id="affected-hint">People and records Vow holds with data of this incident's categories, collected in the window (counts only; empty: from the first record to the time it became known).</p>
  <p><label for="a-from">From (UTC)</label><input id="a-from" name="from" type="datetime-local" aria-describedby="affected-hint"></p>
  <p><label for="a-to">To (UTC)</label><input id="a-to" name="to" type="datetime-local"></p>
  <p><button type="submit">Count</button></p>
</form>
${
  view.affected
    ? html`<p role="status" data-testid="affected-count"><strong>${view.affected.people}</strong> ${view.affected.people === 1 ? 'person' : 'people'}, <strong>${view.affected.records}</strong> ${view.affected.records === 1 ? 'record' : 'records'}, collected ${view.affected.from ? `from ${utc(view.affected.from)} ` : ''}to ${utc(view.affected.to)}.</p>`
    : ''
}`
    : ''
}
${view.usStates ? renderUsStates(frame, i.id, view.usStates, view.canAct && i.status === 'open') : ''}
${view.canAct && i.status === 'open' ? actions(frame, i, view.authorities, Boolean(view.notice)) : ''}
<h2>Timeline</h2>
${
  timeline.length
    ? html`<ol class="timeline" data-testid="incident-timeline">${timeline.map(
        (t) => html`<li><time datetime="${t.at}">${utc(t.at)}</time> ${t.text}</li>`,
      )}</ol>`
    : html`<p class="empty">No events recorded.</p>`
}`,
  });
}
