// The shopper pages' frame around the common layout: one navigation for every shopper page (the
// notice, a privacy request, "Your Privacy Choices", and "My data" or "Log in" depending on whether
// the visitor is signed in), and the California opt-out icon drawn inline (no image request).
import type { FastifyRequest } from 'fastify';
import { html, raw, type SafeHtml } from '../../platform/html.js';
import { type PageOptions, page } from '../layout.js';

/** Who is looking at a shopper page: only whether a shopper session is open. */
export interface Viewer {
  readonly signedIn: boolean;
}

export const ANONYMOUS: Viewer = { signedIn: false };

export function viewerOf(req: FastifyRequest): Viewer {
  return { signedIn: req.principal?.kind === 'shopper' };
}

/**
 * The California Privacy Protection Agency's opt-out icon (a toggle: a check on white, a cross on
 * blue), decorative: the link's words say where it goes.
 */
export const PRIVACY_CHOICES_ICON: SafeHtml = raw(
  '<svg class="privacy-choices-icon" aria-hidden="true" focusable="false" viewBox="0 0 30 14" width="30" height="14">' +
    '<rect x="0.5" y="0.5" width="29" height="13" rx="6.5" fill="#fff" stroke="#0066ff"/>' +
    '<path d="M15 0.5h8a6.5 6.5 0 0 1 0 13h-11z" fill="#0066ff"/>' +
    '<path d="M5 7.2l2.2 2.2 4-4.6" fill="none" stroke="#0066ff" stroke-width="1.6" stroke-linecap="round" stroke-linejoin="round"/>' +
    '<path d="M18.6 4.6l4.8 4.8m0-4.8l-4.8 4.8" fill="none" stroke="#fff" stroke-width="1.6" stroke-linecap="round"/>' +
    '</svg>',
);

/** The "Your Privacy Choices" link: the preference centre, with the opt-out icon. */
export function privacyChoicesLink(testId = 'privacy-choices'): SafeHtml {
  return html`<a class="privacy-choices" href="/cookies/preferences" data-testid="${testId}">${PRIVACY_CHOICES_ICON}<span>Your Privacy Choices</span></a>`;
}

export function shopperNav(viewer: Viewer): { href: string; label: string | SafeHtml }[] {
  return [
    { href: '/privacy/request', label: 'Make a request' },
    { href: '/cookies/preferences', label: html`${PRIVACY_CHOICES_ICON} Your Privacy Choices` },
    viewer.signedIn ? { href: '/account/my-data', label: 'My data' } : { href: '/login', label: 'Log in' },
  ];
}

export type ShopperPageOptions = Omit<PageOptions, 'nav'> & { readonly viewer?: Viewer | undefined };

/** A shopper page: the common layout with the shopper navigation. */
export function shopperPage(o: ShopperPageOptions): string {
  const { viewer, ...rest } = o;
  return page({ ...rest, nav: shopperNav(viewer ?? ANONYMOUS) });
}
