// The confirmation step before an irreversible staff action: what will happen, what cannot be
// undone, the values the form carried (as hidden fields) and two ways out: do it, or go back. The
// action's form posts without `confirmed`, gets this page, and only the post from here acts.

import { html, type SafeHtml } from '../../platform/html.js';
import { type ConsoleFrame, consolePage, csrfField } from './shell.js';

/**
 * What a button's click does, which its colour says (docs/console.md, "Which buttons are red"):
 * `destructive` deletes data, refuses or rejects what was asked, or takes away a protection or an
 * access (red); `proceed` goes ahead with what was asked (the primary blue), irreversible or not.
 */
export type Tone = 'destructive' | 'proceed';

/** The class attribute of a main button of this tone (none: the primary blue). */
export function toneClass(tone: Tone): SafeHtml | string {
  return tone === 'destructive' ? html` class="danger"` : '';
}

/** The class attribute of the lesser of two buttons side by side: red or blue, outlined. */
export function secondaryToneClass(tone: Tone): SafeHtml {
  return tone === 'destructive' ? html` class="danger secondary"` : html` class="secondary"`;
}

export interface Confirmation {
  readonly title: string;
  /** The menu entry the page sits under. */
  readonly section: string;
  /** Where the form posts (the action's own URL). */
  readonly action: string;
  /** The fields the first form carried, sent again with `confirmed=yes`. */
  readonly fields: Readonly<Record<string, string | undefined>>;
  /** What will happen, one sentence each. */
  readonly willHappen: readonly string[];
  /** What cannot be undone. */
  readonly cannotUndo: string;
  /** The confirming button's words (the action, named). */
  readonly confirmLabel: string;
  /** Red for a deletion, a refusal or a protection taken away; blue for going ahead. */
  readonly tone: Tone;
  /** Where "Go back" leads (the page the action came from). */
  readonly back: string;
}

export function renderConfirmation(frame: ConsoleFrame, c: Confirmation): string {
  const hidden: SafeHtml[] = Object.entries(c.fields)
    .filter(([k, v]) => v !== undefined && v !== '' && k !== '_csrf' && k !== 'confirmed')
    .map(([k, v]) => html`<input type="hidden" name="${k}" value="${v ?? ''}">`);
  return consolePage(frame, {
    title: `Confirm: ${c.title}`,
    section: c.section,
    body: html`<h1>Confirm: ${c.title}</h1>
<section class="confirm" aria-labelledby="happen-h" data-testid="confirmation">
<h2 id="happen-h">What will happen</h2>
<ul>${c.willHappen.map((w) => html`<li>${w}</li>`)}</ul>
<h2>What cannot be undone</h2>
<p class="flash bad">${c.cannotUndo}</p>
<form method="post" action="${c.action}" class="confirm-actions">
  ${csrfField(frame.csrf)}
  ${hidden}
  <input type="hidden" name="confirmed" value="yes">
  <button type="submit"${toneClass(c.tone)} data-testid="confirm-button" data-tone="${c.tone}">${c.confirmLabel}</button>
  <a class="button secondary" href="${c.back}">Go back without doing it</a>
</form>
</section>`,
  });
}
