// The staff console's log-in page (an empty menu: no roles yet) and the page where a staff member
// replaces the one-time password of their first log-in.
import { html } from '../../platform/html.js';
import { type ConsoleFrame, consolePage, csrfField } from './shell.js';

/** Which ways in the log-in page offers: single sign-on (when configured), the password form (unless SSO only). */
export interface LoginWays {
  readonly sso: boolean;
  readonly password: boolean;
}

/** The ways in a configuration offers: single sign-on when configured, passwords unless SSO only. */
export function loginWays(config: { readonly oidc?: { readonly only: boolean } | undefined }): LoginWays {
  return { sso: config.oidc !== undefined, password: !config.oidc?.only };
}

/**
 * A log-in page that answers a console form sent after the session lapsed: why the form was not
 * sent and, when it was kept (`draft`, the token of form-drafts.ts), that it comes back after.
 */
export interface LapsedForm {
  readonly draft: string | undefined;
  readonly idleMinutes: number;
}

/**
 * The log-in page. `next`: the console path to return to once logged in (identity's
 * consoleReturnPath checked it); `ssoCsrf`: the token of the single sign-on form, shown instead of
 * the plain link when a kept form's token must ride along (a post: never in an address).
 */
export function renderStaffLoginPage(
  frame: ConsoleFrame,
  ways: LoginWays,
  error?: string,
  askTotp = false,
  lapsed?: LapsedForm,
  back: { next?: string | undefined; ssoCsrf?: string | undefined } = {},
): string {
  const { next } = back;
  return consolePage(frame, {
    title: 'Staff log in',
    body: html`<h1>Staff log in</h1>
${lapsed ? lapsedNotice(lapsed, ways) : ''}
${error ? html`<p class="flash bad" role="alert">${error}</p>` : ''}
${ways.sso ? ssoWay(lapsed?.draft, next, back.ssoCsrf) : ''}
${ways.password ? passwordForm(frame, askTotp, lapsed?.draft, next) : ''}`,
  });
}

function lapsedNotice(lapsed: LapsedForm, ways: LoginWays) {
  const why = html`Your session ended (${String(lapsed.idleMinutes)} minutes without activity, or 12 hours after you logged in), so the form you sent was not saved.`;
  return lapsed.draft
    ? html`<div class="flash" role="status" data-testid="form-kept"><p>${why} What you typed is kept: log in again below${ways.sso ? ' (with single sign-on too)' : ''} and the form is shown to you again, filled in, to send (within 15 minutes).</p></div>`
    : html`<div class="flash" role="status" data-testid="form-not-kept"><p>${why} Log in again, then send it once more.</p></div>`;
}

/** The page a refused single sign-on ends on: why, and the way back. */
export function renderSsoRefusedPage(frame: ConsoleFrame, message: string, reason: string): string {
  return consolePage(frame, {
    title: 'Sign-in refused',
    body: html`<h1>Sign-in refused</h1>
<div class="flash bad" role="alert" data-testid="sso-refused" data-reason="${reason}"><p>${message}</p></div>
<p><a href="/staff/login">Back to the staff log-in</a></p>`,
  });
}

/**
 * After a single sign-on, the browser goes on to the console from Vow's own page: the staff cookie
 * is SameSite=Strict, and a redirect chain that began at the provider would not send it.
 */
export function renderSsoDonePage(frame: ConsoleFrame, to = '/staff'): string {
  return consolePage(frame, {
    title: 'Signed in',
    body: html`<meta http-equiv="refresh" content="0;url=${to}">
<h1>Signed in</h1>
<p><a href="${to}" data-testid="sso-continue">Continue to the console</a></p>`,
  });
}

/** Single sign-on: a link, or a form posting a kept form's token (a secret stays out of addresses). */
function ssoWay(draft: string | undefined, next: string | undefined, csrf: string | undefined) {
  if (draft && csrf)
    return html`<form method="post" action="/staff/sso" data-testid="sso-form">
  ${csrfField(csrf)}
  <input type="hidden" name="draft" value="${draft}">${next ? html`\n  <input type="hidden" name="next" value="${next}">` : ''}
  <p><button type="submit" data-testid="sso-login">Sign in with single sign-on</button></p>
</form>`;
  const href = next ? `/staff/sso?next=${encodeURIComponent(next)}` : '/staff/sso';
  return html`<p><a class="button" href="${href}" data-testid="sso-login">Sign in with single sign-on</a></p>`;
}

function passwordForm(
  frame: ConsoleFrame,
  askTotp: boolean,
  draft: string | undefined,
  next: string | undefined,
) {
  return html`<form method="post" action="/staff/login">
  ${csrfField(frame.csrf)}${draft ? html`\n  <input type="hidden" name="draft" value="${draft}">` : ''}${next ? html`\n  <input type="hidden" name="next" value="${next}">` : ''}
  <p><label for="username">User name</label><input id="username" name="username" autocomplete="username" required></p>
  <p><label for="password">Password</label><input id="password" name="password" type="password" autocomplete="current-password" required></p>
  <p><label for="totp">6-digit code${askTotp ? '' : ' (only if your account has one)'}</label><input id="totp" name="totp" inputmode="numeric" pattern="[0-9]{6}" autocomplete="one-time-code"${askTotp ? html` required` : ''}></p>
  <p><button type="submit">Log in</button></p>
</form>`;
}

export function renderStaffPasswordPage(frame: ConsoleFrame, error?: string): string {
  return consolePage(frame, {
    title: 'Choose your password',
    body: html`<h1>Choose your password</h1>
<p>Replace the one-time password you were given with a password of your own (at least 12 characters).</p>
${error ? html`<p class="flash bad" role="alert">${error}</p>` : ''}
<form method="post" action="/staff/password">
  ${csrfField(frame.csrf)}
  <p><label for="current">Current (one-time) password</label><input id="current" name="current" type="password" autocomplete="current-password" required></p>
  <p><label for="password">New password</label><input id="password" name="password" type="password" autocomplete="new-password" minlength="12" required></p>
  <p><button type="submit">Save</button></p>
</form>`,
  });
}
