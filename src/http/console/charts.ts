// Small server-rendered SVG charts for the console: stacked bars (counts over time by a category)
// and intervals (a value with its confidence or noise interval). Each is a <figure> with an SVG
// that names itself (role="img", <title>, <desc>) and the same numbers as a table under <details>,
// for screen readers and for people who would rather read. No script, no CDN, no inline style (CSP):
// colours are SVG presentation attributes, from a palette readable by people with colour blindness.

import { html, type SafeHtml } from '../../platform/html.js';

/** Okabe–Ito colours (distinguishable with the common colour-vision deficiencies). */
const PALETTE = ['#0072B2', '#E69F00', '#009E73', '#CC79A7', '#56B4E9', '#D55E00', '#000000', '#999999'];

let counter = 0;
/** A document-unique id prefix (several charts per page). */
function nextId(prefix: string): string {
  counter = (counter + 1) % 1_000_000;
  return `${prefix}-${counter}`;
}

function swatch(color: string): SafeHtml {
  return html`<svg class="swatch" width="14" height="14" aria-hidden="true" focusable="false"><rect width="14" height="14" fill="${color}"/></svg>`;
}

/**
 * The top of a count axis: a round number at least `n`, and even, so the middle tick is a whole
 * count too (bars count requests and choices: "2.5 requests" is no tick).
 */
export function niceMax(n: number): number {
  if (n <= 2) return 2;
  const p = 10 ** Math.floor(Math.log10(n));
  for (const m of [1, 2, 3, 4, 5, 6, 8, 10]) if (m * p >= n && (m * p) % 2 === 0) return m * p;
  return 10 * p;
}

export interface StackedBars {
  readonly title: string;
  /** One or two sentences saying what the chart shows and what stands out. */
  readonly description: string;
  /** The x axis, in order (e.g. weeks). */
  readonly categories: readonly string[];
  readonly series: readonly { readonly key: string; readonly label: string }[];
  /** values[category][series key] */
  readonly values: Readonly<Record<string, Readonly<Record<string, number>>>>;
  /** Column heading of the categories in the table. */
  readonly categoryLabel: string;
  /** Categories to mark (e.g. weeks with overdue deadlines), with the mark's meaning. */
  readonly marked?: { readonly categories: readonly string[]; readonly label: string };
  readonly testId?: string;
}

export function stackedBars(c: StackedBars): SafeHtml {
  const id = nextId('chart');
  const W = 640;
  const H = 240;
  const left = 36;
  const bottom = 40;
  const top = 12;
  const plotH = H - top - bottom;
  const totals = c.categories.map((k) => c.series.reduce((s, x) => s + (c.values[k]?.[x.key] ?? 0), 0));
  const max = niceMax(Math.max(0, ...totals));
  const band = (W - left - 8) / Math.max(1, c.categories.length);
  const barW = Math.max(4, band * 0.7);
  const y = (v: number) => top + plotH - (v / max) * plotH;
  const colors = new Map(c.series.map((s, i) => [s.key, PALETTE[i % PALETTE.length]!]));
  const marked = new Set(c.marked?.categories ?? []);
  const labelEvery = Math.ceil(c.categories.length / 8);
  const bars = c.categories.map((k, i) => {
    let acc = 0;
    const x = left + i * band + (band - barW) / 2;
    const rects = c.series.map((s) => {
      const v = c.values[k]?.[s.key] ?? 0;
      if (!v) return '';
      const r = html`<rect x="${x.toFixed(1)}" y="${y(acc + v).toFixed(1)}" width="${barW.toFixed(1)}" height="${((v / max) * plotH).toFixed(1)}" fill="${colors.get(s.key) ?? '#000'}"/>`;
      acc += v;
      return r;
    });
    const mark = marked.has(k)
      ? html`<path d="M${(x + barW / 2).toFixed(1)} ${(y(acc) - 4).toFixed(1)} l-5 -8 h10 z" fill="#a4161a"/>`
      : '';
    const label =
      i % labelEvery === 0
        ? html`<text x="${(x + barW / 2).toFixed(1)}" y="${H - bottom + 16}" text-anchor="middle" font-size="11" fill="#1b1b1f">${k}</text>`
        : '';
    return html`${rects}${mark}${label}`;
  });
  const ticks = [0, max / 2, max].map(
    (t) =>
      html`<line x1="${left}" x2="${W - 8}" y1="${y(t).toFixed(1)}" y2="${y(t).toFixed(1)}" stroke="#d7d4cd"/><text x="${left - 6}" y="${(y(t) + 4).toFixed(1)}" text-anchor="end" font-size="11" fill="#1b1b1f">${String(t)}</text>`,
  );
  return html`<figure class="chart"${c.testId ? html` data-testid="${c.testId}"` : ''}>
<figcaption id="${id}-cap">${c.title}</figcaption>
<svg viewBox="0 0 ${W} ${H}" role="img" aria-labelledby="${id}-t ${id}-d">
<title id="${id}-t">${c.title}</title>
<desc id="${id}-d">${c.description}</desc>
${ticks}${bars}
</svg>
<ul class="legend">${c.series.map((s) => html`<li>${swatch(colors.get(s.key)!)}${s.label}</li>`)}${c.marked ? html`<li><svg class="swatch" width="14" height="14" aria-hidden="true" focusable="false"><path d="M7 12 l-6 -10 h12 z" fill="#a4161a"/></svg>${c.marked.label}</li>` : ''}</ul>
<details><summary>The numbers as a table</summary>
<div class="scroll" tabindex="0"><table>
<caption class="visually-hidden">${c.title}</caption>
<thead><tr><th scope="col">${c.categoryLabel}</th>${c.series.map((s) => html`<th scope="col">${s.label}</th>`)}<th scope="col">Total</th></tr></thead>
<tbody>${c.categories.map(
    (k, i) =>
      html`<tr><th scope="row">${k}${marked.has(k) ? html` <span class="small">(${c.marked?.label ?? ''})</span>` : ''}</th>${c.series.map((s) => html`<td>${String(c.values[k]?.[s.key] ?? 0)}</td>`)}<td>${String(totals[i] ?? 0)}</td></tr>`,
  )}</tbody>
</table></div>
</details>
</figure>`;
}

export interface IntervalRow {
  readonly label: string;
  /** null: not shown (withheld), listed in the table only. */
  readonly value: number | null;
  readonly low: number | null;
  readonly high: number | null;
  /** Drawn in the warning colour (e.g. significant, or mismatched). */
  readonly highlight?: boolean;
}

export interface IntervalChart {
  readonly title: string;
  readonly description: string;
  readonly rows: readonly IntervalRow[];
  readonly format: (v: number) => string;
  /** A reference line (e.g. 0 for a difference). */
  readonly reference?: number;
  readonly valueLabel: string;
  readonly intervalLabel: string;
  readonly testId?: string;
}

export function intervalChart(c: IntervalChart): SafeHtml {
  const id = nextId('chart');
  const W = 640;
  const rowH = 28;
  const left = 150;
  const right = 16;
  const shown = c.rows.filter((r) => r.value !== null);
  const H = Math.max(1, shown.length) * rowH + 30;
  const nums = shown.flatMap((r) => [r.value!, r.low ?? r.value!, r.high ?? r.value!]);
  if (c.reference !== undefined) nums.push(c.reference);
  let lo = Math.min(0, ...nums);
  let hi = Math.max(...nums, lo + 1e-9);
  const pad = (hi - lo) * 0.05 || 1;
  lo -= c.reference !== undefined || lo < 0 ? pad : 0;
  hi += pad;
  const x = (v: number) => left + ((v - lo) / (hi - lo)) * (W - left - right);
  const rows = shown.map((r, i) => {
    const cy = 10 + i * rowH + rowH / 2;
    const color = r.highlight ? '#a4161a' : '#0072B2';
    return html`<text x="${left - 8}" y="${(cy + 4).toFixed(1)}" text-anchor="end" font-size="12" fill="#1b1b1f">${r.label.length > 22 ? `${r.label.slice(0, 21)}…` : r.label}</text>${
      r.low !== null && r.high !== null
        ? html`<line x1="${x(r.low).toFixed(1)}" x2="${x(r.high).toFixed(1)}" y1="${cy}" y2="${cy}" stroke="${color}" stroke-width="3"/><line x1="${x(r.low).toFixed(1)}" x2="${x(r.low).toFixed(1)}" y1="${cy - 6}" y2="${cy + 6}" stroke="${color}" stroke-width="2"/><line x1="${x(r.high).toFixed(1)}" x2="${x(r.high).toFixed(1)}" y1="${cy - 6}" y2="${cy + 6}" stroke="${color}" stroke-width="2"/>`
        : ''
    }<circle cx="${x(r.value!).toFixed(1)}" cy="${cy}" r="5" fill="${color}"/>`;
  });
  const axisY = shown.length * rowH + 14;
  const ref =
    c.reference !== undefined
      ? html`<line x1="${x(c.reference).toFixed(1)}" x2="${x(c.reference).toFixed(1)}" y1="4" y2="${axisY}" stroke="#4a4a55" stroke-dasharray="4 3"/>`
      : '';
  const ticks = [lo, (lo + hi) / 2, hi].map(
    (t) =>
      html`<text x="${x(t).toFixed(1)}" y="${axisY + 14}" text-anchor="middle" font-size="11" fill="#1b1b1f">${c.format(t)}</text>`,
  );
  return html`<figure class="chart"${c.testId ? html` data-testid="${c.testId}"` : ''}>
<figcaption>${c.title}</figcaption>
<svg viewBox="0 0 ${W} ${H + 4}" role="img" aria-labelledby="${id}-t ${id}-d">
<title id="${id}-t">${c.title}</title>
<desc id="${id}-d">${c.description}</desc>
<line x1="${left}" x2="${W - right}" y1="${axisY}" y2="${axisY}" stroke="#d7d4cd"/>${ref}${rows}${ticks}
</svg>
<details><summary>The numbers as a table</summary>
<div class="scroll" tabindex="0"><table>
<caption class="visually-hidden">${c.title}</caption>
<thead><tr><th scope="col">Row</th><th scope="col">${c.valueLabel}</th><th scope="col">${c.intervalLabel}</th></tr></thead>
<tbody>${c.rows.map(
    (r) =>
      html`<tr><th scope="row">${r.label}</th><td>${r.value === null ? 'withheld' : c.format(r.value)}</td><td>${r.low === null || r.high === null ? '—' : `${c.format(r.low)} to ${c.format(r.high)}`}</td></tr>`,
  )}</tbody>
</table></div>
</details>
</figure>`;
}
