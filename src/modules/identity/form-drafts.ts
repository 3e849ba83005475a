// Console forms kept across a new sign-in: a staff member whose session lapsed (idle, or past its 12
// hours) and who then sends a form gets the sign-in page, not a lost page of typing. The page's
// address and the fields are kept here, sealed (AES-256-GCM) under a key derived from a random secret
// that only the sign-in page answering the post holds (a hidden field: never an address or a cookie),
// so the stored row opens with nothing the database holds (sealed-keeps.ts). Only the session's owner
// takes it back once signed in again; it is deleted when taken, and 15 minutes after it was kept.

import type { VowContext } from '../policy/index.js';
import { SealedKeeps } from './sealed-keeps.js';

export { FORM_DRAFT_TTL_MS } from './sealed-keeps.js';

/** A form as it was posted: the address it went to and its fields (repeated names as lists). */
export interface FormDraft {
  readonly target: string;
  readonly fields: Readonly<Record<string, string | readonly string[]>>;
}

export class FormDrafts {
  readonly #keeps: SealedKeeps;
  constructor(ctx: VowContext) {
    this.#keeps = new SealedKeeps(ctx, 'staff_form_drafts', 'form-draft');
  }

  /** Deletes the forms past their 15 minutes; returns how many (sealed-keeps.ts says who runs it). */
  forgetLapsed(): Promise<number> {
    return this.#keeps.forgetLapsed();
  }

  /** Keeps a form for `staffId`; returns the token the sign-in page carries (never stored). */
  async keep(staffId: string, draft: FormDraft): Promise<string> {
    // Those no one came back for go first (the table holds minutes of forms, not days).
    await this.forgetLapsed();
    return this.#keeps.keep(staffId, { target: draft.target, fields: draft.fields });
  }

  /**
   * The form a token stands for, if `staffId` kept it and it has not expired; the draft is deleted
   * whoever asks (someone else signing in at that desk ends it: it is never shown to them).
   */
  async take(token: string, staffId: string): Promise<FormDraft | undefined> {
    const kept = await this.#keeps.take<FormDraft>(token);
    if (!kept || kept.owner !== staffId) return undefined;
    return { target: kept.value.target, fields: kept.value.fields };
  }
}

/**
 * The console page a staff member sent to the log-in is returned to once signed in (the `next` of
 * /staff/login and /staff/sso): a `/staff` path of plain segments only, so it can never lead off the
 * site (no `//host`, no backslash, no scheme, no percent-encoded trick, no `.` or `..` segment). The
 * query string is left out: a console list's filters could hold something typed (an audit `who`, a
 * downstream draft's text), and personal data never goes in an address. The dashboard itself needs no
 * return (undefined).
 */
export function consoleReturnPath(raw: unknown): string | undefined {
  if (typeof raw !== 'string') return undefined;
  const path = raw.split('?')[0]!;
  if (path.length > 300) return undefined;
  if (!/^\/staff(\/[A-Za-z0-9_~.-]+)+\/?$/.test(path)) return undefined;
  if (path.split('/').some((s) => s === '.' || s === '..')) return undefined;
  if (path === '/staff/login' || path.startsWith('/staff/login/') || path.startsWith('/staff/sso'))
    return undefined;
  return path;
}
