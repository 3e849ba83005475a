// The page a browser gets instead of a JSON error body: what happened in plain words, the status,
// and a way back. Serves shopper pages and, by its `home` choice, the staff console too (a path
// under /staff leads back to the console). API clients keep the JSON body (decided by Accept).
import type { FastifyRequest } from 'fastify';
import type { Policy } from '../../modules/policy/index.js';
import type { VowError } from '../../platform/errors.js';
import { html, type SafeHtml } from '../../platform/html.js';
import { type Catalog, DEFAULT_LOCALE, type Locale } from '../../platform/i18n/index.js';
import { page } from '../layout.js';
import { refusalText } from '../refusal-text.js';
import { pageLocale } from '../route-helpers.js';
import { mediaTypeOf } from '../route-hooks.js';
import { ANONYMOUS, languageSwitch, shopperNav, viewerOf } from './shopper-layout.js';

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

interface ErrorWords {
  readonly notFound: Wording;
  readonly logIn: Wording;
  readonly notAllowed: string;
  readonly wait: string;
  readonly badLink: Wording;
  readonly fault: Wording;
  readonly formNotSent: string;
  formNotSentText(message: string): string;
  readonly didNotWork: string;
  errorLine(status: number): SafeHtml;
  /** A shopper's line: the reference to quote (a status number means nothing to them). */
  quote(code: SafeHtml): SafeHtml;
  readonly back: string;
  readonly request: string;
  readonly myData: string;
  readonly logInLink: string;
}

/** Shopper error pages in a translated locale (English pages keep the wording below). */
const WORDS: Catalog<ErrorWords> = {
  'en-US': {
    notFound: { title: 'Page not found', text: '' },
    logIn: { title: 'Please log in', text: 'This page is for signed-in visitors: log in and try again.' },
    notAllowed: 'Not allowed',
    wait: 'Please wait',
    badLink: { title: 'This link is not valid', text: '' },
    fault: { title: 'Something went wrong', text: '' },
    formNotSent: 'Your form was not sent',
    formNotSentText: (m) => `${m}. Go back to the form, reload it and send it again.`,
    didNotWork: 'That did not work',
    errorLine: (status) => html`Error ${status} · reference`,
    quote: (code) => html`If you contact us about this, quote the reference ${code}.`,
    back: 'Back to the privacy notice',
    request: 'Make a privacy request',
    myData: 'My data',
    logInLink: 'Log in',
  },
  'es-US': {
    notFound: {
      title: 'Página no encontrada',
      text: 'No hay ninguna página en esta dirección. Puede estar mal escrita, o un enlace de un correo puede haberse cortado: abra el enlace completo desde el correo.',
    },
    logIn: {
      title: 'Inicie sesión',
      text: 'Esta página es para visitantes con la sesión iniciada: inicie sesión y vuelva a intentarlo.',
    },
    notAllowed: 'No permitido',
    wait: 'Espere un momento',
    badLink: {
      title: 'Este enlace no es válido',
      text: 'La dirección está incompleta o mal escrita. Si le llegó por correo, abra el enlace completo desde el correo (algunos programas de correo cortan los enlaces largos).',
    },
    fault: {
      title: 'Algo salió mal',
      text: 'No pudimos completar esto. No se perdió nada por su parte: vuelva a intentarlo en un minuto.',
    },
    formNotSent: 'Su formulario no se envió',
    formNotSentText: (m) => `${m}. Vuelva al formulario, recárguelo y envíelo de nuevo.`,
    didNotWork: 'No se pudo completar',
    errorLine: (status) => html`Error ${status} · referencia`,
    quote: (code) => html`Si se comunica con nosotros por esto, indique la referencia ${code}.`,
    back: 'Volver al aviso de privacidad',
    request: 'Hacer una solicitud de privacidad',
    myData: 'Mis datos',
    logInLink: 'Iniciar sesión',
  },
};

/** A shopper error page's wording in a translated locale. */
function translatedWording(status: number, error: VowError, formPost: boolean, locale: Locale): Wording {
  const w = WORDS[locale];
  const said = refusalText(error, status, locale);
  if (status === 404)
    return error.code === 'VOW_NOT_FOUND' && error.message.startsWith('No route')
      ? w.notFound
      : { title: w.notFound.title, text: said };
  if (status === 401) return w.logIn;
  if (status === 403) return { title: w.notAllowed, text: said };
  if (status === 429) return { title: w.wait, text: said };
  if (status === 400 && error.code === 'VOW_VALIDATION' && !formPost) return w.badLink;
  if (status >= 500) return w.fault;
  return formPost
    ? { title: w.formNotSent, text: w.formNotSentText(said) }
    : { title: w.didNotWork, text: said };
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
  /** The shopper's language (staff pages stay in English). */
  readonly locale?: Locale;
}

/** Links that lead somewhere useful from an error: home, and the pages a person most likely wanted. */
function waysBack(staff: boolean, signedIn: boolean, locale: Locale): SafeHtml {
  const t = WORDS[locale];
  const links = staff
    ? [
        { href: '/staff', label: 'Back to the console' },
        { href: '/staff/login', label: 'Staff log-in' },
      ]
    : [
        { href: '/privacy', label: t.back },
        { href: '/privacy/request', label: t.request },
        signedIn ? { href: '/account/my-data', label: t.myData } : { href: '/login', label: t.logInLink },
      ];
  return html`<ul class="ways-back" data-testid="ways-back">${links.map((l) => html`<li><a href="${l.href}">${l.label}</a></li>`)}</ul>`;
}

export function renderErrorPage(policy: Policy, e: ErrorPageInput): string {
  const staff = e.path.startsWith('/staff');
  const locale = staff ? DEFAULT_LOCALE : (e.locale ?? DEFAULT_LOCALE);
  const w =
    locale === DEFAULT_LOCALE
      ? wording(e.status, e.error, staff, e.formPost === true)
      : translatedWording(e.status, e.error, e.formPost === true, locale);
  const body = html`<section class="status-page" aria-labelledby="error-title" data-testid="error-page" data-status="${e.status}">
<h1 id="error-title">${w.title}</h1>
<p class="flash bad" role="alert" data-code="${e.error.code}">${w.text}</p>
<p class="small">${staff ? html`${WORDS[locale].errorLine(e.status)} <code>${e.error.code}</code>` : WORDS[locale].quote(html`<code>${e.error.code}</code>`)}</p>
${waysBack(staff, e.signedIn === true, locale)}
</section>`;
  return page({
    title: w.title,
    policy,
    body,
    ...(staff
      ? { home: '/staff' }
      : {
          locale,
          nav: shopperNav({ signedIn: e.signedIn === true, locale }),
          headerExtra: languageSwitch({ ...ANONYMOUS, signedIn: e.signedIn === true, locale, path: e.path }),
          bodyClass: 'shopper',
        }),
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
      locale: pageLocale(req),
    });
}
