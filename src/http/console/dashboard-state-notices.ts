// The dashboard's US state breach notices: the notices owed on open incidents that fall due within
// VOW_BREACH_REMINDER_DAYS days (7 by default) or are past their deadline, nearest first, each
// linking its incident; overdue said in words and marked (not by colour alone). Shown to the roles
// that read the incident register (privacy officer, customer service, auditor); it names states and
// notices, no counts.
import { durationInWords, type OpenStateDeadline } from '../../modules/incidents/index.js';
import { html, type SafeHtml } from '../../platform/html.js';
import { counted, noun } from '../../platform/strings.js';
import { utc } from './incidents.js';

/** The rows shown; more are counted and left to the incidents' pages. */
const SHOWN = 10;

export interface DashboardStateNotices {
  /** The days ahead a notice is listed (and the privacy officers reminded). */
  readonly withinDays: number;
  /** Due within the days or overdue, nearest deadline first. */
  readonly rows: readonly OpenStateDeadline[];
}

function when(d: OpenStateDeadline): SafeHtml {
  return d.overdue
    ? html`<strong class="bad-text">Overdue</strong> by ${durationInWords(-d.msLeft)}`
    : html`${durationInWords(d.msLeft)} left`;
}

function short(text: string): string {
  return text.length > 60 ? `${text.slice(0, 59)}…` : text;
}

export function stateNoticesSection(s: DashboardStateNotices): SafeHtml | '' {
  if (s.rows.length === 0) return '';
  const overdue = s.rows.filter((r) => r.overdue).length;
  const soon = s.rows.length - overdue;
  return html`<section aria-labelledby="state-notices-h"${overdue ? html` class="flash bad"` : ''} data-testid="dashboard-state-notices">
<h2 id="state-notices-h">US state breach notices</h2>
<p data-testid="state-notices-summary"><strong>${soon}</strong> ${noun(soon, 'notice')} due within ${counted(s.withinDays, 'day')}${
    overdue
      ? html`; <strong class="bad-text">${overdue} overdue</strong>: past the state's deadline and not recorded`
      : ''
  }.</p>
<div class="scroll" tabindex="0"><table class="stack" data-testid="dashboard-state-deadlines">
  <caption>Nearest deadline first</caption>
  <thead><tr><th scope="col">Deadline</th><th scope="col">State</th><th scope="col">Notice to</th><th scope="col">Incident</th></tr></thead>
  <tbody>${s.rows
    .slice(0, SHOWN)
    .map(
      (r) =>
        html`<tr${r.overdue ? html` class="overdue"` : ''} data-state="${r.state}" data-kind="${r.kind}"><td data-label="Deadline">${utc(r.deadlineAt)}: ${when(r)}${r.provisional ? html` <span class="small">(estimated)</span>` : ''}</td><td data-label="State">${r.name}</td><td data-label="Notice to">${r.who}</td><td data-label="Incident"><a href="/staff/incidents/${r.incidentId}">${short(r.summary)}</a></td></tr>`,
    )}</tbody>
</table></div>${
    s.rows.length > SHOWN
      ? html`<p class="small">${s.rows.length - SHOWN} more on the incidents' pages.</p>`
      : ''
  }
</section>`;
}
