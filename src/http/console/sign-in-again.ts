// No lost work when a staff session lapses (idle, or past its 12 hours) under a form being filled
// in: the post answers with the log-in page instead of a refusal, and the form's fields are kept
// server-side for the session's owner (modules/identity/form-drafts.ts: sealed, 15 minutes, the key
// only in the page's hidden field, never in an address or a cookie). Logging in again through that
// page shows the form back, filled in, to send to where it was going with the new session's token.

import type { FastifyReply, FastifyRequest } from 'fastify';
import type { Services } from '../../app/services.js';
import {
  type ConsoleAddress,
  consoleReturnAddress,
  consoleReturnPath,
  type FormDraft,
} from '../../modules/identity/index.js';
import type { VowContext } from '../../modules/policy/index.js';
import { html, type SafeHtml } from '../../platform/html.js';
import { formToken } from '../access.js';
import { refusalOf, sendHtml } from '../route-helpers.js';
import { loginWays, renderStaffLoginPage } from './login.js';
import { type ConsoleFrame, consolePage, csrfField, IDLE_SCRIPT } from './shell.js';
import { silentReauth } from './sso-start.js';

/** Most fields a kept form may have, and characters in all (a console form is far smaller). */
const MAX_FIELDS = 200;
const MAX_CHARS = 64 * 1024;

/** Where a kept form may be sent back to: a console address only. */
export function isConsoleTarget(target: string): boolean {
  return /^\/staff(\/[^\s\\]*)?$/.test(target) && !target.startsWith('//');
}

/**
 * Fields that hold a secret (the password page's current and new password, a second factor's code):
 * a form with one is never kept, as it would be stored and then shown back in clear on the page
 * after the log-in (security.md #51); the log-in page answers it as any other.
 */
const SECRET_FIELDS = new Set(['password', 'current', 'totp']);

/** A parsed urlencoded body as the fields to keep (the anti-forgery token left out), or undefined. */
function fieldsOf(body: unknown): FormDraft['fields'] | undefined {
  if (!body || typeof body !== 'object') return undefined;
  if (Object.keys(body).some((name) => SECRET_FIELDS.has(name))) return undefined;
  const fields: Record<string, string | string[]> = {};
  let count = 0;
  let chars = 0;
  for (const [name, value] of Object.entries(body as Record<string, unknown>)) {
    if (name === '_csrf') continue;
    const values = Array.isArray(value) ? value : [value];
    if (!values.every((v): v is string => typeof v === 'string')) return undefined;
    count += values.length;
    chars += name.length + values.reduce((n, v) => n + v.length, 0);
    if (count > MAX_FIELDS || chars > MAX_CHARS) return undefined;
    fields[name] = Array.isArray(value) ? values : (values[0] ?? '');
  }
  return fields;
}

/**
 * The answer to a console form posted with a staff cookie whose session lapsed (access.ts,
 * AccessOptions.lapsedStaffForm): the log-in page (401), the form kept when the cookie's session
 * lapsed rather than ended (a log-out, a disabled account and a changed password keep nothing).
 */
export function lapsedStaffFormAnswer(ctx: VowContext, services: Services) {
  const { sessions, drafts, cookies } = services.identity;
  const ways = loginWays(ctx.config);
  const page = lapsedPageAnswer(ctx, services);
  const silent = silentReauth(ctx, services);
  return async (req: FastifyRequest, reply: FastifyReply): Promise<unknown> => {
    if (req.method === 'GET') return page(req, reply);
    const token = req.cookies[cookies.session.staff];
    // A session waiting for its silent re-authentication (sso-silent.ts) keeps its owner's form too.
    const owner = token
      ? ((await silent.due(req))?.staffId ?? (await sessions.lapsedStaffOwner(token)))
      : undefined;
    const fields = owner && isConsoleTarget(req.url) ? fieldsOf(req.body) : undefined;
    const draft = owner && fields ? await drafts.keep(owner, { target: req.url, fields }) : undefined;
    const frame: ConsoleFrame = { policy: ctx.policy, roles: [], csrf: formToken(ctx, '/staff/login') };
    const idleMinutes = Math.round(ctx.config.staffIdleMs / 60_000);
    const ssoCsrf = draft ? formToken(ctx, '/staff/sso') : undefined;
    return sendHtml(
      reply,
      renderStaffLoginPage(frame, ways, undefined, false, { draft, idleMinutes }, { ssoCsrf }),
      401,
    );
  };
}

/**
 * The answer to a console page asked for with a query string and no live staff session (a list's
 * filters and position; access.ts answers a plain path with a redirect to /staff/login?next=): the
 * log-in page in its place (401, its address unchanged), the whole address kept server-side
 * (identity/kept-addresses.ts) for the lapsed session's owner, or for whoever signs in through this
 * page when the browser had no session at all (a bookmark); the page's hidden field alone holds the
 * key. A query too long, or too many kept, is not kept: the page says so and the path comes back.
 */
function lapsedPageAnswer(ctx: VowContext, services: Services) {
  const { sessions, addresses, cookies } = services.identity;
  const ways = loginWays(ctx.config);
  const silent = silentReauth(ctx, services);
  return async (req: FastifyRequest, reply: FastifyReply): Promise<unknown> => {
    const frame: ConsoleFrame = { policy: ctx.policy, roles: [], csrf: formToken(ctx, '/staff/login') };
    let address: ConsoleAddress | undefined;
    try {
      address = consoleReturnAddress(req.url);
    } catch (err) {
      // A control character: refused (400, VOW_VALIDATION) as at every edge, nothing kept; the log-in
      // still leads back to the list itself.
      const { error, status } = refusalOf(err);
      const issues = (error.details as { issues?: { path: string }[] } | undefined)?.issues ?? [];
      const names = issues.map((i) => i.path.slice(1)).join(', ');
      const message = `The address’s filters hold a control character (${names}): they are refused, and not kept. Log in to open the list without them.`;
      const way = { next: consoleReturnPath(req.url), code: error.code };
      return sendHtml(reply, renderStaffLoginPage(frame, ways, message, false, undefined, way), status);
    }
    if (!address) {
      // A query of nothing but separators (`?&`): the path alone, as access.ts sends one.
      const next = consoleReturnPath(req.url);
      return reply.redirect(next ? `/staff/login?next=${encodeURIComponent(next)}` : '/staff/login', 303);
    }
    const token = req.cookies[cookies.session.staff];
    const due = await silent.due(req);
    const owner = due?.staffId ?? (token ? await sessions.lapsedStaffOwner(token) : undefined);
    const kept = await addresses.keep(owner, address);
    const back = 'token' in kept ? kept.token : undefined;
    // A session waiting for its silent re-authentication: through the provider, back to the address.
    if (due && (await silent.go(reply, due.sessionId, { back, next: consoleReturnPath(req.url) })))
      return reply;
    return sendHtml(
      reply,
      renderStaffLoginPage(frame, ways, undefined, false, undefined, {
        next: address.path,
        back,
        notKept: 'notKept' in kept ? kept.notKept : undefined,
        ssoCsrf: back ? formToken(ctx, '/staff/sso') : undefined,
      }),
      401,
    );
  };
}

/**
 * A field's name as words, until the page's script puts the page's own label back: `dataCategories`
 * and `data_categories` read "Data categories".
 */
export function wordsOf(name: string): string {
  const words = name
    .replace(/([a-z0-9])([A-Z])/g, '$1 $2')
    .replace(/[_\-.[\]]+/g, ' ')
    .trim()
    .toLowerCase();
  return words ? words[0]!.toUpperCase() + words.slice(1) : name;
}

/**
 * One field of a kept form, shown to edit: a text area for long or multi-line text. Its label is the
 * name as words; console-idle.js replaces it with the label the field had on its page (recorded in
 * the tab's sessionStorage as the form was sent: labels only, never values).
 */
function fieldControl(name: string, value: string, id: string): SafeHtml {
  const long = value.length > 80 || value.includes('\n');
  return html`<p><label for="${id}" data-field="${name}">${wordsOf(name)}</label>${
    long
      ? html`<textarea id="${id}" name="${name}" rows="6">${value}</textarea>`
      : html`<input id="${id}" name="${name}" value="${value}">`
  }</p>`;
}

/**
 * The form kept across the new log-in, filled in as it was sent, posting to where it was going with
 * the new session's token. The fields are shown under their page's own labels when this tab sent
 * the form (console-idle.js), else their names as words; "Do not send" leaves it (it is already
 * deleted from the store).
 */
export function renderKeptFormPage(frame: ConsoleFrame, draft: FormDraft): string {
  let n = 0;
  const controls = Object.entries(draft.fields).flatMap(([name, value]) =>
    (typeof value === 'string' ? [value] : value).map((v) => fieldControl(name, v, `kept-${++n}`)),
  );
  return consolePage(frame, {
    title: 'Send your form',
    scripts: [IDLE_SCRIPT],
    body: html`<h1>Send your form</h1>
<div class="flash" role="status" data-testid="form-restored"><p>You are logged in again. This is the form you sent when your session had ended, as you typed it: check it and send it.</p></div>
<p class="small" data-kept-page hidden></p>
<form method="post" action="${draft.target}" data-testid="kept-form" data-kept-form>
  ${csrfField(frame.csrf)}
  <p class="small">It goes to <code>${draft.target}</code>.</p>
  ${controls}
  <p><button type="submit">Send</button> <a href="/staff">Do not send: go to the dashboard</a></p>
</form>`,
  });
}
