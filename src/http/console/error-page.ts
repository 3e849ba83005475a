// The console's error pages: a browser under /staff that hits a refusal (a role it lacks, a
// mistyped address, a form that could not be accepted) gets a page in the console shell, with its
// menu and a way back, instead of JSON. A staff member missing a role is told which role the page
// needs and who can grant it: an admin (a fresh first admin holds only that role) is sent to the
// staff accounts page to grant it. API clients keep the JSON body (src/http/errors.ts decides).

import type { FastifyRequest } from 'fastify';
import type { Services } from '../../app/services.js';
import type { VowContext } from '../../modules/policy/index.js';
import type { VowError } from '../../platform/errors.js';
import { html, type SafeHtml } from '../../platform/html.js';
import { consoleFrame } from '../route-helpers.js';
import { routeConfig } from '../route-hooks.js';
import { type BadAddress, badAddress, listOf } from './bad-address.js';
import type { FilterRefusal } from './filter-refusal.js';
import { consolePage, opens } from './shell.js';

const ROLE_WORDS: Record<string, string> = {
  privacy_officer: 'privacy officer',
  customer_service: 'customer service',
  marketing: 'marketing',
  auditor: 'auditor',
  admin: 'admin',
  any: 'any staff role',
};

/** The staff member behind the session cookie, for a page the access check never ran on (a 404). */
async function rolesOf(req: FastifyRequest, services: Services): Promise<readonly string[]> {
  const p = req.principal;
  if (p?.kind === 'staff') return p.mustChangePassword ? [] : p.roles;
  if (p?.kind === 'test') return p.roles;
  // An address the router refused never reached the cookie parser (its hooks did not run).
  const cookies =
    req.cookies ??
    (req.server as { parseCookie?: (header: string) => Record<string, string | undefined> }).parseCookie?.(
      req.headers.cookie ?? '',
    );
  const token = cookies?.[services.identity.cookies.session.staff];
  if (!token) return [];
  const session = await services.identity.sessions.lookup(token, 'staff', 'cookie');
  const found = session ? await services.identity.staff.principalFor(session) : null;
  return found?.kind === 'staff' && !found.mustChangePassword ? found.roles : [];
}

function advice(error: VowError, roles: readonly string[], needs: string | undefined): SafeHtml {
  switch (error.code) {
    case 'VOW_FORBIDDEN': {
      const role = ROLE_WORDS[needs ?? ''] ?? needs ?? 'another role';
      const held = roles.length ? roles.map((r) => ROLE_WORDS[r] ?? r).join(', ') : 'no role yet';
      return html`<p>This page is for staff holding the <strong>${role}</strong> role. You hold: ${held}.</p>
${
  opens(roles, 'admin')
    ? html`<p data-testid="admin-hint">As an admin, you can give a role to yourself or a colleague on <a href="/staff/accounts">Staff accounts</a>. A fresh Vow has only you: add the privacy officer and the customer service team there first.</p>`
    : html`<p>Ask an admin to give you the role if your work needs it.</p>`
}`;
    }
    case 'VOW_UNAUTHENTICATED':
      return html`<p>Your session has ended. <a href="/staff/login">Log in again</a>.</p>`;
    case 'VOW_PASSWORD_CHANGE_REQUIRED':
      return html`<p>Choose your own password first: <a href="/staff/password">change your one-time password</a>.</p>`;
    case 'VOW_CSRF':
      return html`<p>The form was open too long or in another tab. Go back, reload the page and send it again.</p>`;
    case 'VOW_NOT_FOUND':
      return html`<p>There is no console page at this address. Check the address, or use the menu above.</p>`;
    default:
      return html`<p>Go back and try again; if it keeps happening, tell the Vow operator the time it happened.</p>`;
  }
}

/**
 * A page's address it cannot read: each parameter at fault, what was sent and what the page takes,
 * and links onward (the page without them, the list unfiltered), in place of "Invalid request
 * querystring" with only a way to the dashboard.
 */
function addressAdvice(bad: BadAddress, status: number): SafeHtml {
  const fixes = [
    ...(bad.without && bad.without !== bad.list
      ? [
          html`<li><a href="${bad.without}" data-testid="address-without">Open this page without ${bad.problems.length > 1 ? 'them' : 'it'}</a></li>`,
        ]
      : []),
    html`<li><a href="${bad.list}" data-testid="address-list">${bad.list === '/staff' ? 'Back to the console dashboard' : html`${bad.listLabel}: the whole list, unfiltered`}</a></li>`,
  ];
  return html`<h1>Check the address</h1>
<div class="flash bad" role="alert" data-testid="console-error" data-code="VOW_VALIDATION" data-status="${String(status)}">
<p>This page's address holds something the page cannot use (a bookmark from an older version, a hand-edited filter or a link cut short):</p>
<ul data-testid="address-problems">${bad.problems.map(
    (p) =>
      html`<li data-name="${p.name}">${p.part === 'query' ? html`<code>${p.name}</code>` : p.name === 'address' ? 'The address' : html`The ${p.name} in the address`}${p.value ? html` <code><bdi>${p.value}</bdi></code>` : ''}: ${p.expected}.</li>`,
  )}</ul>
</div>
<ul class="ways-back" data-testid="ways-back">${fixes}</ul>`;
}

/**
 * A record's page (a request, a complaint, an incident, an import run, an experiment) whose id names
 * nothing: where to look for it, in place of "try again; tell the operator the time", which sent
 * staff holding a stale bookmark to the operator.
 */
function recordAdvice(req: FastifyRequest, status: number): SafeHtml | undefined {
  const route = req.routeOptions?.url;
  if (status !== 404 || !route?.includes('/:') || (req.method !== 'GET' && req.method !== 'HEAD'))
    return undefined;
  const list = listOf(req.url.split('?', 1)[0] ?? '/staff');
  return html`<p data-testid="record-advice">The address names something Vow does not hold: the link may be cut short or mistyped, or come from another Vow's console.</p>
<ul class="ways-back" data-testid="ways-back"><li><a href="${list.href}" data-testid="record-list">${list.href === '/staff' ? 'Back to the console dashboard' : html`${list.label}: find it in the list`}</a></li></ul>`;
}

const TITLES: Record<number, string> = {
  401: 'Log in to continue',
  403: 'Not open to your role',
  404: 'Page not found',
  409: 'Not done',
  429: 'Please wait',
};

/** The router's own refusal of the address (no route matched it), or undefined. */
function routerMessage(req: FastifyRequest, error: VowError): string | undefined {
  return req.routeOptions?.url === undefined
    ? error.message
        .replace(/^A part of the address is/, 'a part of it is')
        .replace(/^The address holds/, 'it holds')
    : undefined;
}

/**
 * A list's filters it could not use, for a list that shows itself instead (`config.filterPage`):
 * only query parameters at fault, and the rest of the query read by the route's own schema.
 */
function listRefusal(req: FastifyRequest, bad: BadAddress): FilterRefusal | undefined {
  if (!routeConfig(req)?.filterPage || bad.problems.some((p) => p.part !== 'query')) return undefined;
  const schema = (req.routeOptions?.schema as { querystring?: unknown } | undefined)?.querystring as
    | { safeParse(v: unknown): { success: boolean; data?: unknown } }
    | undefined;
  const names = new Set(bad.problems.map((p) => p.name));
  const rest = Object.fromEntries(
    Object.entries((req.query ?? {}) as Record<string, unknown>).filter(([k]) => !names.has(k)),
  );
  const parsed = schema?.safeParse(rest);
  if (!parsed?.success) return undefined;
  return {
    problems: new Map(bad.problems.map((p) => [p.name, p])),
    query: (parsed.data ?? {}) as Record<string, unknown>,
    without: bad.without ?? bad.list,
    list: bad.list,
  };
}

/** Builds the console's error page for the error handler (and the not-found handler). */
export function consoleErrorPage(ctx: VowContext, services: Services) {
  return async (req: FastifyRequest, error: VowError, status: number): Promise<string> => {
    const roles = await rolesOf(req, services);
    const needs = routeConfig(req)?.access?.replace(/^staff:/, '');
    const frame = { ...consoleFrame(ctx, req), roles };
    const bad = error.code === 'VOW_VALIDATION' ? badAddress(req, routerMessage(req, error)) : undefined;
    const filtered = bad && listRefusal(req, bad);
    if (filtered) {
      const page = routeConfig(req)?.filterPage;
      if (page) return page(req, filtered);
    }
    if (bad) return consolePage(frame, { title: 'Check the address', body: addressAdvice(bad, status) });
    const record = recordAdvice(req, status);
    const title = record
      ? 'Not found'
      : (TITLES[status] ?? (status >= 500 ? 'Something went wrong' : 'Not done'));
    return consolePage(frame, {
      title,
      body: html`<h1>${title}</h1>
<div class="flash bad" role="alert" data-testid="console-error" data-code="${error.code}" data-status="${String(status)}"><p>${error.message}</p></div>
${record ?? advice(error, roles, needs)}
<p><a href="${roles.length ? '/staff' : '/staff/login'}">${roles.length ? 'Back to the console dashboard' : 'Go to the staff log-in'}</a></p>`,
    });
  };
}
