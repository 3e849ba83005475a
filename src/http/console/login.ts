// The staff console's log-in page (an empty menu: no roles yet) and the page where a staff member
// replaces the one-time password of their first log-in.
import { html } from '../../platform/html.js';
import { type ConsoleFrame, consolePage, csrfField } from './shell.js';

export function renderStaffLoginPage(frame: ConsoleFrame, error?: string, askTotp = false): string {
  return consolePage(frame, {
    title: 'Staff log in',
    body: html`<h1>Staff log in</h1>
${error ? html`<p class="flash bad" role="alert">${error}</p>` : ''}
<form method="post" action="/staff/login">
  ${csrfField(frame.csrf)}
  <p><label for="username">User name</label><input id="username" name="username" autocomplete="username" required></p>
  <p><label for="password">Password</label><input id="password" name="password" type="password" autocomplete="current-password" required></p>
  <p><label for="totp">6-digit code${askTotp ? '' : ' (only if your account has one)'}</label><input id="totp" name="totp" inputmode="numeric" pattern="[0-9]{6}" autocomplete="one-time-code"${askTotp ? html` required` : ''}></p>
  <p><button type="submit">Log in</button></p>
</form>`,
  });
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
