// How "My data" and the export page show a person's data (plain-data.ts): a section per kind of
// record with the policy's words for what it is, what it is used for and how long it is kept, then
// one card per record; what a deletion keeps; what is held but not shown. Fits a 390 px screen.
import { html, type SafeHtml } from '../../platform/html.js';
import type { PlainData, PlainSection } from './plain-data.js';

function section(s: PlainSection): SafeHtml {
  return html`<section class="data-section" aria-labelledby="sec-${s.id}" data-testid="data-section">
  <h3 id="sec-${s.id}">${s.title}</h3>
  <dl class="fields">
    <dt>What it is</dt><dd>${s.information.join('; ')}</dd>
    <dt>What we use it for</dt><dd>${s.usedFor.length > 0 ? s.usedFor.join('; ') : 'Nothing beyond keeping it as described here'}</dd>
    ${s.keptFor ? html`<dt>How long we keep it</dt><dd>${s.keptFor}</dd>` : ''}
    <dt>Where</dt><dd>${s.heldIn}</dd>
    ${s.keptOnDeletion ? html`<dt>If you ask us to delete it</dt><dd>We keep it. ${s.keptOnDeletion}</dd>` : ''}
  </dl>
  ${s.records.map(
    (r, i) => html`<div class="record" data-testid="data-record">
    <p class="small">${s.records.length > 1 ? `Record ${i + 1} of ${s.records.length}` : 'Record'}</p>
    <dl class="fields">${r.fields.map((f) => html`<dt>${f.label}</dt><dd>${f.value}</dd>`)}</dl>
  </div>`,
  )}
</section>`;
}

/** The sections, or a clear "nothing here" when there is nothing. */
export function plainDataView(data: PlainData, emptyText: string): SafeHtml {
  return html`${
    data.sections.length === 0
      ? html`<p class="empty" data-testid="empty">${emptyText}</p>`
      : data.sections.map(section)
  }
${
  data.notShown.length > 0
    ? html`<h3>Held but not shown</h3><ul data-testid="not-shown">${data.notShown.map((t) => html`<li>${t}</li>`)}</ul>`
    : ''
}`;
}

/** What a deletion request keeps, and why: the policy's exemptions. */
export function exemptionsView(data: Pick<PlainData, 'exemptions'>): SafeHtml {
  return html`<ul class="kept-list" data-testid="exemptions">${data.exemptions.map(
    (e) => html`<li><strong>${e.title}</strong> (${e.what}). ${e.why}</li>`,
  )}</ul>`;
}
