// The page where the privacy officer writes the Art. 34 message to the people affected by a high-risk
// breach, sees it as a person will get it (with the number of people it concerns) and sends it; once
// sent, the page shows where Vow is (mails queued, people without an email on file).

import type {
  IncidentView,
  NoticeDraft,
  NoticePreview,
  NoticeProgress,
  NoticeVersion,
  ShownCount,
  ShownProgress,
} from '../../modules/incidents/index.js';
import { messageParagraphs } from '../../modules/incidents/index.js';
import { html, type SafeHtml } from '../../platform/html.js';
import { htmlLang, LOCALE_NAMES } from '../../platform/i18n/index.js';
import { utc } from './incidents.js';
import { type ConsoleFrame, type ConsoleMessage, consolePage, csrfField, flash } from './shell.js';

/** The parts of the message, as the form names them. */
export const NOTICE_FIELDS = ['subject', 'whatHappened', 'consequences', 'measures', 'advice'] as const;

/** A part's field: plain for the policy's language, suffixed with the language for the others. */
export function fieldName(field: string, lang: string, first: boolean): string {
  return first ? field : `${field}.${lang}`;
}

export function people(n: number): string {
  return `${n} ${n === 1 ? 'person' : 'people'}`;
}

/** A count of people as the reader may see it: the number, or "fewer than 5" (small counts withheld). */
function peopleCount(c: ShownCount): { text: SafeHtml; one: boolean } {
  return typeof c === 'number'
    ? { text: html`<strong>${c}</strong>`, one: c === 1 }
    : { text: html`<strong>fewer than ${c.fewerThan}</strong>`, one: false };
}

/**
 * What the incident page says of the Art. 34 mail: queued, sent, no address, erased since (counts
 * only; the last two withheld below 5 for a reader other than the privacy officer, and then said even
 * when none, so that saying it tells nothing).
 */
export function progressText(p: ShownProgress<NoticeProgress>): SafeHtml {
  const noAddress = peopleCount(p.noAddress);
  const erased = peopleCount(p.erased);
  return html`<p data-testid="notice-progress">${
    p.doneAt
      ? html`Vow wrote to the people affected: finished ${utc(p.doneAt)}.`
      : html`Vow is writing to the people affected (sent for it ${utc(p.queuedAt)}).`
  } <strong>${p.queued}</strong> ${p.queued === 1 ? 'mail' : 'mails'} queued, <strong>${p.sent}</strong> sent; ${noAddress.text} ${noAddress.one ? 'person has' : 'people have'} no email address on file${p.erased === 0 ? '' : html`; ${erased.text} ${erased.one ? 'person' : 'people'} erased since, not written to`}.</p>`;
}

export function renderIncidentNotify(
  frame: ConsoleFrame,
  incident: IncidentView,
  view: {
    readonly draft: readonly NoticeVersion[];
    readonly preview?: NoticePreview | undefined;
    readonly progress?: NoticeProgress | null | undefined;
    readonly message?: ConsoleMessage | undefined;
  },
): string {
  const from = `${frame.policy.doc.controller.name} <${frame.policy.doc.controller.email}>`;
  const sent = view.progress !== null && view.progress !== undefined;
  const many = view.draft.length > 1;
  const version = (v: NoticeVersion, i: number): SafeHtml => {
    const id = (name: string) => (i === 0 ? `m-${name}` : `m-${name}-${v.lang}`);
    const field = (name: keyof NoticeDraft, label: string, hint: string, required: boolean): SafeHtml =>
      html`<p><label for="${id(name)}">${label}${required ? '' : ' (optional)'}</label><span class="small" id="${id(name)}-hint">${hint}</span><textarea id="${id(name)}" name="${fieldName(name, v.lang, i === 0)}" rows="4" lang="${htmlLang(v.lang)}" aria-describedby="${id(name)}-hint"${required ? html` required` : ''}>${v[name]}</textarea></p>`;
    const fields = html`<p><label for="${id('subject')}">Subject</label><input id="${id('subject')}" name="${fieldName('subject', v.lang, i === 0)}" lang="${htmlLang(v.lang)}" required maxlength="200" value="${v.subject}"></p>
  ${field('whatHappened', 'What happened', 'The nature of the breach, plainly; name no one.', true)}
  ${field('consequences', 'What this may mean for them', 'The likely consequences (Art. 33(3)(c)).', true)}
  ${field('measures', 'What you have done and are doing', 'Measures taken or proposed, to mitigate the harm too (Art. 33(3)(d)).', true)}
  ${field('advice', 'What they can do', 'Steps a person can take to protect themselves.', false)}`;
    return many
      ? html`<fieldset data-testid="notice-version" data-lang="${v.lang}"><legend>${LOCALE_NAMES[v.lang]} (${v.lang})${i === 0 ? ", the policy's language" : ''}</legend>
  ${fields}</fieldset>`
      : fields;
  };
  return consolePage(frame, {
    title: 'Tell the people affected',
    section: '/staff/incidents',
    body: html`<p><a href="/staff/incidents/${incident.id}">← The incident</a></p>
<h1>Tell the people affected (Art. 34)</h1>
${flash(view.message)}
<p>Vow writes to each person affected with an email address on file, in clear and plain language, from
${from}. Their contact never leaves Vow. It is a legal notice, not marketing: no unsubscribe link, sent
whatever their mail preferences; a person erased since gets nothing.</p>
${
  sent && view.progress
    ? progressText(view.progress)
    : html`<form method="post" action="/staff/incidents/${incident.id}/notify" aria-labelledby="write-h" data-testid="notice-form">
  <h2 id="write-h">The message</h2>
  ${csrfField(frame.csrf)}
${
  many
    ? html`<p class="small">Vow does not know which language each person reads, so every mail carries the message in each language the policy is published in, the policy's own first. Write each version; the ones after the first are prefilled with the subject only.</p>`
    : ''
}
  ${view.draft.map(version)}
  <p class="small">The contact point (${frame.policy.doc.controller.name}${frame.policy.doc.controller.dpo ? ', the data protection officer' : ''}) and the postal address are added from the policy (Art. 33(3)(b)).</p>
  <p><button type="submit" name="step" value="preview" class="secondary">Preview</button>
  <button type="submit" name="step" value="send">Send to the people affected…</button>
  <span class="small">You confirm on the next page.</span></p>
</form>`
}
${
  view.preview
    ? html`<h2 id="preview-h">As a person gets it</h2>
<p role="status" data-testid="notice-count">The incident concerns <strong>${people(view.preview.recipients)}</strong> (data of its categories collected up to ${utc(incident.awareAt)}); those with an email address on file get this message, once${view.preview.languages.length > 1 ? `, in ${view.preview.languages.map((l) => LOCALE_NAMES[l]).join(' and ')}` : ''}.</p>
<article class="card" aria-labelledby="preview-h" data-testid="notice-preview">
<p><strong>From:</strong> ${from}<br><strong>Subject:</strong> ${view.preview.subject}</p>
${messageParagraphs(view.preview.text)}
</article>`
    : ''
}`,
  });
}
