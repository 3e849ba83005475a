// The console's record of processing activities (GDPR Art. 30(1)), for auditors and the privacy
// officer: the controller, one section per purpose (whose data, which data, from which forms, to
// whom, transfers, how long, where it sits) and the security measures, derived from the policy and
// the data map; readable on screen and printed whole (console.css, @media print).

import type { ProcessingActivity, RecordOfProcessing } from '../../modules/datasets/index.js';
import { html, type SafeHtml } from '../../platform/html.js';
import { type ConsoleFrame, consolePage } from './shell.js';

export const RECORDS_OF_PROCESSING_PATH = '/staff/records-of-processing';

const FROM: Readonly<Record<string, string>> = {
  collected: 'collection',
  order_date: 'the order',
  last_activity: 'the last activity',
};

/** Text the policy does not state, set apart so a reader sees the gap. */
function stated(text: string): SafeHtml | string {
  return text === 'not stated in the policy' ? html`<em class="not-stated">${text}</em>` : text;
}

const anchorOf = (purpose: string): string => `activity-${purpose.replace(/[^a-z0-9]+/g, '-')}`;

function controllerFacts(r: RecordOfProcessing): SafeHtml {
  const c = r.controller;
  return html`<dl class="facts" data-testid="ropa-controller">
  <dt>Controller</dt><dd>${c.name} (<span>${c.website}</span>)</dd>
  <dt>Email</dt><dd>${c.email}</dd>
  <dt>Phone</dt><dd>${c.phone}</dd>
  <dt>Postal address</dt><dd>${c.postalAddress}</dd>
  <dt>Privacy requests by post</dt><dd>${c.requestsPostalAddress}</dd>
  <dt>Representative in the Union</dt><dd>${stated(c.representative)}</dd>
  <dt>Data protection officer</dt><dd>${stated(c.dataProtectionOfficer)}</dd>
</dl>`;
}

function summaryTable(r: RecordOfProcessing): SafeHtml {
  return html`<div class="scroll" tabindex="0" role="region" aria-labelledby="ropa-activities-h"><table class="stack" data-testid="ropa-summary">
  <thead><tr><th scope="col">Purpose</th><th scope="col">Whose data</th><th scope="col">Recipients</th><th scope="col">Kept for</th></tr></thead>
  <tbody>${r.activities.map(
    (a) =>
      html`<tr data-purpose="${a.purpose}"><th scope="row"><a href="#${anchorOf(a.purpose)}">${a.description}</a></th><td data-label="Whose data">${a.subjectKinds.map((k) => k.id.replace(/_/g, ' ')).join(', ')}</td><td data-label="Recipients">${a.recipients.length ? a.recipients.map((x) => x.name).join(', ') : 'none'}</td><td data-label="Kept for">${[...new Set(a.retention.map((x) => x.inWords))].join(', ') || '—'}</td></tr>`,
  )}</tbody>
</table></div>`;
}

/** Where the data sits, one line per table: `vow.orders: buyer_sealed, total_cents`. */
function locations(a: ProcessingActivity): SafeHtml | string {
  if (a.locations.length === 0) return 'no annotated column (not kept per person, or not annotated)';
  const byTable = new Map<string, Set<string>>();
  for (const l of a.locations) {
    const key = `${l.dataset}.${l.table}`;
    byTable.set(key, (byTable.get(key) ?? new Set()).add(l.column));
  }
  return html`<ul class="plain-list">${[...byTable].map(
    ([table, cols]) => html`<li><code>${table}</code>: ${[...cols].join(', ')}</li>`,
  )}</ul>`;
}

function activitySection(a: ProcessingActivity): SafeHtml {
  const id = anchorOf(a.purpose);
  return html`<section class="ropa-activity" id="${id}" aria-labelledby="${id}-h" data-purpose="${a.purpose}">
<h3 id="${id}-h">${a.description} <span class="small">(<code>${a.purpose}</code>)</span></h3>
<dl class="facts">
  <dt>Legal basis</dt><dd>${stated(a.legalBasis)}</dd>
  <dt>Allowed by the policy</dt><dd>${a.ruleBases.length ? a.ruleBases.join(', ') : 'no rule allows it'}${a.promises.length ? html` <span class="small">(promises ${a.promises.join(', ')})</span>` : ''}${a.aggregateOnly ? ' — aggregates only, never a person' : ''}</dd>
  <dt>Data subjects</dt><dd><ul class="plain-list">${a.subjectKinds.map((k) => html`<li>${k.description}</li>`)}</ul></dd>
  <dt>Personal data</dt><dd><ul class="plain-list">${a.categories.map((c) => html`<li>${c.description} <span class="small">(<code>${c.id}</code>)</span></li>`)}</ul></dd>
  <dt>Collected by</dt><dd>${a.sources.length ? a.sources.map((s) => s.description).join(', ') : 'no form: derived from other data'}</dd>
  <dt>Recipients</dt><dd>${
    a.recipients.length
      ? html`<ul class="plain-list">${a.recipients.map((x) => html`<li>${x.name} (${x.role === 'processor' ? 'processor' : 'third party'}): ${x.categories.join(', ')}</li>`)}</ul>`
      : 'none outside the controller'
  }</dd>
  <dt>Transfers to third countries</dt><dd>${
    typeof a.transfers === 'string'
      ? stated(a.transfers)
      : a.transfers.length
        ? html`<ul class="plain-list">${a.transfers.map((t) => html`<li>${t.recipient} to ${t.country}: ${t.safeguards}</li>`)}</ul>`
        : 'none'
  }</dd>
  <dt>Time limits for erasure</dt><dd>${
    a.retention.length
      ? html`<ul class="plain-list">${a.retention.map(
          (x) =>
            html`<li><code>${x.category}</code>${x.subjectKinds.length ? ` of ${x.subjectKinds.join(', ')}` : ''}: ${x.inWords} <span class="small">(<code>${x.keepFor}</code>)</span> after ${FROM[x.from] ?? x.from}. ${x.reason}</li>`,
        )}</ul>`
      : 'no retention period applies (aggregates, or data kept with the records named)'
  }</dd>
  <dt>Where it is stored</dt><dd>${locations(a)}</dd>
</dl>
</section>`;
}

export function renderRecordsOfProcessing(frame: ConsoleFrame, r: RecordOfProcessing): string {
  return consolePage(frame, {
    title: 'Record of processing activities',
    section: RECORDS_OF_PROCESSING_PATH,
    body: html`<h1>Record of processing activities</h1>
<p>The controller's record under GDPR Article 30(1), derived from the policy in force (${r.policy.name}, version <code>${r.policy.version}</code>, effective ${r.policy.effectiveDate}) and the annotated datasets. It changes when the policy or an annotation does. What the policy does not state is marked <em class="not-stated">not stated in the policy</em>.</p>
<p class="no-print">Download: <a href="/v1/records-of-processing?format=csv" download>CSV</a> · <a href="/v1/records-of-processing">JSON</a>. Print this page for a paper copy.</p>
<h2 id="ropa-controller-h">Controller (Art. 30(1)(a))</h2>
${controllerFacts(r)}
<h2 id="ropa-activities-h">Processing activities (Art. 30(1)(b)–(f))</h2>
<p>One activity per purpose of the policy: ${r.activities.length} activities.</p>
${summaryTable(r)}
${r.activities.map(activitySection)}
<h2 id="ropa-security-h">Security measures (Art. 30(1)(g))</h2>
<section class="ropa-security" aria-labelledby="ropa-security-h" data-testid="ropa-security">
<p>The policy says: ${r.security.statement === 'not stated in the policy' ? stated(r.security.statement) : html`<q>${r.security.statement}</q>`}</p>
<ul>${r.security.measures.map((m) => html`<li>${m}</li>`)}</ul>
</section>`,
  });
}
