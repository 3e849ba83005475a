// The staff console's aggregate reports (P6): release or fetch a week's noisy counts for a
// recipient, with the protections and the privacy budget shown. A plain GET form; no script.

import type { ReleasedReport } from '../../modules/reports/index.js';
import { html, type SafeHtml } from '../../platform/html.js';
import { noun } from '../../platform/strings.js';
import { intervalChart } from './charts.js';
import { type ConsoleFrame, consolePage } from './shell.js';

export interface ReportForm {
  readonly report: string;
  readonly week: string;
  readonly recipient: string;
}

const REPORT_CHOICES = [
  { id: 'visitors_by_area', path: 'visitors-by-area', label: 'Visitors to each area of the site' },
  { id: 'registrations_by_gender', path: 'registrations-by-gender', label: 'Men and women who registered' },
];

function selected(on: boolean): SafeHtml | string {
  return on ? html` selected` : '';
}

export function renderReportsPage(
  frame: ConsoleFrame,
  form: ReportForm,
  recipients: readonly string[],
  outcome?: { report: ReleasedReport } | { error: string },
): string {
  const choice = REPORT_CHOICES.find((c) => c.id === form.report) ?? REPORT_CHOICES[0]!;
  let result: SafeHtml | string = '';
  if (outcome && 'error' in outcome) {
    result = html`<p class="flash bad" role="alert" data-testid="report-error">${outcome.error}</p>`;
  } else if (outcome) {
    const r = outcome.report;
    const confidence = `${Math.round(r.accuracy.confidence * 1000) / 10}%`;
    const withheld = r.cells.filter((c) => c.count === null).length;
    const csv = `/v1/reports/${choice.path}?week=${encodeURIComponent(r.period)}&recipient=${encodeURIComponent(r.recipient)}&format=csv`;
    result = html`<h2>${r.title}, ${r.period}</h2>
<p>For <strong>${r.recipient}</strong>, released ${r.releasedAt.slice(0, 16).replace('T', ' ')} UTC. The same question for this week always gets these numbers.</p>
<div class="scroll" tabindex="0"><table class="stack" data-testid="report-cells">
  <thead><tr><th scope="col">${r.report === 'visitors_by_area' ? 'Area' : 'Gender'}</th><th scope="col">Count (noisy)</th><th scope="col">${confidence} interval</th></tr></thead>
  <tbody>
  ${r.cells.map((c) => html`<tr><th scope="row">${c.key}</th><td data-label="Count (noisy)">${c.count === null ? 'withheld (below the threshold)' : c.count}</td><td data-label="${confidence} interval">${c.interval === null ? '—' : `${c.interval[0]} to ${c.interval[1]}`}</td></tr>`)}
  </tbody>
</table></div>
${
  r.cells.length
    ? intervalChart({
        title: `${r.title}, ${r.period}: counts with their ${confidence} noise intervals`,
        description: `Each dot is a noisy count; its bar is the interval that holds the true count with probability ${confidence}. ${withheld} ${noun(withheld, 'cell')} withheld below the threshold.`,
        rows: r.cells.map((c) => ({
          label: c.key,
          value: c.count,
          low: c.interval?.[0] ?? null,
          high: c.interval?.[1] ?? null,
        })),
        format: (v) => String(Math.round(v)),
        valueLabel: 'Count (noisy)',
        intervalLabel: `${confidence} interval`,
        testId: 'report-chart',
      })
    : ''
}
<p data-testid="report-accuracy">Each count is within ±${r.accuracy.halfWidth} of the true count with probability ${(r.accuracy.coverage * 100).toFixed(1)}% (at least ${confidence}): the interval holds the noise, not the threshold's choice of which cells to show.</p>
${r.cells.length === 0 ? html`<p>No cell reached the threshold.</p>` : ''}
<dl data-testid="report-protections">
  <dt>Mechanism</dt><dd>exact discrete Laplace noise</dd>
  <dt>Epsilon</dt><dd>${r.epsilon}</dd>
  <dt>Threshold</dt><dd>${r.threshold}</dd>
  <dt>Contribution cap</dt><dd>${r.contributionCap}</dd>
  <dt>Delta</dt><dd>${r.delta === 0 ? '0' : r.delta.toExponential(2)}</dd>
  <dt>Budget for ${r.recipient}, week ${r.budget.week}</dt><dd>${r.budget.spent} of ${r.budget.limit} spent${r.charged ? ` (this report: ${r.epsilon})` : ' (this report was received before: no charge)'}</dd>
  <dt>Budget for ${r.recipient}, last ${r.budget.lifetime.days} days</dt><dd>${r.budget.lifetime.spent} of ${r.budget.lifetime.limit} spent; ${r.budget.remaining} may still be received now</dd>
</dl>
<p><a href="${csv}" download>Download CSV</a></p>`;
  }
  return consolePage(frame, {
    title: 'Aggregate reports',
    section: '/staff/reports',
    body: html`<h1>Aggregate reports</h1>
<p>Counts for one finished ISO week, with differential-privacy noise, released once by a job when
the week closes. Each recipient has a privacy budget per calendar week of receipt and over a
rolling window: a report it has not received spends part of both; one it received before costs
nothing. Reports for anyone but <code>internal</code> are recorded as disclosures.</p>
<form method="get" action="/staff/reports" class="report-form">
  <p><label>Report <select name="report">${REPORT_CHOICES.map((c) => html`<option value="${c.id}"${selected(c.id === choice.id)}>${c.label}</option>`)}</select></label></p>
  <p><label>Week <input name="week" value="${form.week}" pattern="\\d{4}-?[Ww]\\d{2}" required placeholder="2026-W02"></label></p>
  <p><label>Recipient <select name="recipient">${recipients.map((r) => html`<option value="${r}"${selected(r === form.recipient)}>${r}</option>`)}</select></label></p>
  <p><button type="submit">Release or fetch</button></p>
</form>
${result}`,
  });
}
