// The console's shell: the navigation a staff member's roles open, and the page wrapper every
// console page uses (the shared layout plus the console stylesheet; no inline script or style).

import type { StaffRole } from '../../modules/identity/index.js';
import type { Policy } from '../../modules/policy/index.js';
import { html, type SafeHtml } from '../../platform/html.js';
import { page } from '../layout.js';

export interface ConsoleLink {
  readonly href: string;
  readonly label: string;
  /** The role that opens it ('any': every staff member); the privacy officer opens everything. */
  readonly role: StaffRole | 'any';
}

/** Every console page, in navigation order, with the role its route declares. */
export const CONSOLE_LINKS: readonly ConsoleLink[] = [
  { href: '/staff', label: 'Dashboard', role: 'any' },
  { href: '/staff/people', label: 'People', role: 'customer_service' },
  { href: '/staff/requests', label: 'Requests', role: 'customer_service' },
  { href: '/staff/complaints', label: 'Complaints', role: 'customer_service' },
  { href: '/staff/audiences', label: 'Audiences', role: 'marketing' },
  { href: '/staff/experiments', label: 'Experiments', role: 'marketing' },
  { href: '/staff/reports', label: 'Reports', role: 'marketing' },
  { href: '/staff/audit', label: 'Audit trail', role: 'auditor' },
  { href: '/staff/accounts', label: 'Staff accounts', role: 'admin' },
];

/** Whether these roles open a link or section of `role`. */
export function opens(roles: readonly string[], role: StaffRole | 'any'): boolean {
  return role === 'any' ? roles.length > 0 : roles.includes(role) || roles.includes('privacy_officer');
}

export function consoleNav(roles: readonly string[]): { href: string; label: string }[] {
  return CONSOLE_LINKS.filter((l) => opens(roles, l.role)).map(({ href, label }) => ({ href, label }));
}

export interface ConsolePage {
  readonly title: string;
  readonly policy: Policy;
  readonly roles: readonly string[];
  readonly current: string;
  readonly body: SafeHtml;
}

export function consolePage(o: ConsolePage): string {
  return page({
    title: o.title,
    policy: o.policy,
    nav: consoleNav(o.roles),
    current: o.current,
    body: html`<link rel="stylesheet" href="/assets/console.css">
${o.body}`,
  });
}

/** A status line after a form was posted (announced by screen readers). */
export function flash(message: { ok: boolean; text: string } | undefined): SafeHtml | string {
  if (!message) return '';
  return message.ok
    ? html`<p class="flash ok" role="status">${message.text}</p>`
    : html`<p class="flash bad" role="alert">${message.text}</p>`;
}

/** The hidden anti-forgery field every console form carries. */
export function csrfField(csrf: string): SafeHtml {
  return html`<input type="hidden" name="_csrf" value="${csrf}">`;
}
