// Anti-forgery tokens for the public forms (the privacy request, its code, the complaint, log-in,
// registration, password reset): no cookie needed, so the forms work with cookies refused (P18).
// A token is an HMAC, under a key derived from the vault's (itself wrapped by the master key), of
// the form's id and a time window; it names its window and is accepted in that window and the next
// one (1 to 2 hours), compared in constant time. It proves the post carries a form Vow rendered
// recently for that very form; that the post comes from Vow's own page is checked apart, on the
// browser's Origin and Sec-Fetch-Site headers (src/http/access.ts).

import { Vault } from '../../platform/crypto/index.js';
import type { VowContext } from '../policy/index.js';

/** Length of one window; a token lives from one to two windows. */
export const FORM_TOKEN_WINDOW_MS = 60 * 60 * 1000;

const PREFIX = 'f1';

function mac(ctx: VowContext, form: string, window: number): string {
  return ctx.vault.blindIndex('form', `${form}\n${window}`);
}

/** The token to embed in a form posted to `form` (the route's URL pattern). */
export function issueFormToken(ctx: VowContext, form: string): string {
  const window = Math.floor(ctx.clock.now().getTime() / FORM_TOKEN_WINDOW_MS);
  return `${PREFIX}.${window}.${mac(ctx, form, window)}`;
}

/** Whether `token` was issued for `form` in this window or the one before. */
export function checkFormToken(ctx: VowContext, form: string, token: string): boolean {
  const m = /^f1\.(\d{1,12})\.([A-Za-z0-9_-]{43})$/.exec(token);
  if (!m) return false;
  const window = Number(m[1]);
  const now = Math.floor(ctx.clock.now().getTime() / FORM_TOKEN_WINDOW_MS);
  if (window !== now && window !== now - 1) return false;
  return Vault.equal(mac(ctx, form, window), m[2]!);
}
