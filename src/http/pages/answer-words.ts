// A form's coded answers in words: the code a built-in form stores ("500_1000", "no_thanks") as the
// words the form offered it with ("$500 to $1,000", "Prefer not to say"), in the reader's language.
// The demo storefront's selects show these words, and "My data", its downloads and the access
// export say them back, so a shopper reads their answer as they chose it, never its code. A stored
// code the policy's form no longer offers is shown as stored, with a note, never as an error.
import type { Policy } from '../../modules/policy/index.js';
import type { Locale } from '../../platform/i18n/index.js';
import { ANSWER_WORDS } from './i18n/answers.js';

/** Answers whose numbers are amounts of US dollars (the catalog request's budget). */
const DOLLAR_FIELDS: ReadonlySet<string> = new Set(['budget']);

/** "no_labels" -> "No labels": a code with no words of its own. */
function fromId(code: string): string {
  const s = code.replace(/_/g, ' ').trim();
  return s.charAt(0).toUpperCase() + s.slice(1);
}

/**
 * An answer's words: "In a relationship", "25 to 34", "65 or more", "Under $500", "$500 to $1,000"
 * (or in Spanish). `field` is the form's field (its numbers may be dollars).
 */
export function answerLabel(field: string, code: string, locale: Locale): string {
  const w = ANSWER_WORDS[locale];
  const own = w.answers[code];
  if (own) return own;
  const number = new Intl.NumberFormat(
    locale,
    DOLLAR_FIELDS.has(field) ? { style: 'currency', currency: 'USD', maximumFractionDigits: 0 } : {},
  );
  const n = (digits: string) => number.format(Number(digits));
  const range = /^(\d+)_(\d+)$/.exec(code);
  if (range) return w.range(n(range[1]!), n(range[2]!));
  const bound = /^(under|over)_(\d+)$/.exec(code);
  if (bound) return bound[1] === 'under' ? w.under(n(bound[2]!)) : w.over(n(bound[2]!));
  const more = /^(\d+)_plus$/.exec(code);
  if (more) return w.orMore(n(more[1]!));
  return fromId(code);
}

/**
 * The answers the policy's forms offer today for a value of this category stored in this column
 * (a field of that name and category with a list of `values`), or undefined when it is no coded
 * answer (free text, a date, an address).
 */
export function offeredAnswers(
  policy: Policy,
  category: string,
  column: string,
): readonly string[] | undefined {
  const fields = Object.values(policy.doc.collection_points)
    .map((point) => point.fields[column])
    .filter((field) => field?.category === category && field.values);
  return fields.length > 0 ? fields.flatMap((field) => field?.values ?? []) : undefined;
}

/** A stored answer in words; one the form no longer offers stays its code, with a note saying so. */
export function storedAnswer(
  field: string,
  code: string,
  offered: readonly string[],
  locale: Locale,
): string {
  return offered.includes(code) ? answerLabel(field, code, locale) : ANSWER_WORDS[locale].retired(code);
}
