// The page a browser gets instead of a JSON error body: what happened in plain words, the status,
// and a way back. Serves shopper pages and, by its `home` choice, the staff console too (a path
// under /staff leads back to the console). API clients keep the JSON body (decided by Accept).
import type { FastifyRequest } from 'fastify';
import type { Policy } from '../../modules/policy/index.js';
import type { VowError } from '../../platform/errors.js';
import { html, type SafeHtml } from '../../platform/html.js';
import { page } from '../layout.js';
import { mediaTypeOf } from '../route-hooks.js';
import { shopperNav, viewerOf } from './shopper-layout.js';

/**
 * A browser asking for a page: its Accept names text/html before any JSON (a fetch() sends
 * `*\/*` and gets JSON), and the address is not the JSON API's.
 */
export function prefersHtml(req: FastifyRequest): boolean {
  const accept = (req.headers.accept ?? '').toLowerCase();
  const htmlAt = accept.indexOf('text/html');
  if (htmlAt < 0) return false;
  const jsonAt = accept.indexOf('application/json');
  if (jsonAt >= 0 && jsonAt < htmlAt) return false;
  if (mediaTypeOf(req) === 'application/x-www-form-urlencoded') return true;
  return !req.url.startsWith('/v1/') && req.method !== 'OPTIONS';
}

interface Wording {
  readonly title: string;
  readonly text: string;
}

function wording(status: number, error: VowError, staff: boolean, formPost: boolean): Wording {
  if (status === 404)
    return {
      title: 'Page not found',
      text:
        error.code === 'VOW_NOT_FOUND' && error.message.startsWith('No route')
          ? 'There is no page at this address. It may be mistyped, or a link in an email may have been cut short: open the whole link from the email.'
          : error.message,
    };
  if (status === 401)
    return { title: 'Please log in', text: 'This page is for signed-in visitors: log in and try again.' };
  if (status === 403)
    return {
      title: 'Not allowed',
      text: staff ? `${error.message}. Ask an administrator for the role this page needs.` : error.message,
    };
  if (status === 429) return { title: 'Please wait', text: error.message };
  if (status === 400 && error.code === 'VOW_VALIDATION' && !formPost)
    return {
      title: 'This link is not valid',
      text: 'The address is incomplete or mistyped. If it came in an email, open the whole link from the email (some mail programs cut long links short).',
    };
  if (status >= 500)
    return {
      title: 'Something went wrong',
      text: 'We could not complete this. Nothing was lost on your side: try again in a minute.',
    };
  return {
    title: formPost ? 'Your form was not sent' : 'That did not work',
    text: formPost ? `${error.message}. Go back to the form, reload it and send it again.` : error.message,
  };
}

export interface ErrorPageInput {
  readonly status: number;
  readonly error: VowError;
  /** The address that failed (only its path is used, to choose the way back). */
  readonly path: string;
  readonly formPost?: boolean;
  readonly signedIn?: boolean;
}

/** Links that lead somewhere useful from an error: home, and the pages a person most likely wanted. */
function waysBack(staff: boolean, signedIn: boolean): SafeHtml {
  const links = staff
    ? [
        { href: '/staff', label: 'Back to the console' },
        { href: '/staff/login', label: 'Staff log-in' },
      ]
    : [
        { href: '/privacy', label: 'Back to the privacy notice' },
        { href: '/privacy/request', label: 'Make a privacy request' },
        signedIn ? { href: '/account/my-data', label: 'My data' } : { href: '/login', label: 'Log in' },
      ];
  return html`<ul class="ways-back" data-testid="ways-back">${links.map((l) => html`<li><a href="${l.href}">${l.label}</a></li>`)}</ul>`;
}

export function renderErrorPage(policy: Policy, e: ErrorPageInput): string {
  const staff = e.path.startsWith('/staff');
  const w = wording(e.status, e.error, staff, e.formPost === true);
  const body = html`<section class="status-page" aria-labelledby="error-title" data-testid="error-page" data-status="${e.status}">
<h1 id="error-title">${w.title}</h1>
<p class="flash bad" role="alert" data-code="${e.error.code}">${w.text}</p>
<p class="small">Error ${e.status} · reference <code>${e.error.code}</code></p>
${waysBack(staff, e.signedIn === true)}
</section>`;
  return page({
    title: w.title,
    policy,
    body,
    ...(staff ? { home: '/staff' } : { nav: shopperNav({ signedIn: e.signedIn === true }) }),
  });
}

/** The renderer the error handler calls for a browser (see installErrorHandling). */
export function browserErrorPage(policy: Policy) {
  return (error: VowError, status: number, req: FastifyRequest): string =>
    renderErrorPage(policy, {
      status,
      error,
      path: req.url.split('?')[0] ?? '/',
      formPost: mediaTypeOf(req) === 'application/x-www-form-urlencoded',
      signedIn: viewerOf(req).signedIn,
    });
}
