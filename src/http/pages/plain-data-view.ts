// How "My data" and the export page show a person's data (plain-data.ts): a section per kind of
// record with one card per record, then the policy's words for what it is, what it is used for and
// how long it is kept (folded); what a deletion keeps; what is held but not shown. Fits a 390 px screen.
import { html, type SafeHtml } from '../../platform/html.js';
import { DEFAULT_LOCALE, type Locale } from '../../platform/i18n/index.js';
import { personal } from '../layout.js';
import { PLAIN_WORDS } from './i18n/plain-data.js';
import type { PlainData, PlainSection } from './plain-data.js';

/** One item as words, several as a list (a dozen purposes joined by semicolons read as a wall). */
export function wordList(values: readonly string[]): SafeHtml {
  return values.length === 1
    ? html`${values[0]}`
    : html`<ul class="plain-list">${values.map((v) => html`<li>${v}</li>`)}</ul>`;
}

function section(s: PlainSection, locale: Locale): SafeHtml {
  const w = PLAIN_WORDS[locale];
  // The records first, what a person came to see; the policy's words about them (what they are
  // for, how long they are kept, what a deletion keeps) folded under them, one tap away: open, on a
  // phone they pushed the records of the next kind a screen or two further down.
  return html`<section class="data-section" aria-labelledby="sec-${s.id}" data-testid="data-section">
  <h3 id="sec-${s.id}">${s.title}</h3>
  ${s.records.map(
    (r, i) => html`<div class="record" data-testid="data-record">
    <p class="small">${s.records.length > 1 ? w.recordOf(i + 1, s.records.length) : w.record}</p>
    <dl class="fields">${r.fields.map((f) => html`<dt>${f.label}</dt><dd>${f.parts ? wordList(f.parts) : personal(f.value)}</dd>`)}</dl>
  </div>`,
  )}
  <details class="about-data" data-testid="about-data">
    <summary>${w.aboutIt}</summary>
    <dl class="fields">
      <dt>${w.whatItIs}</dt><dd>${wordList(s.information)}</dd>
      <dt>${w.usedForLabel}</dt><dd>${s.usedFor.length > 0 ? wordList(s.usedFor) : w.nothingBeyond}</dd>
      ${s.keptFor ? html`<dt>${w.howLong}</dt><dd>${s.keptFor}</dd>` : ''}
      ${s.sharedWith ? html`<dt>${w.sharedWithLabel}</dt><dd data-testid="shared-with">${s.sharedWith.length > 0 ? wordList(s.sharedWith) : w.sharedWithNoOne}</dd>` : ''}
      <dt>${w.where}</dt><dd>${s.heldIn}</dd>
      ${
        s.keptOnDeletion
          ? html`<dt>${w.ifDelete}</dt><dd data-testid="kept-on-deletion">${w.weKeepIt} <strong>${s.keptOnDeletion.title}</strong>
        <span class="small policy-words">${w.policySays(s.keptOnDeletion.source)}</span></dd>`
          : ''
      }
    </dl>
  </details>
</section>`;
}

/** The sections, or a clear "nothing here" when there is nothing. */
export function plainDataView(data: PlainData, emptyText: string, locale: Locale = DEFAULT_LOCALE): SafeHtml {
  return html`${
    data.sections.length === 0
      ? html`<p class="empty" data-testid="empty">${emptyText}</p>`
      : data.sections.map((s) => section(s, locale))
  }
${
  data.notShown.length > 0
    ? html`<h3>${PLAIN_WORDS[locale].heldNotShown}</h3><ul data-testid="not-shown">${data.notShown.map((t) => html`<li>${t}</li>`)}</ul>`
    : ''
}`;
}

/** What a deletion request keeps, and why: the policy's exemptions, then what the law makes us keep. */
export function exemptionsView(
  data: Pick<PlainData, 'exemptions'>,
  locale: Locale = DEFAULT_LOCALE,
): SafeHtml {
  const w = PLAIN_WORDS[locale];
  return html`<ul class="kept-list" data-testid="exemptions">${data.exemptions.map(
    (e) => html`<li><strong>${e.title}</strong>: ${e.what.join('; ')}.
    <span class="small policy-words">${e.quoted ? w.policySays(e.why) : e.why}</span></li>`,
  )}</ul>`;
}
