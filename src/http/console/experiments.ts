// The staff console's layout experiments (P17): the list, and one experiment's results per
// layout with the comparisons against the control. Plain HTML; no script.
import type { Experiment, ExperimentResults } from '../../modules/experiments/index.js';
import { html } from '../../platform/html.js';
import { intervalChart } from './charts.js';
import { type ConsoleFrame, consolePage } from './shell.js';

const METRIC_LABELS: Record<string, string> = {
  visit_duration_ms: 'Visit duration (seconds)',
  conversion_rate: 'Conversion rate',
  revenue_per_visitor_cents: 'Revenue per visitor',
};

function metricValue(metric: string, value: number): string {
  if (metric === 'visit_duration_ms') return (value / 1000).toFixed(1);
  if (metric === 'conversion_rate') return `${(value * 100).toFixed(2)}%`;
  return (value / 100).toFixed(2);
}

function pValue(p: number | null): string {
  if (p === null) return '—';
  return p < 0.0001 ? '< 0.0001' : p.toFixed(4);
}

export function renderExperimentList(frame: ConsoleFrame, experiments: readonly Experiment[]): string {
  return consolePage(frame, {
    title: 'Layout experiments',
    section: '/staff/experiments',
    body: html`<h1>Layout experiments</h1>
${
  experiments.length === 0
    ? html`<p>No experiments yet. Define one with <code>POST /v1/experiments</code>.</p>`
    : html`<div class="scroll" tabindex="0"><table class="stack" data-testid="experiments">
  <thead><tr><th scope="col">Experiment</th><th scope="col">Layouts (weight)</th><th scope="col">Status</th><th scope="col">Since</th></tr></thead>
  <tbody>
  ${experiments.map(
    (e) => html`<tr>
    <td data-label="Experiment"><a href="/staff/experiments/${e.id}">${e.name}</a> <code>${e.id}</code></td>
    <td data-label="Layouts (weight)">${e.variants.map((v) => `${v.id} (${v.weight})`).join(', ')}</td>
    <td data-label="Status">${e.status}</td>
    <td data-label="Since">${e.createdAt.slice(0, 10)}</td>
  </tr>`,
  )}
  </tbody>
</table></div>`
}`,
  });
}

export function renderExperimentResults(frame: ConsoleFrame, e: Experiment, r: ExperimentResults): string {
  const metrics = Object.keys(METRIC_LABELS);
  return consolePage(frame, {
    title: `Results: ${e.name}`,
    section: '/staff/experiments',
    body: html`<h1>${e.name}</h1>
<p><code>${e.id}</code> · ${e.status} · currency ${e.currency} · at least ${r.minSamplePerArm} visitors per layout</p>
<p data-testid="results-status" data-status="${r.status}"${r.sampleRatio.mismatch ? html` role="alert" class="flash bad"` : ''}>${r.message}</p>
<h2>Layouts</h2>
<div class="scroll" tabindex="0"><table class="stack" data-testid="variants">
  <thead><tr><th scope="col">Layout</th><th scope="col">Weight</th><th scope="col">Visitors</th><th scope="col">Visits</th>${metrics.map((m) => html`<th scope="col">${METRIC_LABELS[m]}</th>`)}</tr></thead>
  <tbody>
  ${r.variants.map(
    (v) => html`<tr data-variant="${v.id}">
    <th scope="row">${v.id}</th><td data-label="Weight">${v.weight}</td><td data-label="Visitors">${v.visitors}</td><td data-label="Visits">${v.visits}</td>
    ${metrics.map((m) => {
      const mean = v.metrics[m as keyof typeof v.metrics].mean;
      return html`<td data-label="${METRIC_LABELS[m] ?? m}">${mean === null ? '—' : metricValue(m, mean)}</td>`;
    })}
  </tr>`,
  )}
  </tbody>
</table></div>
${
  r.sampleRatio.mismatch
    ? html`<div class="flash bad" data-testid="srm-verdict" data-srm="mismatch"><p><strong>Sample ratio mismatch: do not trust these results.</strong> The layouts did not get the visitors their weights promise (chi-square ${r.sampleRatio.chiSquare.toFixed(2)}, df ${r.sampleRatio.df}, p = ${pValue(r.sampleRatio.pValue)}); look for a bug in assignment or measurement first.</p></div>`
    : html`<p class="flash ok" data-testid="srm-verdict" data-srm="ok"><strong>Sample ratio check passed:</strong> visitors were split as the weights say (chi-square ${r.sampleRatio.chiSquare.toFixed(2)}, df ${r.sampleRatio.df}, p = ${pValue(r.sampleRatio.pValue)}).</p>`
}
${
  r.plan
    ? html`<p data-testid="plan">Planned: ${r.plan.sampleSize.total} visitors to detect a difference of ${metricValue(r.plan.metric, r.plan.mde)} in ${METRIC_LABELS[r.plan.metric]} with power ${r.plan.power} (${r.variants.reduce((n, v) => n + v.visitors, 0)} so far).</p>`
    : ''
}
${
  r.readiness.some((x) => !x.ready)
    ? html`<ul data-testid="readiness">${r.readiness.filter((x) => !x.ready).map((x) => html`<li>Not compared yet: ${x.reason}</li>`)}</ul>`
    : ''
}
${
  r.comparisons.length === 0
    ? ''
    : html`<h2>Against ${r.comparisons[0]?.control ?? 'the control'}</h2>
<p>Always-valid tests (mixture sequential probability ratio test), adjusted with each visitor's behaviour before exposure where there is some (CUPED), p-values adjusted together (Holm–Bonferroni), significant below ${r.alpha}: valid however often this page is read. The Welch p-value is for reference: valid only when read once, at a sample size fixed in advance.</p>
${intervalChart({
  title: `Differences against ${r.comparisons[0]?.control ?? 'the control'}, with 95% always-valid intervals`,
  description: `Each dot is a layout's difference from the control on one metric; the bar is its interval. An interval clear of the dashed zero line is significant (shown in red). ${r.sampleRatio.mismatch ? 'Sample ratio mismatch: the results are not to be trusted.' : 'The sample ratio check passed.'}`,
  rows: r.comparisons.map((c) => ({
    label: `${c.variant}: ${METRIC_LABELS[c.metric]}`,
    value: c.sequential?.difference ?? c.difference,
    low: c.sequential?.ci[0] ?? null,
    high: c.sequential?.ci[1] ?? null,
    highlight: c.significant,
  })),
  format: (v) => (Math.abs(v) < 1 ? v.toFixed(3) : v.toFixed(1)),
  reference: 0,
  valueLabel: 'Difference',
  intervalLabel: '95% interval',
  testId: 'experiment-chart',
})}
<div class="scroll" tabindex="0"><table class="stack" data-testid="comparisons">
  <thead><tr><th scope="col">Metric</th><th scope="col">Layout</th><th scope="col">Difference</th><th scope="col">95% interval (always valid)</th><th scope="col">Adjusted p</th><th scope="col">Significant</th><th scope="col">Variance removed (CUPED)</th><th scope="col">Welch p (one look)</th></tr></thead>
  <tbody>
  ${r.comparisons.map(
    (c) => html`<tr data-metric="${c.metric}" data-variant="${c.variant}">
    <th scope="row">${METRIC_LABELS[c.metric]}</th><td data-label="Layout">${c.variant}</td>
    <td data-label="Difference">${metricValue(c.metric, c.sequential?.difference ?? c.difference)}</td>
    <td data-label="95% interval (always valid)">${c.sequential ? `${metricValue(c.metric, c.sequential.ci[0])} to ${metricValue(c.metric, c.sequential.ci[1])}` : '—'}</td>
    <td data-label="Adjusted p">${pValue(c.sequential?.adjustedPValue ?? null)}</td><td data-label="Significant">${c.significant ? 'yes' : 'no'}</td>
    <td data-label="Variance removed (CUPED)">${c.cuped ? `${(c.cuped.varianceReduction * 100).toFixed(0)}%` : '—'}</td>
    <td data-label="Welch p (one look)">${pValue(c.pValue)}</td>
  </tr>`,
  )}
  </tbody>
</table></div>`
}`,
  });
}
