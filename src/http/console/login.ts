// The staff console's log-in page (an empty menu: no roles yet) and the page where a staff member
// replaces the one-time password of their first log-in.
import { KEPT_QUERY_MAX, type NotKept } from '../../modules/identity/index.js';
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
 * The way back a log-in page carries. `next`: the console path to return to once logged in
 * (identity's consoleReturnPath checked it); `back`: the token of the whole address kept server-side
 * (identity/kept-addresses.ts), `notKept` why it was not; `ssoCsrf`: the token of the single sign-on
 * form, shown instead of the plain link when a kept form's or address's token must ride along (a
 * post: never in an address).
 */
export interface WayBack {
  readonly next?: string | undefined;
  readonly back?: string | undefined;
  readonly notKept?: NotKept | undefined;
  readonly ssoCsrf?: string | undefined;
  /** The stable code of the refusal the page's error says (on its flash, for scripts and tests). */
  readonly code?: string | undefined;
}

/** The log-in page (`lapsed`: it answers a form sent after the session lapsed). */
export function renderStaffLoginPage(
  frame: ConsoleFrame,
  ways: LoginWays,
  error?: string,
  askTotp = false,
  lapsed?: LapsedForm,
  way: WayBack = {},
): string {
  const carried = { draft: lapsed?.draft, back: way.back, next: way.next };
  return consolePage(frame, {
    title: 'Staff log in',
    body: html`<h1>Staff log in</h1>
${lapsed ? lapsedNotice(lapsed, ways) : ''}
${way.notKept ? notKeptNotice(way.notKept) : ''}
${error ? html`<p class="flash bad" role="alert"${way.code ? html` data-code="${way.code}"` : ''}>${error}</p>` : ''}
${ways.sso ? ssoWay(carried, way.ssoCsrf) : ''}
${ways.password ? passwordForm(frame, askTotp, carried) : ''}`,
  });
}

/** Why the page's filters will not come back: the list itself does. */
function notKeptNotice(why: NotKept) {
  const reason =
    why === 'too_long'
      ? `its address is too long to keep (over ${String(KEPT_QUERY_MAX)} characters of filters)`
      : 'too many pages are waiting for a log-in just now';
  return html`<div class="flash" role="status" data-testid="address-not-kept" data-reason="${why}"><p>After you log in you come back to this list, but without its filters and position: ${reason}.</p></div>`;
}

/** What a log-in form carries to the page after it: a kept form's and a kept address's tokens, the path. */
export interface Carried {
  readonly draft: string | undefined;
  readonly back: string | undefined;
  readonly next: string | undefined;
}

/** The hidden fields of what a form carries (each only when there is one). */
export function carriedFields(carried: Carried) {
  const field = (name: string, value: string | undefined) =>
    value ? html`\n  <input type="hidden" name="${name}" value="${value}">` : '';
  return html`${field('draft', carried.draft)}${field('back', carried.back)}${field('next', carried.next)}`;
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

/** Single sign-on: a link, or a form posting a kept form's or address's token (a secret stays out of addresses). */
function ssoWay(carried: Carried, csrf: string | undefined) {
  if ((carried.draft || carried.back) && csrf)
    return html`<form method="post" action="/staff/sso" data-testid="sso-form">
  ${csrfField(csrf)}${carriedFields(carried)}
  <p><button type="submit" data-testid="sso-login">Sign in with single sign-on</button></p>
</form>`;
  const href = carried.next ? `/staff/sso?next=${encodeURIComponent(carried.next)}` : '/staff/sso';
  return html`<p><a class="button" href="${href}" data-testid="sso-login">Sign in with single sign-on</a></p>`;
}

function passwordForm(frame: ConsoleFrame, askTotp: boolean, carried: Carried) {
  return html`<form method="post" action="/staff/login">
  ${csrfField(frame.csrf)}${carriedFields(carried)}
  <p><label for="username">User name</label><input id="username" name="username" autocomplete="username" required></p>
  <p><label for="password">Password</label><input id="password" name="password" type="password" autocomplete="current-password" required></p>
  <p><label for="totp">6-digit code${askTotp ? '' : ' (only if your account has one)'}</label><input id="totp" name="totp" inputmode="numeric" pattern="[0-9]{6}" autocomplete="one-time-code"${askTotp ? html` required` : ''}></p>
  <p><button type="submit">Log in</button></p>
</form>`;
}

/**
 * The page where a staff member replaces their one-time password; `carried`: what their log-in page
 * carried (a kept form's and address's tokens, the path), handed on to the page after it.
 */
export function renderStaffPasswordPage(
  frame: ConsoleFrame,
  error?: string,
  carried: Partial<Carried> = {},
): string {
  return consolePage(frame, {
    title: 'Choose your password',
    body: html`<h1>Choose your password</h1>
<p>Replace the one-time password you were given with a password of your own (at least 12 characters).</p>
${error ? html`<p class="flash bad" role="alert">${error}</p>` : ''}
<form method="post" action="/staff/password">
  ${csrfField(frame.csrf)}${carriedFields({ draft: carried.draft, back: carried.back, next: carried.next })}
  <p><label for="current">Current (one-time) password</label><input id="current" name="current" type="password" autocomplete="current-password" required></p>
  <p><label for="password">New password</label><input id="password" name="password" type="password" autocomplete="new-password" minlength="12" required></p>
  <p><button type="submit">Save</button></p>
</form>`,
  });
}
