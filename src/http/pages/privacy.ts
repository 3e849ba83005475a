// GET /privacy: the privacy notice as a web page, rendered from the policy in force.

import type { Policy } from '../../modules/policy/index.js';
import { buildNotice } from '../../modules/policy/index.js';
import { html } from '../../platform/html.js';
import { ANONYMOUS, privacyChoicesLink, shopperPage, type Viewer } from './shopper-layout.js';

export interface PrivacyPageOptions {
  /** The consent script's path; with it, the Google Analytics section carries its opt-out switch (P19). */
  readonly consentScript?: string;
  readonly viewer?: Viewer;
}

export function renderPrivacyPage(policy: Policy, options: PrivacyPageOptions = {}): string {
  const n = buildNotice(policy);
  const viewer = options.viewer ?? ANONYMOUS;
  const extra = [
    { id: 'your-rights', heading: 'Your rights, in one place' },
    { id: 'what-we-collect', heading: 'What we collect, where, and why' },
    { id: 'recipients', heading: 'Who receives your information' },
    { id: 'retention', heading: 'How long we keep it' },
    { id: 'choices', heading: 'Your choices' },
    { id: 'promises', heading: 'Our promises and how we keep them' },
  ];
  const body = html`
<article class="notice" aria-labelledby="notice-title">
  <h1 id="notice-title">${n.title}</h1>
  <p class="small">${n.controller.name} · Effective ${n.effectiveDate} · Version <code data-testid="policy-version">${n.version}</code></p>
  <nav class="toc" aria-label="Contents">
    <ol>
      ${n.sections.map((s) => html`<li><a href="#${s.id}">${s.heading}</a></li>`)}
      ${extra.map((s) => html`<li><a href="#${s.id}">${s.heading}</a></li>`)}
    </ol>
  </nav>
  <section id="your-rights" class="kept" aria-labelledby="your-rights-h" data-section="your-rights" data-testid="your-rights">
    <h2 id="your-rights-h">Your rights, in one place</h2>
    <ul class="cards">
      <li><h3>See your data</h3><p>${viewer.signedIn ? html`<a href="/account/my-data">My data</a> shows everything we hold about you.` : html`<a href="/login">Log in</a> to see everything we hold about you, or <a href="/account/register">create an account</a>.`} Or <a href="/privacy/request">ask for a copy</a>.</p></li>
      <li><h3>Correct or delete it</h3><p><a href="/privacy/request">Make a privacy request</a>: a copy, a correction, a deletion, or that we stop using your data.</p></li>
      <li><h3>Cookies and selling or sharing</h3><p>${privacyChoicesLink('notice-privacy-choices')}: turn cookies and tools on or off, and opt out of the sale or sharing of your information.</p></li>
      <li><h3>Complain</h3><p><a href="/privacy/complaint">Make a complaint</a>. We answer, and name the authority you can turn to.</p></li>
    </ul>
  </section>
  ${n.sections.map(
    (s) => html`<section id="${s.id}" aria-labelledby="${s.id}-h" data-section="${s.id}">
    <h2 id="${s.id}-h">${s.heading}</h2>
    ${s.paragraphs.map((p) => html`<p>${p}</p>`)}
    ${
      s.id === 'google-analytics'
        ? html`<p id="ga-opt-out">Opt out of Google Analytics data gathering on this page: ${options.consentScript ? html`<span data-vow-ga-optout></span> ` : ''}or in your <a href="/cookies/preferences">cookie settings</a>.</p>`
        : ''
    }
    ${s.promises.length > 0 ? html`<p class="promise-tags">Promises made here: ${s.promises.map((p, i) => html`${i > 0 ? ', ' : ''}<a href="#promise-${p.id}">${p.id}</a>`)}</p>` : ''}
  </section>`,
  )}
  <section id="what-we-collect" aria-labelledby="what-we-collect-h" data-section="what-we-collect">
    <h2 id="what-we-collect-h">What we collect, where, and why</h2>
    ${n.collectionPoints.map(
      (cp) => html`<section id="${cp.anchor}" aria-labelledby="${cp.anchor}-h">
      <h3 id="${cp.anchor}-h">${cp.title}</h3>
      <table class="stack">
        <caption class="small">What the ${cp.title.toLowerCase()} form collects (see <a href="#${cp.section}">the policy</a>)</caption>
        <thead><tr><th scope="col">Information</th><th scope="col">Required</th><th scope="col">Used for</th></tr></thead>
        <tbody>
        ${cp.fields.map((f) => html`<tr><td data-label="Information">${f.categoryDescription}</td><td data-label="Required">${f.required ? 'Yes' : 'Optional'}</td><td data-label="Used for">${f.purposes.join('; ')}</td></tr>`)}
        </tbody>
      </table>
    </section>`,
    )}
  </section>
  <section id="recipients" aria-labelledby="recipients-h" data-section="recipients">
    <h2 id="recipients-h">Who receives your information</h2>
    <table class="stack">
      <thead><tr><th scope="col">Recipient</th><th scope="col">What</th><th scope="col">Why</th></tr></thead>
      <tbody>
      ${n.recipients.map((r) => html`<tr><td data-label="Recipient">${r.name}<br><span class="small">${r.role}</span></td><td data-label="What">${r.categories.join(', ')}</td><td data-label="Why">${r.purposes.join('; ')}</td></tr>`)}
      </tbody>
    </table>
  </section>
  <section id="retention" aria-labelledby="retention-h" data-section="retention">
    <h2 id="retention-h">How long we keep it</h2>
    <table class="stack">
      <thead><tr><th scope="col">Information</th><th scope="col">Whose</th><th scope="col">Kept</th><th scope="col">Why</th></tr></thead>
      <tbody>
      ${n.retention.map((r) => html`<tr><td data-label="Information">${r.category}</td><td data-label="Whose">${r.who}</td><td data-label="Kept">${r.keep}</td><td data-label="Why">${r.reason}</td></tr>`)}
      </tbody>
    </table>
  </section>
  <section id="choices" aria-labelledby="choices-h" data-section="choices">
    <h2 id="choices-h">Your choices</h2>
    <ul>${n.choices.map((c) => html`<li>${c.description}</li>`)}</ul>
    <h3>Cookies</h3>
    <ul>${n.cookieCategories.map((c) => html`<li><strong>${c.title}</strong>${c.required ? ' (always on)' : ''}: ${c.description}</li>`)}</ul>
    <h3>If a complaint is not resolved</h3>
    <ul>${n.regulators.map((r) => html`<li><a href="${r.url}" rel="noopener">${r.name}</a></li>`)}</ul>
  </section>
  <section id="promises" aria-labelledby="promises-h" data-section="promises">
    <h2 id="promises-h">Our promises and how we keep them</h2>
    <table class="stack">
      <thead><tr><th scope="col">Promise</th><th scope="col">How it is kept</th></tr></thead>
      <tbody>
      ${n.promises.map((p) => html`<tr id="promise-${p.id}"><td data-label="Promise"><strong>${p.id}</strong> ${p.title}</td><td data-label="How it is kept">${p.enforcement}</td></tr>`)}
      </tbody>
    </table>
  </section>
</article>`;
  return shopperPage({
    title: n.title,
    policy,
    viewer,
    body,
    current: '/privacy',
    ...(options.consentScript ? { scripts: [options.consentScript] } : {}),
  });
}
