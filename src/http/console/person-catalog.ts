// A person's catalog requests on their console page (P12: customer service mails the catalog and
// takes people off the postal list): when each came, the address it is mailed to, and every answer
// in the words the form offered, as "My data" says them to the person (src/http/pages/answer-words.ts);
// a code the policy's catalog form no longer offers is shown as stored, with a note.
import type { CatalogQuestion, CatalogRequestAnswers } from '../../modules/collection/index.js';
import type { Policy } from '../../modules/policy/index.js';
import type { IdentifierView } from '../../modules/subjects/index.js';
import { html, type SafeHtml } from '../../platform/html.js';
import { DEFAULT_LOCALE } from '../../platform/i18n/index.js';
import { storedAnswer } from '../pages/answer-words.js';
import { heldValue, stamp } from './labels.js';

/** One catalog request as the person view shows it. */
export interface PersonCatalogRequest extends CatalogRequestAnswers {
  /** The mailing address given with it (decrypted; null once erased), if Vow still holds it. */
  readonly address: IdentifierView['value'] | undefined;
}

/** The questions as staff read them (the column headings), in the form's order. */
const QUESTIONS: readonly (readonly [CatalogQuestion, string])[] = [
  ['relationship_status', 'Relationship status'],
  ['jewelry_types', 'Shopping for'],
  ['budget', 'Budget'],
  ['age_range', 'Age range'],
  ['residence_type', 'Where they live'],
  ['gender', 'Gender'],
];

/** What retention leaves in place of an answer it removed (datasets/vow.yaml, mask_with). */
const MASKED = '[deleted]';

/** A person's catalog requests with the addresses they gave on them (subjects' identifiers). */
export function withAddresses(
  requests: readonly CatalogRequestAnswers[],
  identifiers: readonly IdentifierView[],
): PersonCatalogRequest[] {
  return requests.map((r) => ({
    ...r,
    address: identifiers.find(
      (i) => i.recordType === 'catalog_request' && i.recordId === r.id && i.kind === 'address',
    )?.value,
  }));
}

/** One stored answer in words; a code the form no longer offers stays its code, with a note. */
function answerWords(policy: Policy, question: CatalogQuestion, code: string): string {
  if (code === MASKED) return 'deleted';
  const field = policy.doc.collection_points.catalog_request?.fields[question];
  // A free-text question (no list of answers) is shown as typed.
  if (field && !field.values) return code;
  return storedAnswer(question, code, field?.values ?? [], DEFAULT_LOCALE);
}

function answerCell(policy: Policy, r: PersonCatalogRequest, question: CatalogQuestion): SafeHtml {
  const codes = question === 'jewelry_types' ? r.answers.jewelry_types : [r.answers[question]];
  const given = codes.filter((c) => c !== '');
  if (given.length === 0) return html`<span class="empty">not answered</span>`;
  return html`${given.map((c) => answerWords(policy, question, c)).join(', ')}`;
}

/** The "Catalog requests" section of the person view: one row a request, newest first. */
export function catalogSection(policy: Policy, requests: readonly PersonCatalogRequest[]): SafeHtml {
  return html`<section aria-labelledby="catalog-h">
<h2 id="catalog-h">Catalog requests</h2>
${
  requests.length
    ? html`<div class="scroll" tabindex="0"><table class="stack" data-testid="person-catalog-requests">
  <caption class="visually-hidden">Catalog requests, newest first, with the answers in the words the form offered</caption>
  <thead><tr><th scope="col">Requested</th><th scope="col">Mailing address</th>${QUESTIONS.map(([, label]) => html`<th scope="col">${label}</th>`)}</tr></thead>
  <tbody>${requests.map(
    (r) =>
      html`<tr data-testid="catalog-request"><th scope="row">${stamp(r.collectedAt)}</th><td data-label="Mailing address" class="typed">${r.address === undefined ? html`<span class="empty">none held</span>` : heldValue(r.address)}</td>${QUESTIONS.map(([q, label]) => html`<td data-label="${label}">${answerCell(policy, r, q)}</td>`)}</tr>`,
  )}</tbody>
</table></div>`
    : html`<p class="empty">No catalog requests.</p>`
}
</section>`;
}
