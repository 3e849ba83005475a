// Staff accounts for the admin: who has which roles, and a form to add someone (their one-time
// password is shown once, to be changed at their first log-in).

import { STAFF_ROLES } from '../../modules/identity/index.js';
import { html } from '../../platform/html.js';
import { secondaryToneClass } from './confirm.js';
import { type ConsoleFrame, consolePage, csrfField, flash } from './shell.js';

export interface StaffRow {
  readonly id: string;
  readonly username: string;
  readonly roles: readonly string[];
  readonly disabled: boolean;
  readonly mustChangePassword: boolean;
  readonly totp: boolean;
  readonly createdAt: string;
}

export function renderStaffAccounts(
  frame: ConsoleFrame,
  accounts: readonly StaffRow[],
  added?: { username: string; password: string },
  message?: { ok: boolean; text: string },
  /** The viewer's staff id: their own row offers neither Disable nor a roles form (both refused). */
  viewerId?: string,
): string {
  const csrf = frame.csrf;
  // Disabling or enabling a privacy officer takes a privacy officer (the staff service refuses others).
  const officer = frame.roles.includes('privacy_officer');
  return consolePage(frame, {
    title: 'Staff accounts',
    section: '/staff/accounts',
    body: html`<h1>Staff accounts</h1>
${flash(message)}
${
  added
    ? html`<div class="flash ok" role="status" data-testid="one-time-password"><p><strong>${added.username}</strong> was added. Their one-time password (shown only now; they choose their own at first log-in):</p><p><code>${added.password}</code></p></div>`
    : ''
}
<div class="scroll" tabindex="0"><table class="stack" data-testid="staff-accounts">
  <thead><tr><th scope="col">User name</th><th scope="col">Roles</th><th scope="col">State</th><th scope="col">Second factor</th><th scope="col">Added</th><th scope="col"><span class="visually-hidden">Action</span></th></tr></thead>
  <tbody>${accounts.map(
    (a) =>
      html`<tr><th scope="row">${a.username}</th><td data-label="Roles">${a.roles.map((r) => r.replace(/_/g, ' ')).join(', ')}</td><td data-label="State">${a.disabled ? 'disabled' : a.mustChangePassword ? 'waiting for first log-in' : 'active'}</td><td data-label="Second factor">${a.totp ? 'yes' : 'no'}</td><td data-label="Added">${a.createdAt.slice(0, 10)}</td><td data-label="Action">${
        a.id === viewerId
          ? html`<span class="small" data-testid="own-account">You: another administrator disables or enables your account</span>`
          : a.roles.includes('privacy_officer') && !officer
            ? html`<span class="small" data-testid="officer-only-${a.username}">Only a privacy officer can ${a.disabled ? 'enable' : 'disable'} this account</span>`
            : html`<form method="post" action="/staff/accounts/state" class="inline">
  ${csrfField(csrf)}<input type="hidden" name="username" value="${a.username}"><input type="hidden" name="disabled" value="${a.disabled ? 'no' : 'yes'}">
  <button type="submit"${secondaryToneClass(a.disabled ? 'proceed' : 'destructive')} data-tone="${a.disabled ? 'proceed' : 'destructive'}">${a.disabled ? 'Enable' : 'Disable'}<span class="visually-hidden"> ${a.username}</span></button>
</form>`
      }</td></tr>`,
  )}</tbody>
</table></div>
<h2 id="roles-h">Change someone's roles</h2>
<p>Roles open pages: privacy officer (everything), customer service (people, requests, complaints, suppressions), marketing (audiences, experiments, reports), auditor (the audit trail), admin (staff accounts, webhooks, imports). You cannot change your own roles, and an admin cannot make, disable or enable a privacy officer.</p>
${accounts
  .filter((a) => a.id !== viewerId)
  .map(
    (
      a,
    ) => html`<form method="post" action="/staff/accounts/roles" class="action" data-testid="roles-${a.username}" aria-labelledby="roles-${a.id}">
  <h3 id="roles-${a.id}">${a.username}</h3>
  ${csrfField(csrf)}<input type="hidden" name="username" value="${a.username}">
  <fieldset><legend>Roles of ${a.username}</legend>
  ${STAFF_ROLES.map(
    (r) =>
      html`<p class="check"><input type="checkbox" id="r-${a.id}-${r}" name="roles" value="${r}"${a.roles.includes(r) ? html` checked` : ''}><label for="r-${a.id}-${r}">${r.replace(/_/g, ' ')}</label></p>`,
  )}
  </fieldset>
  <p><button type="submit" class="secondary">Save the roles of ${a.username}</button></p>
</form>`,
  )}
<h2 id="add-h">Add a staff member</h2>
<form method="post" action="/staff/accounts" aria-labelledby="add-h">
  ${csrfField(csrf)}
  <p><label for="username">User name</label><input id="username" name="username" required minlength="2" maxlength="64" autocomplete="off"></p>
  <fieldset><legend>Roles</legend>
  ${STAFF_ROLES.map(
    (r) =>
      html`<p class="check"><input type="checkbox" id="role-${r}" name="roles" value="${r}"><label for="role-${r}">${r.replace(/_/g, ' ')}</label></p>`,
  )}
  </fieldset>
  <p><button type="submit">Add</button></p>
</form>`,
  });
}
