// Shopper account pages: log in, register, reset a password, and "my data" (P15). Forms carry the
// anti-forgery token; no inline script or style.

import type { MyDataView } from '../../modules/identity/index.js';
import type { Policy } from '../../modules/policy/index.js';
import { html, type SafeHtml } from '../../platform/html.js';
import { page } from '../layout.js';
import { JURISDICTION_LABELS } from '../request-labels.js';

const NAV = [
  { href: '/account/my-data', label: 'My data' },
  { href: '/login', label: 'Log in' },
];

function shell(policy: Policy, title: string, body: SafeHtml, current?: string): string {
  return page({ title, policy, body, nav: NAV, ...(current ? { current } : {}) });
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

export function renderMessagePage(policy: Policy, title: string, message: string): string {
  return shell(policy, title, html`<h1>${title}</h1><p>${message}</p><p><a href="/login">Log in</a></p>`);
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

export function renderMyDataPage(policy: Policy, csrf: string, view: MyDataView, message?: string): string {
  return shell(
    policy,
    'My data',
    html`<h1>My data</h1>
${notice(message, 'ok')}
<p>Signed in as <strong>${view.account.email ?? '(address erased)'}</strong>${view.account.verified ? '' : ' (not yet confirmed: open the link we emailed you)'}.</p>
${view.notes.map((n) => html`<p class="small">${n}</p>`)}
${view.categories.length === 0 ? html`<p>We hold no other information about you.</p>` : ''}
${view.categories.map(
  (c) => html`<section aria-labelledby="cat-${c.category}">
  <h2 id="cat-${c.category}">${c.description} <span class="small">(${c.category})</span></h2>
  <table>
    <thead><tr><th scope="col">Value</th><th scope="col">Where it came from</th><th scope="col">What it is used for</th></tr></thead>
    <tbody>${c.values.map((v) => html`<tr><td>${v.value}</td><td>${v.source}</td><td>${v.purposes.join('; ') || '—'}</td></tr>`)}</tbody>
  </table>
</section>`,
)}
<h2>Take it with you, correct it, delete it</h2>
<p><a class="button" href="/account/my-data/download" download>Download my data (JSON)</a></p>
<form method="post" action="/account/requests">
  <input type="hidden" name="_csrf" value="${csrf}">
  <fieldset>
    <legend>Ask us to</legend>
    <p><label><input type="radio" name="type" value="correction" required> correct something</label>
    <label><input type="radio" name="type" value="deletion"> delete my data</label></p>
    <p><label for="category">What to correct</label>
    <select id="category" name="category">
      <option value="">(for a correction)</option>
      ${view.categories.map((c) => html`<option value="${c.category}">${c.description}</option>`)}
    </select></p>
    <p><label for="value">The right value</label><input id="value" name="value" maxlength="1000"></p>
    <p><label for="details">Anything else we should know</label><input id="details" name="details" maxlength="1000"></p>
    <p><label for="jurisdiction">Where you live</label>
    <select id="jurisdiction" name="jurisdiction">
      <option value="">As on my address on file (else elsewhere)</option>
      ${Object.entries(JURISDICTION_LABELS).map(([id, label]) => html`<option value="${id}">${label}</option>`)}
    </select></p>
  </fieldset>
  <p><button type="submit">Send the request</button></p>
</form>
<form method="post" action="/account/logout">
  <input type="hidden" name="_csrf" value="${csrf}">
  <p><button type="submit" class="secondary">Log out</button></p>
</form>`,
    '/account/my-data',
  );
}
