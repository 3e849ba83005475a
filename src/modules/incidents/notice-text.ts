// The Art. 34 message to the people affected by a high-risk breach, as they get it: the privacy
// officer's words (what happened, likely consequences, measures, what they can do) in a frame that
// adds the contact point (the controller, and the DPO when the policy names one) and the controller's
// postal address (GDPR Art. 34(2) with Art. 33(3)(b)-(d)). Plain text: no link to follow, no
// unsubscribe (a legal notice, not marketing). Vow keeps no language per person, so the message is
// written in every language the policy is published in and each mail carries every version, the
// policy's own first, each marked with its language (text and HTML parts).
import { html, type SafeHtml } from '../../platform/html.js';
import {
  type Catalog,
  DEFAULT_LOCALE,
  htmlLang,
  isLocale,
  LOCALE_NAMES,
  type Locale,
} from '../../platform/i18n/index.js';

export interface NoticeDraft {
  readonly subject: string;
  /** The nature of the breach, in clear and plain language. */
  readonly whatHappened: string;
  readonly consequences: string;
  readonly measures: string;
  /** What the person can do to protect themselves (may be empty). */
  readonly advice: string;
}

/** The message in one language. */
export interface NoticeVersion extends NoticeDraft {
  readonly lang: Locale;
}

export interface NoticeController {
  readonly name: string;
  readonly email: string;
  readonly phone: string;
  readonly postal_address: string;
  readonly website: string;
  readonly dpo?: string | undefined;
}

interface Frame {
  readonly consequences: string;
  readonly measures: string;
  readonly advice: string;
  readonly contact: string;
  readonly dpo: string;
  readonly email: string;
  readonly phone: string;
  readonly post: string;
  readonly why: string;
  readonly subject: (controller: string) => string;
}

const FRAME: Catalog<Frame> = {
  'en-US': {
    consequences: 'What this may mean for you',
    measures: 'What we have done and are doing about it',
    advice: 'What you can do',
    contact: 'Who to contact about it',
    dpo: 'Data protection officer',
    email: 'Email',
    phone: 'Phone',
    post: 'Post',
    why: 'We write to you because the law (GDPR Art. 34) asks us to tell the people a personal data breach puts at high risk. This is a legal notice, not marketing: it is sent once, whatever your mail preferences.',
    subject: (c) => `${c}: a personal data breach concerns your data`,
  },
  'es-US': {
    consequences: 'Lo que esto puede significar para usted',
    measures: 'Lo que hemos hecho y estamos haciendo',
    advice: 'Lo que usted puede hacer',
    contact: 'A quién dirigirse',
    dpo: 'Delegado de protección de datos',
    email: 'Correo electrónico',
    phone: 'Teléfono',
    post: 'Correo postal',
    why: 'Le escribimos porque la ley (RGPD art. 34) nos pide informar a las personas a las que una violación de datos personales expone a un alto riesgo. Es un aviso legal, no publicidad: se envía una sola vez, sean cuales sean sus preferencias de correo.',
    subject: (c) => `${c}: una violación de datos personales afecta a sus datos`,
  },
};

/** The locale of the message's frame: the policy's, when Vow has it; else English. */
export function noticeLocale(policyLocale: string): Locale {
  return isLocale(policyLocale) ? policyLocale : DEFAULT_LOCALE;
}

/**
 * The languages the message is written in: the policy's own (the frame's locale), then each language
 * the policy has a translation for that Vow can frame (its headings and contact block).
 */
export function noticeLanguages(doc: { readonly locale: string; readonly translations: object }): Locale[] {
  const first = noticeLocale(doc.locale);
  return [first, ...Object.keys(doc.translations).filter((l): l is Locale => isLocale(l) && l !== first)];
}

/** The default subject line, in the locale. */
export function defaultSubject(controller: string, locale: Locale): string {
  return FRAME[locale].subject(controller.replace(/[\r\n]+/g, ' '));
}

/** The message as each person gets it (the same for all: it names no one). */
export function renderNotice(
  draft: NoticeDraft,
  controller: NoticeController,
  locale: Locale,
): { subject: string; text: string } {
  const f = FRAME[locale];
  const section = (title: string, body: string) => (body.trim() ? `${title}:\n${body.trim()}` : '');
  const contact = [
    controller.name,
    controller.dpo ? `${f.dpo}: ${controller.dpo}` : '',
    `${f.email}: ${controller.email}`,
    `${f.phone}: ${controller.phone}`,
    `${f.post}: ${controller.postal_address}`,
    controller.website,
  ]
    .filter(Boolean)
    .join('\n');
  const text = [
    draft.whatHappened.trim(),
    section(f.consequences, draft.consequences),
    section(f.measures, draft.measures),
    section(f.advice, draft.advice),
    `${f.contact}:\n${contact}`,
    f.why,
  ]
    .filter(Boolean)
    .join('\n\n');
  return { subject: draft.subject.trim(), text: `${text}\n` };
}

/**
 * The lines of a version's text as HTML paragraphs (escaped; lines kept): the mail's HTML part, and
 * the console's preview of it.
 */
export function messageParagraphs(text: string): SafeHtml[] {
  return text
    .trim()
    .split(/\n{2,}/)
    .map((para) => {
      const lines = para.split('\n');
      return html`<p>${lines.map((l, n) => (n === 0 ? html`${l}` : html`<br>${l}`))}</p>`;
    });
}

/**
 * The mail every person gets: each version in the order given (the policy's language first), marked
 * with its language: a heading line in the text part, a `lang` attribute on its section in the HTML
 * part. The subject joins the versions' subjects. The officer's words are escaped in the HTML.
 */
export function renderNoticeMail(
  versions: readonly NoticeVersion[],
  controller: NoticeController,
): { subject: string; text: string; html: string } {
  const parts = versions.map((v) => ({ v, ...renderNotice(v, controller, v.lang) }));
  const first = parts[0]?.v.lang ?? DEFAULT_LOCALE;
  const many = parts.length > 1;
  const subject = parts.map((p) => p.subject).join(' / ');
  const text = many
    ? `${parts.map((p) => LOCALE_NAMES[p.v.lang]).join(' · ')}\n\n${parts
        .map((p) => `=== ${LOCALE_NAMES[p.v.lang]} (${p.v.lang}) ===\n\n${p.text}`)
        .join('\n')}`
    : (parts[0]?.text ?? '');
  const sections = parts.map(
    (p) =>
      html`<section lang="${htmlLang(p.v.lang)}" data-lang="${p.v.lang}">${many ? html`<h2>${LOCALE_NAMES[p.v.lang]}</h2>` : ''}${messageParagraphs(p.text)}</section>`,
  );
  const body = html`<!doctype html><html lang="${htmlLang(first)}"><head><meta charset="utf-8"><title>${subject}</title></head><body>${sections.map(
    (s, i) => (i === 0 ? s : html`<hr>${s}`),
  )}</body></html>`;
  return { subject, text, html: body.toString() };
}
