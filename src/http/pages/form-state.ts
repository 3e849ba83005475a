// A shopper's form sent back with its mistakes: what was typed, each mistake in words under its
// field's label (the field outlined, aria-invalid, described by the message), and at the top of the
// form the list of mistakes, each linking to its field, focused when the page opens (autofocus, no
// script) so a keyboard and a screen reader start from it. Every shopper form renders through these.
import { html, type SafeHtml } from '../../platform/html.js';
import type { Locale } from '../../platform/i18n/index.js';
import type { FormRefusal } from '../form-issues.js';
import { refusalText } from '../refusal-text.js';
import { FORM_ISSUE_WORDS, issueText } from './i18n/form-issues.js';

export interface FormState {
  /** What was typed, by body key (never a password). */
  readonly values?: Readonly<Partial<Record<string, string | readonly string[] | undefined>>>;
  /** The mistakes, in words, by body key. */
  readonly errors?: Readonly<Partial<Record<string, string>>>;
  /** A mistake of the form as a whole (a wrong password, an expired form). */
  readonly message?: string | undefined;
}

/** A field of a form as the list of mistakes links to it: its body key, element id and label. */
export interface FieldRef {
  readonly name: string;
  readonly id: string;
  readonly label: string;
}

/**
 * The state a refused form comes back with: each mistake at the field it is in (`at` maps a
 * mistake's dotted path to the field showing it, for forms whose body is built from other fields),
 * anything else said at the top.
 */
export function formStateOf(
  refusal: FormRefusal,
  locale: Locale,
  fields: readonly string[],
  at: (path: string) => string | undefined = () => undefined,
): FormState {
  const words = FORM_ISSUE_WORDS[locale];
  const errors: Record<string, string> = {};
  let elsewhere = false;
  for (const issue of refusal.issues) {
    const field = at(issue.path) ?? issue.field;
    if (fields.includes(field)) errors[field] ??= issueText(issue, words);
    else elsewhere = true;
  }
  const message =
    refusal.issues.length === 0
      ? refusalText(refusal.error, refusal.status, locale)
      : elsewhere
        ? issueText({ field: '', path: '', kind: 'invalid' }, words)
        : undefined;
  return { values: refusal.values, errors, message };
}

/** A text value of the state (the first of a list), for an input's value. */
export function typed(state: FormState, name: string): string {
  const v = state.values?.[name];
  return typeof v === 'string' ? v : (v?.[0] ?? '');
}

/** Whether a checkbox's value was among those sent. */
export function ticked(state: FormState, name: string, value: string): boolean {
  const v = state.values?.[name];
  return typeof v === 'string' ? v === value : (v?.includes(value) ?? false);
}

/**
 * The message at the top of a form sent back: announced (role=alert), and focused when the page
 * opens (autofocus, no script) so a keyboard or screen reader starts from it.
 */
export function formError(text: string | undefined): SafeHtml | string {
  return text
    ? html`<p class="error" role="alert" tabindex="-1" autofocus data-testid="form-error">${text}</p>`
    : '';
}

/**
 * The top of a form sent back: the form's own message alone, or the list of mistakes, each naming
 * its field and linking to it (the message of the form as a whole first).
 */
export function errorSummary(
  state: FormState,
  fields: readonly FieldRef[],
  locale: Locale,
): SafeHtml | string {
  const at = fields.filter((f) => state.errors?.[f.name]);
  if (at.length === 0) return formError(state.message);
  return html`<div class="error error-summary" role="alert" tabindex="-1" autofocus data-testid="form-error">
  <p>${FORM_ISSUE_WORDS[locale].summary}</p>
  <ul>${state.message ? html`<li>${state.message}</li>` : ''}${at.map((f) => html`<li><a href="#${f.id}">${f.label}</a>: ${state.errors?.[f.name] ?? ''}</li>`)}</ul>
</div>`;
}

/** The attributes of a field the mistake is in: marked invalid, described by its message. */
export function invalidIf(mistaken: boolean, id: string, errorId = id): SafeHtml | string {
  return mistaken ? html` aria-invalid="true" aria-describedby="${errorId}-error"` : '';
}

/** The mistake next to its field (under the label, before the input). */
export function fieldMistake(mistaken: boolean, id: string, text: string | undefined): SafeHtml | string {
  return mistaken && text ? html`<span class="field-error" id="${id}-error">${text}</span>` : '';
}

/** The mistake of one field of the state, under its label (nothing when it has none). */
export function fieldError(state: FormState, name: string, id: string): SafeHtml | string {
  return fieldMistake(true, id, state.errors?.[name]);
}

/** The attributes of one field of the state: invalid and described by its mistake when it has one. */
export function invalidAttrs(state: FormState, name: string, id: string): SafeHtml | string {
  return invalidIf(state.errors?.[name] !== undefined, id);
}
