// GET /privacy: the privacy notice as a web page, rendered from the policy in force.

import type { CookieText, Policy } from '../../modules/policy/index.js';
import { buildNotice } from '../../modules/policy/index.js';
import { html, type SafeHtml } from '../../platform/html.js';
import { type Catalog, DEFAULT_LOCALE, formatDay, type Locale } from '../../platform/i18n/index.js';
import { wordList } from './plain-data-view.js';
import { ANONYMOUS, privacyChoicesLink, shopperPage, type Viewer } from './shopper-layout.js';

/** The words Vow writes around the policy's own notice text. */
interface NoticeWords {
  readonly rights: string;
  readonly collect: string;
  readonly recipients: string;
  readonly retention: string;
  readonly choices: string;
  readonly promises: string;
  readonly effective: string;
  readonly version: string;
  readonly contents: string;
  readonly seeData: string;
  seeDataText(signedIn: boolean): SafeHtml;
  readonly correct: string;
  readonly correctText: SafeHtml;
  readonly cookiesSale: string;
  cookiesSaleText(link: SafeHtml): SafeHtml;
  readonly complain: string;
  readonly complainText: SafeHtml;
  gaOptOut(widget: SafeHtml | string): SafeHtml;
  readonly promisesHere: string;
  formCaption(title: string, section: string): SafeHtml;
  readonly information: string;
  readonly required: string;
  readonly usedFor: string;
  readonly yes: string;
  readonly optional: string;
  readonly recipient: string;
  readonly what: string;
  readonly why: string;
  readonly whose: string;
  readonly kept: string;
  readonly cookies: string;
  readonly alwaysOn: string;
  cookie(k: CookieText): SafeHtml;
  readonly unresolved: string;
  readonly promise: string;
  readonly howKept: string;
  /** Shown above a notice that is a translation of the English original. */
  readonly translationNote: string;
}

const WORDS: Catalog<NoticeWords> = {
  'en-US': {
    rights: 'Your rights, in one place',
    collect: 'What we collect, where, and why',
    recipients: 'Who receives your information',
    retention: 'How long we keep it',
    choices: 'Your choices',
    promises: 'Our promises and how we keep them',
    effective: 'Effective',
    version: 'Version',
    contents: 'Contents',
    seeData: 'See your data',
    seeDataText: (signedIn) =>
      html`${signedIn ? html`<a href="/account/my-data">My data</a> shows everything we hold about you.` : html`<a href="/login">Log in</a> to see everything we hold about you, or <a href="/account/register">create an account</a>.`} Or <a href="/privacy/request">ask for a copy</a>.`,
    correct: 'Correct or delete it',
    correctText: html`<a href="/privacy/request">Make a privacy request</a>: a copy, a correction, a deletion, or that we stop using your data.`,
    cookiesSale: 'Cookies and selling or sharing',
    cookiesSaleText: (link) =>
      html`${link}: turn cookies and tools on or off, and opt out of the sale or sharing of your information.`,
    complain: 'Complain',
    complainText: html`<a href="/privacy/complaint">Make a complaint</a>. We answer, and name the authority you can turn to.`,
    gaOptOut: (widget) =>
      html`Opt out of Google Analytics data gathering on this page: ${widget}or in your <a href="/cookies/preferences">cookie settings</a>.`,
    promisesHere: 'Promises made here:',
    formCaption: (title, section) =>
      html`What the ${title.toLowerCase()} form collects (see <a href="#${section}">the policy</a>)`,
    information: 'Information',
    required: 'Required',
    usedFor: 'Used for',
    yes: 'Yes',
    optional: 'Optional',
    recipient: 'Recipient',
    what: 'What',
    why: 'Why',
    whose: 'Whose',
    kept: 'Kept',
    cookies: 'Cookies',
    alwaysOn: ' (always on)',
    cookie: (k) => html`${k.name}: ${k.purpose}. Lasts: ${k.duration}. Provider: ${k.provider}.`,
    unresolved: 'If a complaint is not resolved',
    promise: 'Promise',
    howKept: 'How it is kept',
    translationNote: '',
  },
  'es-US': {
    rights: 'Sus derechos, en un solo lugar',
    collect: 'Qué recopilamos, dónde y por qué',
    recipients: 'Quién recibe su información',
    retention: 'Cuánto tiempo la conservamos',
    choices: 'Sus opciones',
    promises: 'Nuestros compromisos y cómo los cumplimos',
    effective: 'Vigente desde el',
    version: 'Versión',
    contents: 'Índice',
    seeData: 'Consulte sus datos',
    seeDataText: (signedIn) =>
      html`${signedIn ? html`<a href="/account/my-data">Mis datos</a> muestra todo lo que tenemos sobre usted.` : html`<a href="/login">Inicie sesión</a> para ver todo lo que tenemos sobre usted, o <a href="/account/register">cree una cuenta</a>.`} O <a href="/privacy/request">pida una copia</a>.`,
    correct: 'Corríjalos o elimínelos',
    correctText: html`<a href="/privacy/request">Haga una solicitud de privacidad</a>: una copia, una corrección, una eliminación, o que dejemos de usar sus datos.`,
    cookiesSale: 'Cookies y venta o intercambio',
    cookiesSaleText: (link) =>
      html`${link}: active o desactive cookies y herramientas, y excluya la venta o el intercambio de su información.`,
    complain: 'Presentar una queja',
    complainText: html`<a href="/privacy/complaint">Presente una queja</a>. Le respondemos y le indicamos la autoridad a la que puede acudir.`,
    gaOptOut: (widget) =>
      html`Excluya la recopilación de datos de Google Analytics en esta página: ${widget}o en su <a href="/cookies/preferences">configuración de cookies</a>.`,
    promisesHere: 'Compromisos de esta sección:',
    formCaption: (title, section) =>
      html`Lo que recopila el formulario «${title}» (consulte <a href="#${section}">la política</a>)`,
    information: 'Información',
    required: 'Obligatorio',
    usedFor: 'Se usa para',
    yes: 'Sí',
    optional: 'Opcional',
    recipient: 'Destinatario',
    what: 'Qué',
    why: 'Por qué',
    whose: 'De quién',
    kept: 'Se conserva',
    cookies: 'Cookies',
    alwaysOn: ' (siempre activas)',
    cookie: (k) => html`${k.name}: ${k.purpose}. Duración: ${k.duration}. Proveedor: ${k.provider}.`,
    unresolved: 'Si una queja no se resuelve',
    promise: 'Compromiso',
    howKept: 'Cómo se cumple',
    translationNote:
      'Esta es una traducción del aviso de privacidad. Si hay diferencias, prevalece el texto original en inglés.',
  },
};

/** The notice's title and sections in the locale: the policy's translation when it has one. */
function noticeText(policy: Policy, n: ReturnType<typeof buildNotice>, locale: Locale) {
  const t =
    locale === DEFAULT_LOCALE
      ? undefined
      : (
          policy.doc.translations as Readonly<
            Record<string, { notice?: typeof policy.doc.notice } | undefined>
          >
        )[locale]?.notice;
  if (!t) return { title: n.title, sections: n.sections, translated: false };
  return {
    title: t.title,
    sections: t.sections.map((s) => ({
      id: s.id,
      heading: s.heading,
      paragraphs: s.paragraphs,
      promises: n.sections.find((o) => o.id === s.id)?.promises ?? [],
    })),
    translated: true,
  };
}

export interface PrivacyPageOptions {
  /** The consent script's path; with it, the Google Analytics section carries its opt-out switch (P19). */
  readonly consentScript?: string;
  readonly viewer?: Viewer;
  /** A note above the notice (the language the address asked for is not available). */
  readonly note?: SafeHtml;
}

export function renderPrivacyPage(policy: Policy, options: PrivacyPageOptions = {}): string {
  const viewer = options.viewer ?? ANONYMOUS;
  const n = buildNotice(policy, viewer.locale);
  const w = WORDS[viewer.locale];
  const t = noticeText(policy, n, viewer.locale);
  const effective = formatDay(n.effectiveDate, viewer.locale);
  // The contents in the page's order: "Your rights" first (it opens the page), the policy's
  // sections, then the tables built from it.
  const extra = [
    { id: 'your-rights', heading: w.rights },
    { id: 'what-we-collect', heading: w.collect },
    { id: 'recipients', heading: w.recipients },
    { id: 'retention', heading: w.retention },
    { id: 'choices', heading: w.choices },
    { id: 'promises', heading: w.promises },
  ];
  const body = html`
${options.note ?? ''}
<article class="notice" aria-labelledby="notice-title">
  <h1 id="notice-title">${t.title}</h1>
  <p class="small">${n.controller.name} · ${w.effective} ${effective} · ${w.version} <code data-testid="policy-version">${n.version}</code></p>
  ${t.translated ? html`<p class="small" data-testid="translation-note">${w.translationNote}</p>` : ''}
  <nav class="toc" aria-label="${w.contents}">
    <ol>
      ${[...extra.slice(0, 1), ...t.sections, ...extra.slice(1)].map((s) => html`<li><a href="#${s.id}">${s.heading}</a></li>`)}
    </ol>
  </nav>
  <section id="your-rights" class="kept" aria-labelledby="your-rights-h" data-section="your-rights" data-testid="your-rights">
    <h2 id="your-rights-h">${w.rights}</h2>
    <ul class="cards">
      <li><h3>${w.seeData}</h3><p>${w.seeDataText(viewer.signedIn)}</p></li>
      <li><h3>${w.correct}</h3><p>${w.correctText}</p></li>
      <li><h3>${w.cookiesSale}</h3><p>${w.cookiesSaleText(privacyChoicesLink('notice-privacy-choices', viewer.locale))}</p></li>
      <li><h3>${w.complain}</h3><p>${w.complainText}</p></li>
    </ul>
  </section>
  ${t.sections.map(
    (s) => html`<section id="${s.id}" aria-labelledby="${s.id}-h" data-section="${s.id}">
    <h2 id="${s.id}-h">${s.heading}</h2>
    ${s.paragraphs.map((p) => html`<p>${p}</p>`)}
    ${
      s.id === 'google-analytics'
        ? html`<p id="ga-opt-out">${w.gaOptOut(options.consentScript ? html`<span data-vow-ga-optout></span> ` : '')}</p>`
        : ''
    }
    ${s.promises.length > 0 ? html`<p class="promise-tags">${w.promisesHere} ${s.promises.map((p, i) => html`${i > 0 ? ', ' : ''}<a href="#promise-${p.id}">${p.id}</a>`)}</p>` : ''}
  </section>`,
  )}
  <section id="what-we-collect" aria-labelledby="what-we-collect-h" data-section="what-we-collect">
    <h2 id="what-we-collect-h">${w.collect}</h2>
    ${n.collectionPoints.map(
      (cp) => html`<section id="${cp.anchor}" aria-labelledby="${cp.anchor}-h">
      <h3 id="${cp.anchor}-h">${cp.title}</h3>
      <table class="stack">
        <caption class="small">${w.formCaption(cp.title, cp.section)}</caption>
        <thead><tr><th scope="col">${w.information}</th><th scope="col">${w.required}</th><th scope="col">${w.usedFor}</th></tr></thead>
        ${cp.groups.map(
          (g) => html`<tbody>
        ${cp.groups.length > 1 ? html`<tr><th scope="rowgroup" colspan="3">${g.whose}</th></tr>` : ''}
        ${g.fields.map((f) => html`<tr><td data-label="${w.information}">${f.categoryDescription}</td><td data-label="${w.required}">${f.required ? w.yes : w.optional}</td><td data-label="${w.usedFor}">${wordList(f.purposes)}</td></tr>`)}
        </tbody>`,
        )}
      </table>
    </section>`,
    )}
  </section>
  <section id="recipients" aria-labelledby="recipients-h" data-section="recipients">
    <h2 id="recipients-h">${w.recipients}</h2>
    <table class="stack">
      <thead><tr><th scope="col">${w.recipient}</th><th scope="col">${w.what}</th><th scope="col">${w.why}</th></tr></thead>
      <tbody>
      ${n.recipients.map((r) => html`<tr><td data-label="${w.recipient}">${r.name}<br><span class="small">${r.role}</span></td><td data-label="${w.what}">${r.categories.join(', ')}</td><td data-label="${w.why}">${wordList(r.purposes)}</td></tr>`)}
      </tbody>
    </table>
  </section>
  <section id="retention" aria-labelledby="retention-h" data-section="retention">
    <h2 id="retention-h">${w.retention}</h2>
    <table class="stack">
      <thead><tr><th scope="col">${w.information}</th><th scope="col">${w.whose}</th><th scope="col">${w.kept}</th><th scope="col">${w.why}</th></tr></thead>
      <tbody>
      ${n.retention.map((r) => html`<tr><td data-label="${w.information}">${r.category}</td><td data-label="${w.whose}">${r.who}</td><td data-label="${w.kept}">${r.keep}</td><td data-label="${w.why}">${r.reason}</td></tr>`)}
      </tbody>
    </table>
  </section>
  <section id="choices" aria-labelledby="choices-h" data-section="choices">
    <h2 id="choices-h">${w.choices}</h2>
    <ul>${n.choices.map((c) => html`<li>${c.description}</li>`)}</ul>
    <h3>${w.cookies}</h3>
    <ul data-testid="notice-cookies">${n.cookieCategories.map((c) => html`<li><strong>${c.title}</strong>${c.required ? w.alwaysOn : ''}: ${c.description}${c.cookies.length > 0 ? html`<ul>${c.cookies.map((k) => html`<li>${w.cookie(k)}</li>`)}</ul>` : ''}</li>`)}</ul>
    <h3>${w.unresolved}</h3>
    <ul class="link-list">${n.regulators.map((r) => html`<li><a href="${r.url}" rel="noopener">${r.name}</a></li>`)}</ul>
  </section>
  <section id="promises" aria-labelledby="promises-h" data-section="promises">
    <h2 id="promises-h">${w.promises}</h2>
    <table class="stack">
      <thead><tr><th scope="col">${w.promise}</th><th scope="col">${w.howKept}</th></tr></thead>
      <tbody>
      ${n.promises.map((p) => html`<tr id="promise-${p.id}"><td data-label="${w.promise}"><strong>${p.id}</strong> ${p.title}</td><td data-label="${w.howKept}">${p.enforcement}</td></tr>`)}
      </tbody>
    </table>
  </section>
</article>`;
  return shopperPage({
    title: t.title,
    policy,
    viewer,
    body,
    current: '/privacy',
    ...(options.consentScript ? { scripts: [options.consentScript] } : {}),
  });
}
