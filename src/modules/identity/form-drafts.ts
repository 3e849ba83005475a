// Console forms kept across a new sign-in: a staff member whose session lapsed (idle, or past its 12
// hours) and who then sends a form gets the sign-in page, not a lost page of typing. The page's
// address and the fields are kept here, sealed (AES-256-GCM) under a key derived from a random secret
// that only the sign-in page answering the post holds (a hidden field: never an address or a cookie),
// so the stored row opens with nothing the database holds. Only the session's owner takes it back
// once signed in again; it is deleted when taken, and 15 minutes after it was kept whatever happens.

import { hash } from 'node:crypto';
import {
  issueSecret,
  openSealedText,
  parseSecret,
  sealWithKey,
  secretMatches,
} from '../../platform/crypto/index.js';
import type { VowContext } from '../policy/index.js';

/** How long a kept form waits for its owner to sign in again. */
export const FORM_DRAFT_TTL_MS = 15 * 60 * 1000;

/** A form as it was posted: the address it went to and its fields (repeated names as lists). */
export interface FormDraft {
  readonly target: string;
  readonly fields: Readonly<Record<string, string | readonly string[]>>;
}

function keyOf(secret: string): Buffer {
  return hash('sha256', `vow-form-draft\n${secret}`, 'buffer') as unknown as Buffer;
}

export class FormDrafts {
  readonly #ctx: VowContext;
  constructor(ctx: VowContext) {
    this.#ctx = ctx;
  }

  /**
   * Deletes the forms past their 15 minutes (no one came back for them); returns how many. Run by
   * keep(), by any erasure and by the quarter-hourly upkeep (src/app/services.ts), so none outlives
   * its 15 minutes by more than a quarter of an hour.
   */
  async forgetLapsed(): Promise<number> {
    const now = this.#ctx.clock.now().toISOString();
    const res = await this.#ctx.store.db
      .deleteFrom('staff_form_drafts')
      .where('expires_at', '<=', now)
      .executeTakeFirst();
    return Number(res.numDeletedRows);
  }

  /** Keeps a form for `staffId`; returns the token the sign-in page carries (never stored). */
  async keep(staffId: string, draft: FormDraft): Promise<string> {
    const now = this.#ctx.clock.now();
    const db = this.#ctx.store.db;
    // Those no one came back for go first (the table holds minutes of forms, not days).
    await this.forgetLapsed();
    const issued = issueSecret(this.#ctx.random);
    const secret = issued.token.slice(issued.id.length + 1);
    const sealed = sealWithKey(
      keyOf(secret),
      Buffer.from(JSON.stringify({ target: draft.target, fields: draft.fields }), 'utf8'),
      `form-draft:${issued.id}`,
      this.#ctx.random.bytes(12),
    );
    await db
      .insertInto('staff_form_drafts')
      .values({
        id: issued.id,
        secret_hash: issued.secretHash,
        staff_id: staffId,
        sealed,
        created_at: now.toISOString(),
        expires_at: new Date(now.getTime() + FORM_DRAFT_TTL_MS).toISOString(),
      })
      .execute();
    return issued.token;
  }

  /**
   * The form a token stands for, if `staffId` kept it and it has not expired; the draft is deleted
   * whoever asks (someone else signing in at that desk ends it: it is never shown to them).
   */
  async take(token: string, staffId: string): Promise<FormDraft | undefined> {
    const parsed = parseSecret(token);
    if (!parsed) return undefined;
    const db = this.#ctx.store.db;
    const row = await db
      .selectFrom('staff_form_drafts')
      .selectAll()
      .where('id', '=', parsed.id)
      .executeTakeFirst();
    if (!row || !secretMatches(parsed.secret, row.secret_hash)) return undefined;
    const gone = await db.deleteFrom('staff_form_drafts').where('id', '=', row.id).executeTakeFirst();
    // Two sign-ins racing with one token: one of them takes it.
    if (Number(gone.numDeletedRows) !== 1) return undefined;
    if (row.staff_id !== staffId || row.expires_at <= this.#ctx.clock.now().toISOString()) return undefined;
    const opened = JSON.parse(
      openSealedText(keyOf(parsed.secret), row.sealed, `form-draft:${row.id}`),
    ) as FormDraft;
    return { target: opened.target, fields: opened.fields };
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
