// The imports pages (admin, privacy officer): every file brought in with `vow import` or
// POST /v1/imports, what each wrote, and the rows it refused with their lines and reasons. Nothing
// here is personal: a run keeps its file's name, SHA-256, format and counts; a refusal names fields,
// never their values. Importing itself is done with the command or the API (docs/import.md).
import type { ImportCounts, ImportRunView, RefusedRow } from '../../modules/imports/index.js';
import { html, type SafeHtml } from '../../platform/html.js';
import { counted } from '../../platform/strings.js';
import { stamp } from './labels.js';
import { type ConsoleFrame, consolePage } from './shell.js';

const FORMATS: Readonly<Record<string, string>> = {
  'shopify-customers': 'Shopify customers',
  'shopify-orders': 'Shopify orders',
  mailchimp: 'Mailchimp list',
  klaviyo: 'Klaviyo profiles',
  'sms-optouts': 'SMS list',
  ndjson: 'Vow NDJSON',
};

const formatLabel = (id: string) => FORMATS[id] ?? id;
const when = (iso: string | null) => (iso ? `${iso.replace('T', ' ').slice(0, 16)} UTC` : '—');

/** What a run wrote, one line each, in words. */
function written(c: ImportCounts): string[] {
  return [
    ...Object.entries(c.collected).map(([type, n]) => `${n} collected as ${type.replace(/_/g, ' ')}`),
    ...(c.unchanged ? [`${c.unchanged} already stored with the same body`] : []),
    ...(c.withdrawn.unsubscribed
      ? [`${counted(c.withdrawn.unsubscribed, 'unsubscribe')} (permanent, P11)`]
      : []),
    ...(c.withdrawn.bounced
      ? [`${counted(c.withdrawn.bounced, 'bounced address', 'bounced addresses')} suppressed`]
      : []),
    ...(c.ledgerEvents ? [`${counted(c.ledgerEvents, 'consent event')} for people already known`] : []),
    ...(c.optInsNotApplied
      ? [`${counted(c.optInsNotApplied, 'opt-in')} left out: the address or number had withdrawn (P11)`]
      : []),
    ...(c.noted ? [`${counted(c.noted, 'row')} with nothing to write`] : []),
  ];
}

function status(run: ImportRunView): SafeHtml | string {
  if (run.status === 'done') return 'Done';
  return html`<strong>Not finished</strong>: written up to line ${run.checkpointLine}. If the run is no
longer going (it stopped or was stopped), importing the same file again continues from there
(nothing is written twice).`;
}

const HOW = html`<details>
<summary>How to import a file</summary>
<p>With the command, on the machine Vow runs on (check first with <code>--dry-run</code>, which writes nothing):</p>
<pre><code>npx vow import customers_export.csv --format shopify-customers --dry-run
npx vow import customers_export.csv --format shopify-customers</code></pre>
<p>Or over the API, as an admin: <code>POST /v1/imports?format=shopify-customers</code> with the file as
the body. Formats: Shopify customers and orders, Mailchimp and Klaviyo lists, SMS opt-out lists and
Vow's NDJSON; the files must be UTF-8. The same file imported again changes nothing.</p>
</details>`;

export function renderImports(frame: ConsoleFrame, runs: readonly ImportRunView[]): string {
  return consolePage(frame, {
    title: 'Imports',
    section: '/staff/imports',
    body: html`<h1>Imports</h1>
<p>Customers, orders and marketing lists brought in from the systems the shop used before Vow. Every
fact an import wrote names its file, the file's SHA-256 and its row in the consent ledger; every row it
could not import is listed with its line and the reason.</p>
${HOW}
${
  runs.length
    ? html`<div class="scroll" tabindex="0"><table class="stack" data-testid="import-runs">
<caption class="visually-hidden">Import runs, newest first</caption>
<thead><tr><th scope="col">Started</th><th scope="col">File</th><th scope="col">Status</th><th scope="col">Rows</th></tr></thead>
<tbody>${runs.map(
        (r) =>
          html`<tr><td data-label="Started">${stamp(r.startedAt)}</td><td data-label="File"><a href="/staff/imports/${r.id}">${r.fileName}</a><br><span class="small">${formatLabel(r.format)}</span></td><td data-label="Status">${r.status === 'done' ? 'done' : html`<strong>not finished</strong>`}</td><td data-label="Rows">${String(r.counts.units)} read, ${String(r.counts.refused)} refused</td></tr>`,
      )}</tbody>
</table></div>`
    : html`<p class="empty">Nothing was imported yet.</p>`
}`,
  });
}

export interface ImportRunPage {
  readonly run: ImportRunView;
  /** Refused rows after line `after`, in line order. */
  readonly refusals: readonly RefusedRow[];
  readonly after: number;
  /** Whether rows beyond this page were refused. */
  readonly more: boolean;
}

export function renderImportRun(frame: ConsoleFrame, p: ImportRunPage): string {
  const { run } = p;
  const wrote = written(run.counts);
  const last = p.refusals.at(-1)?.line;
  return consolePage(frame, {
    title: `Import of ${run.fileName}`,
    section: '/staff/imports',
    body: html`<p><a href="/staff/imports">← All imports</a></p>
<h1>Import of ${run.fileName}</h1>
<dl class="facts" data-testid="import-run">
  <dt>Format</dt><dd>${formatLabel(run.format)}</dd>
  <dt>Status</dt><dd>${status(run)}</dd>
  <dt>Started</dt><dd>${when(run.startedAt)}</dd>
  <dt>Finished</dt><dd>${when(run.finishedAt)}</dd>
  <dt>File SHA-256</dt><dd><code class="ids">${run.sha256}</code></dd>
  <dt>Rows read</dt><dd>${String(run.counts.units)}</dd>
  <dt>Refused</dt><dd>${counted(run.counts.refused, 'row')}</dd>
</dl>
<h2>What it wrote</h2>
${wrote.length ? html`<ul data-testid="import-written">${wrote.map((w) => html`<li>${w}</li>`)}</ul>` : html`<p class="empty">Nothing.</p>`}
<h2>Refused rows</h2>
${
  p.refusals.length
    ? html`<p>Each row of the file that was not imported, by its line (a row whose quoted value holds line
breaks by the line it starts on). Correct them in a new file and import that file.</p>
<div class="scroll" tabindex="0"><table class="stack" data-testid="import-refusals">
<caption class="visually-hidden">Refused rows${p.after > 0 ? ` after line ${p.after}` : ''}, in line order</caption>
<thead><tr><th scope="col">Line</th><th scope="col">Code</th><th scope="col">Reason</th></tr></thead>
<tbody>${p.refusals.map(
        (r) =>
          html`<tr><td data-label="Line">${String(r.line)}</td><td data-label="Code"><code>${r.code}</code></td><td data-label="Reason">${r.reason}</td></tr>`,
      )}</tbody>
</table></div>`
    : html`<p class="empty">${p.after > 0 ? `No refused rows after line ${p.after}.` : 'None: every row was imported.'}</p>`
}
${
  p.after > 0 || p.more
    ? html`<nav aria-label="Refused rows pages" class="pager">
  ${p.after > 0 ? html`<a href="/staff/imports/${run.id}">First refused rows</a>` : ''}
  ${p.more && last !== undefined ? html`<a href="/staff/imports/${run.id}?after=${last}">Next refused rows</a>` : ''}
</nav>`
    : ''
}`,
  });
}
