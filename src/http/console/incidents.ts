// The staff console's breach register (P13; GDPR Art. 33, 34): the list with each incident's 72-hour
// clock (overdue said in words and marked, not by colour alone) and the form to record one.
// An incident's own page is incident-page.ts.

import { durationInWords, type IncidentView } from '../../modules/incidents/index.js';
import { categoryName, subjectKindName } from '../../modules/policy/index.js';
import { html, type SafeHtml } from '../../platform/html.js';
import { noun } from '../../platform/strings.js';
import { type FilterRefusal, filterAlert } from './filter-refusal.js';
import { type ConsoleFrame, type ConsoleMessage, consolePage, csrfField, flash } from './shell.js';

/** The roles that read the register and each incident (the dashboard's state notices follow them). */
export const INCIDENT_READERS: readonly string[] = ['privacy_officer', 'customer_service', 'auditor'];

/** `2026-01-15 12:00 UTC`. */
export function utc(iso: string): string {
  return `${iso.replace('T', ' ').slice(0, 16)} UTC`;
}

/** The clock in words: time left, overdue by how long, notified (late or not), or not required. */
export function clockText(i: IncidentView): SafeHtml {
  const c = i.clock;
  if (c.state === 'notified')
    return c.late
      ? html`Notified ${utc(i.notification?.at ?? '')} <strong>after the 72 hours</strong> (reasons given)`
      : html`Notified ${utc(i.notification?.at ?? '')}, within 72 hours`;
  if (c.state === 'not_required') return html`No notification: decided unlikely to result in a risk`;
  if (c.state === 'overdue')
    return html`<strong class="bad-text">Overdue</strong> by ${durationInWords(c.msLeft ?? 0)}: notify now with the reasons for the delay, or record the decision`;
  return html`${durationInWords(c.msLeft ?? 0)} left <span class="small">(until ${utc(c.deadlineAt)})</span>`;
}

export function riskText(level: string): string {
  return (
    {
      undecided: 'Not decided yet',
      none: 'Unlikely to result in a risk',
      risk: 'Likely to result in a risk',
      high: 'Likely to result in a high risk',
    }[level] ?? level
  );
}

export interface IncidentForm {
  readonly summary?: string;
  readonly awareAt?: string;
  readonly dataCategories?: readonly string[];
  readonly subjectKinds?: readonly string[];
  readonly approxSubjects?: string;
  readonly approxRecords?: string;
  readonly consequences?: string;
  readonly measures?: string;
  readonly authority?: string;
}

function recordForm(
  frame: ConsoleFrame,
  authorities: readonly { id: string; name: string }[],
  f: IncidentForm,
): SafeHtml {
  const doc = frame.policy.doc;
  const cats = new Set(f.dataCategories ?? []);
  const kinds = new Set(f.subjectKinds ?? []);
  return html`<h2 id="record-h">Record an incident</h2>
<form method="post" action="/staff/incidents" aria-labelledby="record-h" data-testid="record-incident">
  ${csrfField(frame.csrf)}
  <p class="small" id="no-names">Name no one: describe people by category and count. Text with an email address is refused.</p>
  <p><label for="i-summary">What happened</label><textarea id="i-summary" name="summary" rows="4" required aria-describedby="no-names">${f.summary ?? ''}</textarea></p>
  <p><label for="i-aware">When it became known (UTC; empty: now)</label><input id="i-aware" name="awareAt" type="datetime-local" value="${f.awareAt ?? ''}"></p>
  <fieldset><legend>Categories of personal data concerned</legend>
  ${Object.keys(doc.categories).map(
    (c) =>
      html`<p class="check"><input type="checkbox" id="cat-${c}" name="dataCategories" value="${c}"${cats.has(c) ? html` checked` : ''}><label for="cat-${c}">${categoryName(frame.policy, c)} <span class="small">(${c})</span></label></p>`,
  )}
  </fieldset>
  <fieldset><legend>Categories of people concerned</legend>
  ${Object.keys(doc.subject_kinds).map(
    (k) =>
      html`<p class="check"><input type="checkbox" id="kind-${k}" name="subjectKinds" value="${k}"${kinds.has(k) ? html` checked` : ''}><label for="kind-${k}">${subjectKindName(frame.policy, k)}</label></p>`,
  )}
  </fieldset>
  <p><label for="i-subjects">Approximate number of people</label><input id="i-subjects" name="approxSubjects" type="number" min="0" inputmode="numeric" value="${f.approxSubjects ?? ''}"></p>
  <p><label for="i-records">Approximate number of records</label><input id="i-records" name="approxRecords" type="number" min="0" inputmode="numeric" value="${f.approxRecords ?? ''}"></p>
  <p><label for="i-consequences">Likely consequences</label><textarea id="i-consequences" name="consequences" rows="3">${f.consequences ?? ''}</textarea></p>
  <p><label for="i-measures">Measures taken or proposed</label><textarea id="i-measures" name="measures" rows="3">${f.measures ?? ''}</textarea></p>
  <p><label for="i-authority">Lead supervisory authority</label><select id="i-authority" name="authority">
    <option value="">Not chosen yet</option>
    ${authorities.map((a) => html`<option value="${a.id}"${f.authority === a.id ? html` selected` : ''}>${a.name} (${a.id})</option>`)}
  </select></p>
  <p><button type="submit">Record the incident</button></p>
</form>`;
}

export function renderStaffIncidents(
  frame: ConsoleFrame,
  incidents: readonly IncidentView[],
  view: {
    readonly showClosed: boolean;
    readonly canRecord: boolean;
    readonly authorities: readonly { id: string; name: string }[];
    readonly form?: IncidentForm;
    readonly message?: ConsoleMessage;
  },
  refusal?: FilterRefusal,
): string {
  const overdue = incidents.filter((i) => i.clock.state === 'overdue').length;
  return consolePage(frame, {
    title: 'Incidents',
    section: '/staff/incidents',
    body: html`<h1>Incidents</h1>
${flash(view.message)}
${filterAlert(refusal, { show: 'show' })}
<p>The register of personal-data breaches (GDPR Art. 33(5)): every breach is kept here, notified or not. The supervisory authority is notified within 72 hours of becoming aware, unless the breach is unlikely to result in a risk (a decision kept with its reason).</p>
<p data-testid="incident-count"><strong>${incidents.length}</strong> ${view.showClosed ? '' : 'open '}${noun(incidents.length, 'incident')}${
      overdue ? html`, <strong class="bad-text">${overdue} overdue</strong>` : ''
    }, nearest deadline first. ${
      view.showClosed
        ? html`<a href="/staff/incidents">Hide the closed ones</a>`
        : html`Closed incidents: <a href="/staff/incidents?show=all">show them too</a>.`
    }</p>
${
  incidents.length
    ? html`<div class="scroll" tabindex="0"><table class="stack" data-testid="incident-list">
  <caption class="visually-hidden">Incidents, nearest deadline first</caption>
  <thead><tr><th scope="col">72-hour clock</th><th scope="col">Known since</th><th scope="col">What happened</th><th scope="col">Risk</th><th scope="col">Status</th></tr></thead>
  <tbody>${incidents.map(
    (i) =>
      html`<tr data-incident="${i.id}"${i.clock.state === 'overdue' ? html` class="overdue"` : ''}><td data-label="72-hour clock">${clockText(i)}</td><td data-label="Known since">${utc(i.awareAt)}</td><td data-label="What happened"><a href="/staff/incidents/${i.id}">${i.summary.length > 80 ? `${i.summary.slice(0, 79)}…` : i.summary}</a></td><td data-label="Risk">${riskText(i.risk.level)}</td><td data-label="Status">${i.status === 'open' ? (i.ownerId ? 'Open' : 'Open, to take over') : 'Closed'}</td></tr>`,
  )}</tbody>
</table></div>`
    : html`<p class="empty">No incidents.</p>`
}
${view.canRecord ? recordForm(frame, view.authorities, view.form ?? {}) : ''}`,
  });
}
