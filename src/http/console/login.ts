// The staff console's log-in page (an empty menu: no roles yet) and the page where a staff member
// replaces the one-time password of their first log-in.
import { html } from '../../platform/html.js';
import { type ConsoleFrame, consolePage, csrfField } from './shell.js';

/** Which ways in the log-in page offers: single sign-on (when configured), the password form (unless SSO only). */
export interface LoginWays {
  readonly sso: boolean;
  readonly password: boolean;
}

export function renderStaffLoginPage(
  frame: ConsoleFrame,
  ways: LoginWays,
  error?: string,
  askTotp = false,
): string {
  return consolePage(frame, {
    title: 'Staff log in',
    body: html`<h1>Staff log in</h1>
${error ? html`<p class="flash bad" role="alert">${error}</p>` : ''}
${ways.sso ? html`<p><a class="button" href="/staff/sso" data-testid="sso-login">Sign in with single sign-on</a></p>` : ''}
${ways.password ? passwordForm(frame, askTotp) : ''}`,
  });
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
export function renderSsoDonePage(frame: ConsoleFrame): string {
  return consolePage(frame, {
    title: 'Signed in',
    body: html`<meta http-equiv="refresh" content="0;url=/staff">
<h1>Signed in</h1>
<p><a href="/staff" data-testid="sso-continue">Continue to the console</a></p>`,
  });
}

function passwordForm(frame: ConsoleFrame, askTotp: boolean) {
  return html`<form method="post" action="/staff/login">
  ${csrfField(frame.csrf)}
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
