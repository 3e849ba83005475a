// The console's home: what this staff member's roles open. The privacy officer and auditors see
// the promise table (kept / broken with how many records, which, the rule broken and why / proven by
// tests) and can run a full check; customer service sees the request queue's deadlines and open
// complaints.
import type { RequestView } from '../../modules/rights/index.js';
import { html, type SafeHtml } from '../../platform/html.js';
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
  readonly complaintsOpen?: number;
  readonly message?: { ok: boolean; text: string };
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
<div class="scroll"><table data-testid="promise-table">
  <caption class="visually-hidden">Each promise of the privacy policy and its latest check</caption>
  <thead><tr><th scope="col">Promise</th><th scope="col">Status</th><th scope="col">Evidence</th><th scope="col">What was checked</th></tr></thead>
  <tbody>
  ${p.rows.map(
    (r) => html`<tr data-promise="${r.promise}" data-status="${r.status}">
    <th scope="row">${r.promise} <span class="small">${r.title}</span></th>
    <td><span class="badge ${r.status}">${STATUS_TEXT[r.status] ?? r.status}</span></td>
    <td>${
      r.status === 'not_checkable'
        ? html`<span class="small">${r.provenBy.length ? r.provenBy.join(', ') : 'tests'}</span>`
        : html`${r.count} record(s)${r.ids.length ? html`<br><code class="ids">${r.ids.join(', ')}</code>` : ''}`
    }</td>
    <td class="small">${r.note}${r.violations.length ? violationList(r) : ''}</td>
  </tr>`,
  )}
  </tbody>
</table></div>`;
}

export function renderDashboard(frame: ConsoleFrame, d: DashboardData): string {
  const sections: SafeHtml[] = [];
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
<table data-testid="promise-history">
  <caption class="visually-hidden">The latest runs of the promise checks, newest first</caption>
  <thead><tr><th scope="col">Checked</th><th scope="col">Kind</th><th scope="col">Broken promises</th></tr></thead>
  <tbody>${d.history.map(
    (h) =>
      html`<tr><td><time datetime="${h.checkedAt}">${h.checkedAt.replace('T', ' ').slice(0, 16)} UTC</time></td><td>${h.mode === 'full' ? 'full sweep' : 'changes only'} <span class="small">(${(h.durationMs / 1000).toFixed(1)} s)</span></td><td>${h.broken.length ? html`<strong class="bad-text">${h.broken.join(', ')}</strong>` : 'none'}</td></tr>`,
  )}</tbody>
</table>`
    : ''
}
</section>`);
  }
  if (d.requests) {
    const overdue = d.requests.filter((r) => r.overdue).length;
    sections.push(html`<section aria-labelledby="requests-h">
<h2 id="requests-h">Requests and complaints</h2>
<p data-testid="request-summary"><strong>${d.requests.length}</strong> open request(s), <strong class="${overdue ? 'bad-text' : ''}">${overdue}</strong> overdue; <strong>${d.complaintsOpen ?? 0}</strong> open complaint(s).</p>
${
  d.requests.length
    ? html`<table data-testid="dashboard-requests">
  <caption class="visually-hidden">The five open requests due soonest</caption>
  <thead><tr><th scope="col">Due</th><th scope="col">Type</th><th scope="col">Status</th></tr></thead>
  <tbody>${d.requests
    .slice(0, 5)
    .map(
      (r) =>
        html`<tr${r.overdue ? html` class="overdue"` : ''}><td>${r.dueOn}${r.overdue ? html` <strong class="bad-text">overdue</strong>` : html` <span class="small">(${r.daysLeft} days)</span>`}</td><td><a href="/staff/requests/${r.id}">${r.type}</a></td><td>${r.status.replace(/_/g, ' ')}</td></tr>`,
    )}</tbody>
</table>`
    : ''
}
<p><a href="/staff/requests">The whole queue</a> · <a href="/staff/log-request">Log a request received by email or post</a> · <a href="/staff/complaints">Complaints</a> · <a href="/staff/people">Look someone up</a></p>
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
<p><a href="/staff/password">Change your password</a></p>
<form method="post" action="/staff/logout">
  ${csrfField(frame.csrf)}
  <button type="submit" class="secondary">Log out</button>
</form>
</section>`,
  });
}
