// An incident page's US state breach-notification section: the residents per state (entered by the
// privacy officer or counted from Vow's data), each state's clocks (the residents' notice, the
// regulator's above its threshold, the consumer reporting agencies'), nearest open deadline first,
// overdue said in words and marked; and, for the privacy officer, the forms to enter or count the
// residents and to record a notice given.
import {
  durationInWords,
  type IncidentStatesView,
  type ShownCount,
  type StateDuty,
} from '../../modules/incidents/index.js';
import { html, type SafeHtml } from '../../platform/html.js';
import { utc } from './incidents.js';
import { type ConsoleFrame, csrfField } from './shell.js';

function countText(n: ShownCount): string {
  return typeof n === 'number' ? n.toLocaleString('en-US') : `fewer than ${n.fewerThan}`;
}

function status(d: StateDuty): SafeHtml {
  if (d.state === 'not_required') return html`Not required <span class="small">(${d.threshold ?? ''})</span>`;
  if (d.state === 'done')
    return html`Given ${utc(d.given?.at ?? '')}: ${d.given?.to ?? ''}${d.late ? html` <strong>after the deadline</strong>` : ''}`;
  if (d.state === 'overdue')
    return html`<strong class="bad-text">Overdue</strong> by ${durationInWords(d.msLeft ?? 0)}`;
  if (d.deadlineAt === null) return html`Due: no fixed day`;
  return html`${durationInWords(d.msLeft ?? 0)} left`;
}

function deadline(d: StateDuty): SafeHtml {
  if (d.deadlineAt === null || d.state === 'not_required') return html`—`;
  return html`${utc(d.deadlineAt)}${d.provisional ? html` <span class="small">(estimated: counted from the residents' notice, not given yet)</span>` : ''}`;
}

/** The residents per state as the form's text: `WI 120` per line. */
function residentsText(v: IncidentStatesView): string {
  const lines = v.residents.map((r) => `${r.state.slice(3).toUpperCase()} ${countText(r.count)}`);
  if (typeof v.unknown === 'number' && v.unknown > 0) lines.push(`unknown ${v.unknown}`);
  if (typeof v.outsideUs === 'number' && v.outsideUs > 0) lines.push(`outside_us ${v.outsideUs}`);
  return lines.join('\n');
}

function forms(frame: ConsoleFrame, id: string, v: IncidentStatesView): SafeHtml {
  const open = v.clocks.flatMap((c) =>
    c.duties
      .filter((d) => d.state === 'due' || d.state === 'overdue')
      .map((d) => ({ value: `${c.state}:${d.kind}`, label: `${c.name}: ${d.who}` })),
  );
  return html`<form method="post" action="/staff/incidents/${id}/us-states" class="action" aria-labelledby="st-count-h" data-action="count">
  <h3 id="st-count-h">Count the residents from Vow's data</h3>
  ${csrfField(frame.csrf)}<input type="hidden" name="action" value="count">
  <p class="small">The people Vow holds with data of this incident's categories, collected up to the time it became known, by the state of their postal address collected last (counts only; no one is listed). It replaces the numbers above.</p>
  <p><button type="submit">Count by state</button></p>
</form>
<form method="post" action="/staff/incidents/${id}/us-states" class="action" aria-labelledby="st-res-h" data-action="residents">
  <h3 id="st-res-h">Enter the residents per state</h3>
  ${csrfField(frame.csrf)}<input type="hidden" name="action" value="residents">
  <p><label for="st-res">One state a line: its two-letter code and the number (<code>WI 120</code>); <code>unknown</code> for people of no known state. It replaces the numbers above.</label>
  <textarea id="st-res" name="residents" rows="4">${residentsText(v)}</textarea></p>
  <p><button type="submit">Save the residents</button></p>
</form>
${
  open.length
    ? html`<form method="post" action="/staff/incidents/${id}/us-states" class="action" aria-labelledby="st-notice-h" data-action="state_notice">
  <h3 id="st-notice-h">A notice given under a state's law</h3>
  ${csrfField(frame.csrf)}<input type="hidden" name="action" value="state_notice">
  <p><label for="st-duty">Notice</label><select id="st-duty" name="duty" required>${open.map(
    (o) => html`<option value="${o.value}">${o.label}</option>`,
  )}</select></p>
  <p><label for="st-to">To whom and how (name no one)</label><input id="st-to" name="to" required maxlength="2000" autocomplete="off"></p>
  <p><label for="st-at">Given at (UTC; empty: now)</label><input id="st-at" name="at" type="datetime-local"></p>
  <p><button type="submit">Record the notice</button></p>
</form>`
    : ''
}`;
}

export function renderUsStates(
  frame: ConsoleFrame,
  id: string,
  v: IncidentStatesView,
  canAct: boolean,
): SafeHtml {
  const rows = v.clocks.flatMap((c) =>
    c.duties.map(
      (d, i) =>
        html`<tr${d.state === 'overdue' ? html` class="overdue"` : ''} data-state="${c.state}" data-kind="${d.kind}"><td data-label="State">${i === 0 ? html`<strong>${c.name}</strong>${c.modelled ? '' : html` <span class="small">(not modelled)</span>`}` : ''}</td><td data-label="Residents">${i === 0 ? countText(c.residents) : ''}</td><td data-label="Notice to">${d.who}</td><td data-label="Rule">${d.rule}${d.threshold ? html`; ${d.threshold}` : ''} <span class="small">${d.cite}</span></td><td data-label="Deadline">${deadline(d)}</td><td data-label="Status">${status(d)}</td></tr>`,
    ),
  );
  const source =
    v.source === null
      ? 'No residents per state recorded yet.'
      : `${v.source === 'counted' ? "Counted from Vow's data" : 'Entered by the privacy officer'} ${utc(v.updatedAt ?? '')}.`;
  return html`<h2 id="us-states-h">US state breach laws</h2>
<p data-testid="us-states-source">${source} State unknown: <strong>${countText(v.unknown)}</strong>; outside the US: ${countText(v.outsideUs)}.</p>
${
  rows.length
    ? html`<div class="scroll" tabindex="0"><table class="stack" data-testid="us-state-clocks">
  <caption class="visually-hidden">Each state's notices, nearest deadline first</caption>
  <thead><tr><th scope="col">State</th><th scope="col">Residents</th><th scope="col">Notice to</th><th scope="col">Rule</th><th scope="col">Deadline</th><th scope="col">Status</th></tr></thead>
  <tbody>${rows}</tbody>
</table></div>
<p class="small">Deadlines count from when the breach became known (the discovery), to the same hour. A state whose law Vow does not model falls back to "the most expedient time possible and without unreasonable delay": check its statute. The numbers are the policy's <code>us_breach_laws</code>.</p>`
    : ''
}
${canAct ? forms(frame, id, v) : ''}`;
}
