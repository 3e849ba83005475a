// The console's home: what this staff member's roles open, what is due first. Customer service (and
// the privacy officer) open on the deadlines: the requests due soonest, charts of open requests by
// due week and of requests received per week; then the promise table for the privacy officer and
// auditors (kept / broken with how many records, which, the rule broken and why / proven by tests)
// with a full check on demand. A fresh first admin (admin role only) is told what to do first.

import type { IncidentView } from '../../modules/incidents/index.js';
import type { RequestView } from '../../modules/rights/index.js';
import { html, type SafeHtml } from '../../platform/html.js';
import { noun } from '../../platform/strings.js';
import { stackedBars } from './charts.js';
import { type DashboardStateNotices, stateNoticesSection } from './dashboard-state-notices.js';
import { clockText } from './incidents.js';
import { STAFF_STATUS, STAFF_TYPE, stamp } from './labels.js';
import { type ConsoleFrame, consolePage, csrfField, flash, opens } from './shell.js';

export interface PromiseRow {
  readonly promise: string;
  readonly title: string;
  readonly status: string;
  readonly count: number;
  readonly ids: readonly string[];
  readonly note: string;
  readonly provenBy: readonly string[];
  /** The first violations: table, row, rule, why, and the values that break it (never personal). */
  readonly violations: readonly {
    readonly table: string;
    readonly row: string;
    readonly rule: string;
    readonly reason: string;
    readonly values: Readonly<Record<string, string | number | boolean | null>>;
  }[];
}

export interface DashboardData {
  /** Undefined when the roles do not open the promise table; null when never checked. */
  readonly promises?: { readonly checkedAt: string; readonly rows: readonly PromiseRow[] } | null;
  /** Earlier runs of the checks, newest first: when, full or incremental, and which promises were broken then. */
  readonly history?: readonly {
    readonly checkedAt: string;
    readonly mode: string;
    readonly durationMs: number;
    readonly broken: readonly string[];
  }[];
  /** Open requests soonest first (customer service). */
  readonly requests?: readonly RequestView[];
  /** Every request, closed ones included (the charts). */
  readonly allRequests?: readonly RequestView[];
  /** Today (YYYY-MM-DD, the injected clock). */
  readonly today?: string;
  readonly complaintsOpen?: number;
  /** Open breaches and those past 72 hours unsettled (privacy officer, auditors). */
  readonly incidents?: {
    readonly open: number;
    readonly overdue: number;
    /** The open breach whose 72-hour clock runs out first, still running. */
    readonly next?: IncidentView;
  };
  /** US state breach notices due soon or overdue (the roles that read the incident register). */
  readonly stateNotices?: DashboardStateNotices;
  readonly message?: { ok: boolean; text: string };
}

/** The Monday (YYYY-MM-DD) of the week a day falls in. */
function weekOf(day: string): string {
  const d = new Date(`${day}T00:00:00Z`);
  d.setUTCDate(d.getUTCDate() - ((d.getUTCDay() + 6) % 7));
  return d.toISOString().slice(0, 10);
}

function addWeeks(week: string, n: number): string {
  const d = new Date(`${week}T00:00:00Z`);
  d.setUTCDate(d.getUTCDate() + 7 * n);
  return d.toISOString().slice(0, 10);
}

/** Requests received per week by type (12 weeks), and open requests by the week they are due. */
function requestCharts(all: readonly RequestView[], today: string): SafeHtml {
  const now = weekOf(today);
  const received = Array.from({ length: 12 }, (_, i) => addWeeks(now, i - 11));
  const byType: Record<string, Record<string, number>> = {};
  for (const r of all) {
    const w = weekOf(r.receivedOn);
    if (w < received[0]!) continue;
    byType[w] ??= {};
    byType[w][r.type] = (byType[w][r.type] ?? 0) + 1;
  }
  const open = all.filter((r) => r.status !== 'completed' && r.status !== 'denied');
  const dueWeeks = ['overdue', ...Array.from({ length: 8 }, (_, i) => addWeeks(now, i))];
  const byStatus: Record<string, Record<string, number>> = {};
  for (const r of open) {
    const w = r.overdue ? 'overdue' : weekOf(r.dueOn) < now ? now : weekOf(r.dueOn);
    if (!dueWeeks.includes(w)) continue;
    byStatus[w] ??= {};
    byStatus[w][r.status] = (byStatus[w][r.status] ?? 0) + 1;
  }
  const overdue = open.filter((r) => r.overdue).length;
  const receivedCount = all.filter((r) => weekOf(r.receivedOn) >= received[0]!).length;
  const types = [...new Set(all.map((r) => r.type))].sort();
  const statuses = [...new Set(open.map((r) => r.status))].sort();
  return html`${stackedBars({
    title: 'Open requests by the week they are due',
    description: `${open.length} open ${noun(open.length, 'request')} by due week (weeks start on Monday), coloured by status; ${overdue} already overdue in the first column.`,
    categories: dueWeeks,
    categoryLabel: 'Due in the week of',
    series: statuses.map((k) => ({ key: k, label: STAFF_STATUS[k] ?? k })),
    values: byStatus,
    ...(overdue ? { marked: { categories: ['overdue'], label: 'past the deadline' } } : {}),
    testId: 'chart-due',
  })}
${stackedBars({
  title: 'Requests received per week, by type',
  description: `${receivedCount} ${noun(receivedCount, 'request')} received in the last 12 weeks (weeks start on Monday), open and closed, coloured by type.`,
  categories: received,
  categoryLabel: 'Week of',
  series: types.map((k) => ({ key: k, label: STAFF_TYPE[k] ?? k })),
  values: byType,
  testId: 'chart-received',
})}`;
}

const STATUS_TEXT: Record<string, string> = {
  kept: 'Kept',
  broken: 'Broken',
  not_checkable: 'Proven by tests',
};

/** Each violation shown: the table and row, the rule broken, why, and the values that break it. */
function violationList(r: PromiseRow): SafeHtml {
  return html`<details data-testid="violations"><summary>Which records, and why</summary><ul class="small">${r.violations.map(
    (v) =>
      html`<li><code>${v.table}:${v.row}</code> <strong>${v.rule}</strong>: ${v.reason}${
        Object.keys(v.values).length
          ? html` <span>(${Object.entries(v.values)
              .map(([k, x]) => `${k}=${x === null ? '—' : String(x)}`)
              .join(', ')})</span>`
          : ''
      }</li>`,
  )}</ul>${r.count > r.violations.length ? html`<p class="small">… and ${r.count - r.violations.length} more.</p>` : ''}</details>`;
}

function promiseTable(p: NonNullable<DashboardData['promises']>): SafeHtml {
  const broken = p.rows.filter((r) => r.status === 'broken').length;
  const kept = p.rows.filter((r) => r.status === 'kept').length;
  const tests = p.rows.filter((r) => r.status === 'not_checkable').length;
  return html`<p data-testid="promise-summary"><strong>${kept}</strong> kept, <strong class="${broken ? 'bad-text' : ''}">${broken}</strong> broken, <strong>${tests}</strong> proven by tests. Last checked <time datetime="${p.checkedAt}">${p.checkedAt.replace('T', ' ').slice(0, 16)} UTC</time>.</p>
<div class="scroll" tabindex="0"><table class="stack" data-testid="promise-table">
  <caption class="visually-hidden">Each promise of the privacy policy and its latest check</caption>
  <thead><tr><th scope="col">Promise</th><th scope="col">Status</th><th scope="col">Evidence</th><th scope="col">What was checked</th></tr></thead>
  <tbody>
  ${p.rows.map(
    (r) => html`<tr data-promise="${r.promise}" data-status="${r.status}">
    <th scope="row">${r.promise} <span class="small">${r.title}</span></th>
    <td data-label="Status"><span class="badge ${r.status}">${STATUS_TEXT[r.status] ?? r.status}</span></td>
    <td data-label="Evidence">${
      r.status === 'not_checkable'
        ? html`<span class="small">${r.provenBy.length ? r.provenBy.join(', ') : 'tests'}</span>`
        : html`${r.count} ${noun(r.count, 'record')}${r.ids.length ? html`<br><code class="ids">${r.ids.join(', ')}</code>` : ''}`
    }</td>
    <td data-label="What was checked" class="small">${r.note}${r.violations.length ? violationList(r) : ''}</td>
  </tr>`,
  )}
  </tbody>
</table></div>`;
}

export function renderDashboard(frame: ConsoleFrame, d: DashboardData): string {
  const sections: SafeHtml[] = [];
  if (!frame.roles.some((r) => r !== 'admin') && opens(frame.roles, 'admin'))
    sections.push(html`<section aria-labelledby="start-h" class="flash ok" data-testid="first-admin-hint">
<h2 id="start-h">Getting started</h2>
<p>You hold the admin role only: it opens staff accounts, nothing else. Add your colleagues on <a href="/staff/accounts">Staff accounts</a> with the roles their work needs: a <strong>privacy officer</strong> (opens every page), <strong>customer service</strong> (people, requests, complaints), <strong>marketing</strong> (audiences, experiments, reports) and an <strong>auditor</strong> (the audit trail). An admin cannot make a privacy officer of themselves: another person holds that role.</p>
</section>`);
  if (d.incidents && (d.incidents.open > 0 || d.incidents.overdue > 0))
    sections.push(html`<section aria-labelledby="incidents-h"${d.incidents.overdue ? html` class="flash bad"` : ''} data-testid="dashboard-incidents">
<h2 id="incidents-h">Incidents</h2>
<p><strong>${d.incidents.open}</strong> open ${noun(d.incidents.open, 'breach', 'breaches')}${
      d.incidents.overdue
        ? html`; <strong class="bad-text">${d.incidents.overdue} overdue</strong>: past 72 hours with neither a notification to the authority nor a documented decision of no risk`
        : ''
    }. <a href="/staff/incidents">The incident register</a></p>
${
  d.incidents.next
    ? html`<p data-testid="dashboard-incident-next">Next 72-hour deadline: ${clockText(d.incidents.next)}, <a href="/staff/incidents/${d.incidents.next.id}">${d.incidents.next.summary.length > 60 ? `${d.incidents.next.summary.slice(0, 59)}…` : d.incidents.next.summary}</a></p>`
    : ''
}
</section>`);
  if (d.stateNotices) {
    const section = stateNoticesSection(d.stateNotices);
    if (section) sections.push(section);
  }
  if (d.requests) {
    const overdue = d.requests.filter((r) => r.overdue).length;
    sections.push(html`<section aria-labelledby="requests-h">
<h2 id="requests-h">Requests and complaints</h2>
<p data-testid="request-summary"><strong>${d.requests.length}</strong> open ${noun(d.requests.length, 'request')}, <strong class="${overdue ? 'bad-text' : ''}">${overdue}</strong> overdue; <strong>${d.complaintsOpen ?? 0}</strong> open ${noun(d.complaintsOpen ?? 0, 'complaint')}.</p>
${
  d.requests.length
    ? html`<div class="scroll" tabindex="0"><table class="stack" data-testid="dashboard-requests">
  <caption>Due soonest</caption>
  <thead><tr><th scope="col">Due</th><th scope="col">Type</th><th scope="col">Status</th></tr></thead>
  <tbody>${d.requests
    .slice(0, 8)
    .map(
      (r) =>
        html`<tr${r.overdue ? html` class="overdue"` : ''}><td data-label="Due">${r.dueOn}${r.overdue ? html` <strong class="bad-text">overdue</strong>` : html` <span class="small">(${r.daysLeft} days)</span>`}</td><td data-label="Type"><a href="/staff/requests/${r.id}">${STAFF_TYPE[r.type] ?? r.type}</a></td><td data-label="Status">${STAFF_STATUS[r.status] ?? r.status}</td></tr>`,
    )}</tbody>
</table></div>`
    : ''
}
${d.allRequests && d.today ? requestCharts(d.allRequests, d.today) : ''}
<p><a href="/staff/requests">The whole queue</a> · <a href="/staff/log-request">Log a request received by email or post</a> · <a href="/staff/complaints">Complaints</a> · <a href="/staff/people">Look someone up</a></p>
</section>`);
  }
  if (d.promises !== undefined) {
    sections.push(html`<section aria-labelledby="promises-h" id="promises">
<h2 id="promises-h">Promises</h2>
${d.promises ? promiseTable(d.promises) : html`<p>The promises have not been checked yet.</p>`}
<form method="post" action="/staff/promises/check">
  ${csrfField(frame.csrf)}
  <button type="submit">Run a full check now</button>
</form>
${
  d.history?.length
    ? html`<h3>Recent runs</h3>
<div class="scroll" tabindex="0"><table class="stack" data-testid="promise-history">
  <caption class="visually-hidden">The latest runs of the promise checks, newest first</caption>
  <thead><tr><th scope="col">Checked</th><th scope="col">Kind</th><th scope="col">Broken promises</th></tr></thead>
  <tbody>${d.history.map(
    (h) =>
      html`<tr><td data-label="Checked">${stamp(h.checkedAt)}</td><td data-label="Kind">${h.mode === 'full' ? 'full sweep' : 'changes only'} <span class="small">(${(h.durationMs / 1000).toFixed(1)} s)</span></td><td data-label="Broken promises">${h.broken.length ? html`<strong class="bad-text">${h.broken.join(', ')}</strong>` : 'none'}</td></tr>`,
  )}</tbody>
</table></div>`
    : ''
}
</section>`);
  }
  if (opens(frame.roles, 'marketing'))
    sections.push(html`<section aria-labelledby="marketing-h">
<h2 id="marketing-h">Marketing</h2>
<p><a href="/staff/audiences">Audiences</a> (who a send may go to now) · <a href="/staff/experiments">Layout experiments</a> · <a href="/staff/reports">Aggregate reports</a></p>
</section>`);
  if (opens(frame.roles, 'auditor'))
    sections.push(html`<section aria-labelledby="audit-h">
<h2 id="audit-h">Audit trail</h2>
<p><a href="/staff/audit">Read the audit trail and verify its hash chain</a></p>
</section>`);
  if (opens(frame.roles, 'admin'))
    sections.push(html`<section aria-labelledby="admin-h">
<h2 id="admin-h">Administration</h2>
<p><a href="/staff/accounts">Staff accounts</a></p>
</section>`);
  return consolePage(frame, {
    title: 'Staff console',
    section: '/staff',
    body: html`<h1>Staff console</h1>
${flash(d.message)}
<p>Your roles: ${frame.roles.join(', ').replace(/_/g, ' ')}.</p>
${sections}
<section aria-labelledby="you-h">
<h2 id="you-h">Your account</h2>
<p><a href="/staff/password">Change your password</a> (log out from the top of any page).</p>
</section>`,
  });
}
