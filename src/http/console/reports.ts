// The staff console's aggregate reports (P6): release or fetch a week's noisy counts for a
// recipient, with the protections and the privacy budget shown. A plain GET form; no script.

import type { ReleasedReport } from '../../modules/reports/index.js';
import { html, type SafeHtml } from '../../platform/html.js';
import { noun } from '../../platform/strings.js';
import { intervalChart } from './charts.js';
import { type FilterRefusal, invalidAttrs, invalidMessage, invalidOption } from './filter-refusal.js';
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

/** What the page's form calls each parameter of its address. */
const FIELD_WORDS: Record<string, string> = { report: 'Report', week: 'Week', recipient: 'Recipient' };

/**
 * The alert of an address the page cannot use (`?report=bogus`, a recipient the policy does not
 * name): each parameter named with what it takes, and that nothing was released, since a report
 * released for a guess would spend a recipient's privacy budget.
 */
function refusalAlert(refusal: FilterRefusal): SafeHtml {
  const problems = [...refusal.problems.values()];
  return html`<div class="flash bad" role="alert" data-testid="console-error" data-code="VOW_VALIDATION" data-status="400">
<p><strong>The address holds ${problems.length > 1 ? 'values' : 'a value'} this page cannot use</strong> (a bookmark from an older version or a hand-edited link), so <strong>no report was released or fetched</strong>. The form below shows what was sent, marked at its field: choose again and send it.</p>
<ul data-testid="address-problems">${problems.map(
    (p) =>
      html`<li data-name="${p.name}"><code>${p.name}</code>${p.value ? html` <code><bdi>${p.value}</bdi></code>` : ''}: ${p.expected}.</li>`,
  )}</ul>
<p><a href="${refusal.without}" data-testid="address-without">Open the page without ${problems.length > 1 ? 'them' : 'it'}</a> · <a href="${refusal.list}" data-testid="address-list">the page as it opens</a></p>
</div>`;
}

/** A select of the form; a refused value in the address is shown selected, marked, with its reason. */
function choiceField(
  name: string,
  choices: readonly (readonly [string, string])[],
  current: string,
  refusal: FilterRefusal | undefined,
): SafeHtml {
  const id = `r-${name}`;
  const problem = refusal?.problems.get(name);
  // Required: the refused value's option sends nothing, so the browser asks for a choice first.
  return html`<p><label for="${id}">${FIELD_WORDS[name]}</label> <select id="${id}" name="${name}" required${invalidAttrs(problem, id)}>${invalidOption(problem)}${choices.map(([value, words]) => html`<option value="${value}"${selected(!problem && value === current)}>${words}</option>`)}</select>${invalidMessage(problem, id)}</p>`;
}

export function renderReportsPage(
  frame: ConsoleFrame,
  form: ReportForm,
  recipients: readonly string[],
  outcome?: { report: ReleasedReport } | { error: string; week?: boolean },
  refusal?: FilterRefusal,
): string {
  const choice = REPORT_CHOICES.find((c) => c.id === form.report) ?? REPORT_CHOICES[0]!;
  let result: SafeHtml | string = '';
  const weekProblem = refusal?.problems.get('week');
  // A week the release refused (not an ISO week, not ended yet, before the policy) is marked at its
  // field, the refusal's words tied to it; other refusals (the budget, the recipient) stand alone.
  const weekRefused = Boolean(outcome && 'error' in outcome && outcome.week);
  if (outcome && 'error' in outcome) {
    result = html`<p class="flash bad" role="alert" data-testid="report-error" id="report-error">${outcome.error}</p>`;
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
${refusal ? refusalAlert(refusal) : ''}
<form method="get" action="/staff/reports" class="report-form">
  ${choiceField(
    'report',
    REPORT_CHOICES.map((c) => [c.id, c.label] as const),
    choice.id,
    refusal,
  )}
  <p><label for="r-week">Week</label> <input id="r-week" name="week" value="${weekProblem ? weekProblem.value : form.week}" pattern="\\d{4}-?[Ww]\\d{2}" required placeholder="2026-W02"${weekProblem ? invalidAttrs(weekProblem, 'r-week') : weekRefused ? html` aria-invalid="true" aria-describedby="report-error"` : ''}>${invalidMessage(weekProblem, 'r-week')}</p>
  ${choiceField(
    'recipient',
    recipients.map((r) => [r, r] as const),
    form.recipient,
    refusal,
  )}
  <p><button type="submit">Release or fetch</button></p>
</form>
${result}`,
  });
}
