// The staff console's one shell: every staff page, the log-in and password pages included, is the
// shared layout with the console stylesheet and one menu built from the viewer's roles. Renderers
// take a ConsoleFrame (routes build it, src/http/route-helpers.ts) and give their own content only.

import type { StaffRole } from '../../modules/identity/index.js';
import type { Policy } from '../../modules/policy/index.js';
import { html, type SafeHtml } from '../../platform/html.js';
import { contactLinks, page } from '../layout.js';

/** The console's additions to vow.css, linked from every console page. */
const CONSOLE_STYLESHEET = '/assets/console.css';
/** The warning before the idle limit (console-idle.js), on every page of a logged-in staff member. */
export const IDLE_SCRIPT = '/assets/console-idle.js';

export interface ConsoleLink {
  readonly href: string;
  readonly label: string;
  /** The role that opens it ('any': every staff member); the privacy officer opens everything. */
  readonly role: StaffRole | 'any';
}

/** The console's menu, in order, each entry with the role its route declares. */
export const CONSOLE_LINKS: readonly ConsoleLink[] = [
  { href: '/staff', label: 'Dashboard', role: 'any' },
  { href: '/staff/people', label: 'People', role: 'customer_service' },
  { href: '/staff/requests', label: 'Requests', role: 'customer_service' },
  { href: '/staff/complaints', label: 'Complaints', role: 'customer_service' },
  { href: '/staff/suppressions', label: 'Suppressions', role: 'customer_service' },
  { href: '/staff/under13', label: 'Under-13 reports', role: 'privacy_officer' },
  { href: '/staff/appeals', label: 'Appeals', role: 'privacy_officer' },
  { href: '/staff/incidents', label: 'Incidents', role: 'privacy_officer' },
  { href: '/staff/audiences', label: 'Audiences', role: 'marketing' },
  { href: '/staff/experiments', label: 'Experiments', role: 'marketing' },
  { href: '/staff/reports', label: 'Reports', role: 'marketing' },
  { href: '/staff/audit', label: 'Audit trail', role: 'auditor' },
  { href: '/staff/records-of-processing', label: 'Record of processing', role: 'auditor' },
  { href: '/staff/accounts', label: 'Staff accounts', role: 'admin' },
  { href: '/staff/api-keys', label: 'API keys', role: 'admin' },
  { href: '/staff/downstream', label: 'Recipient tasks', role: 'privacy_officer' },
  { href: '/staff/webhooks', label: 'Webhooks', role: 'admin' },
  { href: '/staff/imports', label: 'Imports', role: 'admin' },
  { href: '/staff/policy', label: 'Policy', role: 'admin' },
];

/** Whether these roles open a link or section of `role`. */
export function opens(roles: readonly string[], role: StaffRole | 'any'): boolean {
  return role === 'any' ? roles.length > 0 : roles.includes(role) || roles.includes('privacy_officer');
}

/** The menu entries these roles open (none before log-in). */
export function consoleNav(roles: readonly string[]): { href: string; label: string }[] {
  return CONSOLE_LINKS.filter((l) => opens(roles, l.role)).map(({ href, label }) => ({ href, label }));
}

/**
 * What every console page needs besides its content: the policy (the controller the layout names),
 * the viewer's roles (the menu; none on the log-in page) and the anti-forgery token of its forms.
 */
export interface ConsoleFrame {
  readonly policy: Policy;
  readonly roles: readonly string[];
  readonly csrf: string;
  /** Who is signed in (a staff session; none for the log-in page or a bearer caller). */
  readonly username?: string | undefined;
}

export interface ConsolePage {
  readonly title: string;
  /** The menu entry the page sits under (a request's page under Requests); none for log-in. */
  readonly section?: string;
  readonly body: SafeHtml;
  /** Scripts of the page (same-origin paths under /assets/; the CSP forbids inline script). */
  readonly scripts?: readonly string[];
}

export function consolePage(frame: ConsoleFrame, p: ConsolePage): string {
  // A logged-in page (it has a menu and its session's token) warns before the idle limit.
  const idle = frame.roles.length > 0 && frame.csrf !== '';
  const scripts = [...(p.scripts ?? []), ...(idle ? [IDLE_SCRIPT] : [])];
  return page({
    title: p.title,
    policy: frame.policy,
    nav: consoleNav(frame.roles),
    home: '/staff',
    footer: staffFooter(frame.policy),
    ...(idle ? { headerExtra: account(frame.username, frame.csrf) } : {}),
    stylesheets: [CONSOLE_STYLESHEET],
    body: idle
      ? html`${p.body}
${idleWarning(frame.csrf)}`
      : p.body,
    ...(p.section ? { current: p.section } : {}),
    ...(scripts.length ? { scripts } : {}),
  });
}

/**
 * Who is signed in and the way out, in the header of every page of a staff session (the log-out
 * was only at the foot of the dashboard).
 */
function account(username: string | undefined, csrf: string): SafeHtml {
  return html`<form class="console-account" method="post" action="/staff/logout" data-testid="console-account">
  ${csrfField(csrf)}${username ? html`<span class="small">Signed in as <strong><bdi>${username}</bdi></strong></span>` : ''}
  <button type="submit" class="secondary">Log out</button>
</form>`;
}

/**
 * The console's footer speaks to staff: where shoppers reach the privacy team (what customer service
 * tells a caller), not the shopper's "Questions about your privacy?".
 */
function staffFooter(policy: Policy): SafeHtml {
  const c = policy.doc.controller;
  const { phone, email } = contactLinks(policy);
  return html`Shoppers reach ${c.name}'s privacy team at ${phone} and ${email}, or by post: ${c.postal_address}.`;
}

/**
 * The dialog console-idle.js shows before the idle limit (closed, so nothing without the script):
 * an alertdialog, named by its heading and described by its text, whose button extends the session.
 */
function idleWarning(csrf: string): SafeHtml {
  return html`<dialog id="idle-warning" class="idle-warning" role="alertdialog" aria-modal="true" aria-labelledby="idle-title" aria-describedby="idle-text" data-csrf="${csrf}" data-testid="idle-warning">
  <h2 id="idle-title" data-idle-title>You will be signed out soon</h2>
  <p id="idle-text" data-idle-text>You have not used the console for a while. To protect the data it shows, you will be signed out in 2 minutes.</p>
  <p><button type="button" data-idle-stay>Stay signed in</button> <button type="button" data-idle-close hidden>Close</button></p>
</dialog>`;
}

/** What a posted form says on the page it lands on; a refusal carries its stable error code. */
export interface ConsoleMessage {
  readonly ok: boolean;
  readonly text: string;
  readonly code?: string | undefined;
}

/** The message of a refused action: "Not done: " and why, with the code docs/errors.md explains. */
export function refused(error: { readonly code: string; readonly message: string }): ConsoleMessage {
  return { ok: false, text: `Not done: ${error.message}`, code: error.code };
}

/** A status line after a form was posted (announced by screen readers). */
export function flash(message: ConsoleMessage | undefined): SafeHtml | string {
  if (!message) return '';
  if (message.ok) return html`<p class="flash ok" role="status">${message.text}</p>`;
  return message.code
    ? html`<p class="flash bad" role="alert" data-code="${message.code}">${message.text} <span class="small">(error code <code>${message.code}</code>)</span></p>`
    : html`<p class="flash bad" role="alert">${message.text}</p>`;
}

/** The hidden anti-forgery field every console form carries. */
export function csrfField(csrf: string): SafeHtml {
  return html`<input type="hidden" name="_csrf" value="${csrf}">`;
}
