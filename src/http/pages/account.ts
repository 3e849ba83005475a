// Shopper account pages: log in, register, reset a password, and "my data" (P15). Forms carry the
// anti-forgery token; no inline script or style.

import { DEFAULT_MASK } from '../../modules/datasets/index.js';
import type { MyDataView } from '../../modules/identity/index.js';
import type { Policy } from '../../modules/policy/index.js';
import { html, type SafeHtml } from '../../platform/html.js';
import { JURISDICTION_LABELS } from '../request-labels.js';
import { plainData, type StoredValue } from './plain-data.js';
import { exemptionsView, plainDataView } from './plain-data-view.js';
import { ANONYMOUS, privacyChoicesLink, shopperPage, type Viewer } from './shopper-layout.js';

function shell(
  policy: Policy,
  title: string,
  body: SafeHtml,
  current?: string,
  viewer: Viewer = ANONYMOUS,
): string {
  return shopperPage({ title, policy, body, viewer, ...(current ? { current } : {}) });
}

function notice(message: string | undefined, kind: 'error' | 'ok' = 'error'): SafeHtml {
  return message
    ? html`<p class="${kind === 'error' ? 'error' : 'ok'}" role="${kind === 'error' ? 'alert' : 'status'}">${message}</p>`
    : html``;
}

export function renderLoginPage(policy: Policy, csrf: string, error?: string): string {
  return shell(
    policy,
    'Log in',
    html`<h1>Log in to your account</h1>
${notice(error)}
<form method="post" action="/login">
  <input type="hidden" name="_csrf" value="${csrf}">
  <p><label for="email">Email</label><input id="email" name="email" type="email" autocomplete="username" required></p>
  <p><label for="password">Password</label><input id="password" name="password" type="password" autocomplete="current-password" required></p>
  <p><button type="submit">Log in</button></p>
</form>
<p><a href="/account/register">Create an account</a> · <a href="/account/reset-request">Forgot your password?</a></p>`,
    '/login',
  );
}

export function renderRegisterPage(policy: Policy, csrf: string, error?: string): string {
  return shell(
    policy,
    'Create an account',
    html`<h1>Create an account</h1>
${notice(error)}
<p>We send a link to your email address to confirm it is yours. Once confirmed, your account shows
every piece of information we hold about you.</p>
<form method="post" action="/account/register">
  <input type="hidden" name="_csrf" value="${csrf}">
  <p><label for="email">Email</label><input id="email" name="email" type="email" autocomplete="email" required></p>
  <p><label for="password">Password (at least 12 characters)</label><input id="password" name="password" type="password" autocomplete="new-password" minlength="12" required></p>
  <p><button type="submit">Create account</button></p>
</form>`,
  );
}

/**
 * The page of the confirmation link: the link alone does not confirm; the password chosen at
 * registration does too (someone else may have registered this address and be waiting for its
 * owner to click).
 */
export function renderConfirmPage(policy: Policy, csrf: string, token: string, error?: string): string {
  return shell(
    policy,
    'Confirm your email address',
    html`<h1>Confirm your email address</h1>
${notice(error)}
<p>To confirm this address, enter the password you chose when you created the account.</p>
<form method="post" action="/account/verify">
  <input type="hidden" name="_csrf" value="${csrf}">
  <input type="hidden" name="token" value="${token}">
  <p><label for="password">Password</label><input id="password" name="password" type="password" autocomplete="current-password" required></p>
  <p><button type="submit">Confirm</button></p>
</form>
<p class="small">You did not create an account? Then someone else used your address: do not confirm.
To take the account over, <a href="/account/reset-request">set your own password</a> with a link we
email you; that ends every session on it.</p>`,
  );
}

export function renderMessagePage(
  policy: Policy,
  title: string,
  message: string,
  viewer: Viewer = ANONYMOUS,
  kind: 'ok' | 'error' = 'ok',
): string {
  return shell(
    policy,
    title,
    html`<h1>${title}</h1>${notice(message, kind)}
<ul class="ways-back">${viewer.signedIn ? html`<li><a href="/account/my-data">My data</a></li>` : html`<li><a href="/login">Log in</a></li>`}<li><a href="/privacy">Privacy notice</a></li></ul>`,
    undefined,
    viewer,
  );
}

export function renderResetRequestPage(policy: Policy, csrf: string): string {
  return shell(
    policy,
    'Reset your password',
    html`<h1>Reset your password</h1>
<form method="post" action="/account/reset-request">
  <input type="hidden" name="_csrf" value="${csrf}">
  <p><label for="email">Email</label><input id="email" name="email" type="email" autocomplete="email" required></p>
  <p><button type="submit">Email me a link</button></p>
</form>`,
  );
}

export function renderResetPage(policy: Policy, csrf: string, token: string, error?: string): string {
  return shell(
    policy,
    'Choose a new password',
    html`<h1>Choose a new password</h1>
${notice(error)}
<form method="post" action="/account/reset">
  <input type="hidden" name="_csrf" value="${csrf}">
  <input type="hidden" name="token" value="${token}">
  <p><label for="password">New password (at least 12 characters)</label><input id="password" name="password" type="password" autocomplete="new-password" minlength="12" required></p>
  <p><button type="submit">Set password</button></p>
</form>`,
  );
}

/** The stored values of "my data", for the plain-language view. */
export function storedValuesOf(view: MyDataView): StoredValue[] {
  return view.categories.flatMap((c) =>
    c.values.map((v) =>
      v.origin
        ? { ...v.origin, category: c.category, purposes: v.purposes }
        : { category: c.category, purposes: [], value: v.value },
    ),
  );
}

/** The account's own address is gone: the data was deleted at the holder's request. */
export function accountErased(view: MyDataView): boolean {
  return view.account.email === null || view.account.email === DEFAULT_MASK;
}

const SENT: Record<string, string> = {
  deletion: 'Your deletion request was received',
  correction: 'Your correction request was received',
};

export function renderMyDataPage(
  policy: Policy,
  csrf: string,
  view: MyDataView & { generatedAt?: string },
  o: { sent?: string | undefined; due?: string | undefined; error?: string | undefined } = {},
): string {
  const data = plainData(policy, storedValuesOf(view), view.generatedAt ?? '');
  const erased = accountErased(view);
  const sent = o.sent ? SENT[o.sent] : undefined;
  return shell(
    policy,
    'My data',
    html`<h1>My data</h1>
${sent ? notice(`${sent}. ${o.due ? `We answer by ${o.due}; ` : ''}we email you when it is done.`, 'ok') : ''}
${notice(o.error)}
${
  erased
    ? html`<p data-testid="account-state">Your data was deleted at your request. Your account remains only for what we must keep (listed below); you can log out.</p>`
    : html`<p data-testid="account-state">Signed in as <strong>${view.account.email}</strong>${view.account.verified ? '' : ' (not yet confirmed: open the link we emailed you)'}.</p>`
}
${view.notes.map((n) => html`<p class="small">${n}</p>`)}
<p class="actions">
  <a class="button" href="/account/my-data/download" download="my-data.json" data-testid="download-json">Download (JSON)</a>
  <a class="button secondary" href="/account/my-data/download.csv" download="my-data.csv" data-testid="download-csv">Download (CSV, for spreadsheets)</a>
</p>
<h2>What we hold about you</h2>
${plainDataView(data, 'We hold nothing about you besides your account.')}
<h2>Correct or delete it</h2>
<p>Choose what you would like; you will see exactly what happens, and what we keep, before anything is sent.</p>
<form method="post" action="/account/requests" data-testid="account-request-form">
  <input type="hidden" name="_csrf" value="${csrf}">
  <fieldset>
    <legend>Ask us to</legend>
    <label class="choice"><input type="radio" name="type" value="correction" required> Correct something</label>
    <label class="choice"><input type="radio" name="type" value="deletion"> Delete my data</label>
  </fieldset>
  <fieldset>
    <legend>Only for a correction</legend>
    <p><label for="category">What to correct</label>
    <select id="category" name="category">
      <option value="">(choose)</option>
      ${view.categories.map((c) => html`<option value="${c.category}">${c.description}</option>`)}
    </select></p>
    <p><label for="value">The right value</label><input id="value" name="value" maxlength="1000"></p>
  </fieldset>
  <p><label for="details">Anything else we should know (optional)</label><input id="details" name="details" maxlength="1000"></p>
  <p><label for="jurisdiction">Where you live</label>
  <select id="jurisdiction" name="jurisdiction">
    <option value="">As on my address on file (else elsewhere)</option>
    ${Object.entries(JURISDICTION_LABELS).map(([id, label]) => html`<option value="${id}">${label}</option>`)}
  </select></p>
  <p><button type="submit" data-testid="review-request">Continue</button></p>
</form>
<h2>More choices</h2>
<ul class="ways-back">
  <li>${privacyChoicesLink('my-data-privacy-choices')}</li>
  <li><a href="/privacy/request">Other requests (a copy, stop using my data)</a></li>
  <li><a href="/privacy/complaint">Make a complaint</a></li>
</ul>
<form method="post" action="/account/logout">
  <input type="hidden" name="_csrf" value="${csrf}">
  <p><button type="submit" class="secondary">Log out</button></p>
</form>`,
    '/account/my-data',
    { signedIn: true },
  );
}

export interface AccountRequestDraft {
  readonly type: 'correction' | 'deletion';
  readonly jurisdiction: string;
  readonly category?: string | undefined;
  readonly value?: string | undefined;
  readonly details?: string | undefined;
}

/**
 * The step before an irreversible request: what will happen, what we keep and why, then the
 * button that sends it (the same fields, confirmed) or a way back that sends nothing.
 */
export function renderRequestConfirmPage(
  policy: Policy,
  csrf: string,
  draft: AccountRequestDraft,
  view: MyDataView & { generatedAt?: string },
): string {
  const data = plainData(policy, storedValuesOf(view), view.generatedAt ?? '');
  const goes = data.sections.filter((s) => !s.keptOnDeletion).map((s) => s.title);
  const stays = data.sections.filter((s) => s.keptOnDeletion).map((s) => s.title);
  const deletion = draft.type === 'deletion';
  const hidden = (name: string, value: string | undefined) =>
    value ? html`<input type="hidden" name="${name}" value="${value}">` : '';
  const category = draft.category
    ? (policy.doc.categories[draft.category]?.description ?? draft.category)
    : '';
  return shell(
    policy,
    deletion ? 'Delete my data?' : 'Send this correction?',
    html`<h1>${deletion ? 'Delete my data?' : 'Send this correction?'}</h1>
${
  deletion
    ? html`<p>We will delete your information from every system that holds it, except what we must keep.
<strong>This cannot be undone</strong>: deleted information cannot be brought back, and you may stop receiving
messages you asked for.</p>
<h2>What we delete</h2>
${goes.length > 0 ? html`<ul data-testid="deleted-list">${goes.map((t) => html`<li>${t}</li>`)}</ul>` : html`<p class="empty">Nothing besides what we keep below.</p>`}
<h2>What we keep, and why</h2>
${stays.length > 0 ? html`<p>Of what we hold about you: ${stays.join(', ')}.</p>` : ''}
${exemptionsView(data)}`
    : html`<p>We will check your request and correct <strong>${category || 'the information you named'}</strong>${draft.value ? html` to <strong>${draft.value}</strong>` : ''}. We email you when it is done.</p>`
}
<form method="post" action="/account/requests" data-testid="confirm-request-form">
  <input type="hidden" name="_csrf" value="${csrf}">
  <input type="hidden" name="confirm" value="yes">
  ${hidden('type', draft.type)}${hidden('jurisdiction', draft.jurisdiction)}${hidden('category', draft.category)}${hidden('value', draft.value)}${hidden('details', draft.details)}
  <p class="actions">
    <button type="submit" class="${deletion ? 'danger' : ''}" data-testid="confirm-request">${deletion ? 'Yes, delete my data' : 'Send the correction'}</button>
    <a href="/account/my-data" data-testid="cancel-request">No, go back to My data</a>
  </p>
</form>`,
    '/account/my-data',
    { signedIn: true },
  );
}
