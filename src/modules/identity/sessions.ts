// Server-side sessions: the holder keeps `<id>.<secret>` (cookie or bearer), the table keeps only
// sha256(secret). Ending a session (or all of a person's sessions) takes effect at once.

import { issueSecret, parseSecret, secretMatches, sha256 } from '../../platform/crypto/index.js';
import type { VowContext } from '../policy/index.js';

export type SessionKind = 'staff' | 'shopper';

export const SESSION_TTL_MS: Record<SessionKind, number> = {
  staff: 12 * 60 * 60 * 1000,
  shopper: 7 * 24 * 60 * 60 * 1000,
};

/**
 * The session cookies' plain names, used as they are over http (development); served over https,
 * Vow sets and reads them with the `__Host-` prefix instead (cookies.ts, `authCookies`).
 */
export const SESSION_COOKIE: Record<SessionKind, string> = { staff: 'vow_staff', shopper: 'vow_session' };

/** Staff API tokens (bearer) carry this prefix; API keys of the shop carry `vow_sk_`. */
export const STAFF_TOKEN_PREFIX = 'vow_st_';

export interface ActiveSession {
  readonly id: string;
  readonly kind: SessionKind;
  readonly principalId: string;
  readonly via: 'cookie' | 'bearer';
}

export class SessionStore {
  readonly #ctx: VowContext;
  constructor(ctx: VowContext) {
    this.#ctx = ctx;
  }

  /** Starts a session; returns the token to hand to the holder (never stored). */
  async create(
    kind: SessionKind,
    principalId: string,
    via: 'cookie' | 'bearer',
  ): Promise<{ id: string; token: string }> {
    const issued = issueSecret(this.#ctx.random, via === 'bearer' ? STAFF_TOKEN_PREFIX : '');
    const now = this.#ctx.clock.now();
    await this.#ctx.store.db
      .insertInto('sessions')
      .values({
        id: issued.id,
        secret_hash: issued.secretHash,
        kind,
        principal_id: principalId,
        via,
        created_at: now.toISOString(),
        expires_at: new Date(now.getTime() + SESSION_TTL_MS[kind]).toISOString(),
        revoked_at: null,
      })
      .execute();
    return { id: issued.id, token: issued.token };
  }

  /** The live session a token stands for, or undefined (unknown, wrong secret, expired, ended). */
  async lookup(
    token: string,
    kind: SessionKind,
    via: 'cookie' | 'bearer',
  ): Promise<ActiveSession | undefined> {
    const parsed = parseSecret(token, via === 'bearer' ? STAFF_TOKEN_PREFIX : '');
    if (!parsed) return undefined;
    const row = await this.#ctx.store.db
      .selectFrom('sessions')
      .selectAll()
      .where('id', '=', parsed.id)
      .executeTakeFirst();
    if (!row || !secretMatches(parsed.secret, row.secret_hash)) return undefined;
    if (row.kind !== kind || row.via !== via || row.revoked_at !== null) return undefined;
    if (row.expires_at <= this.#ctx.clock.now().toISOString()) return undefined;
    return { id: row.id, kind: row.kind, principalId: row.principal_id, via: row.via };
  }

  async end(sessionId: string): Promise<void> {
    await this.#ctx.store.db
      .updateTable('sessions')
      .set({ revoked_at: this.#ctx.clock.now().toISOString() })
      .where('id', '=', sessionId)
      .where('revoked_at', 'is', null)
      .execute();
  }

  /** Ends every session of one account, except (optionally) the one making the change. */
  async endAll(kind: SessionKind, principalId: string, except?: string): Promise<number> {
    let q = this.#ctx.store.db
      .updateTable('sessions')
      .set({ revoked_at: this.#ctx.clock.now().toISOString() })
      .where('kind', '=', kind)
      .where('principal_id', '=', principalId)
      .where('revoked_at', 'is', null);
    if (except) q = q.where('id', '!=', except);
    const res = await q.executeTakeFirst();
    return Number(res.numUpdatedRows);
  }
}

/** The anti-forgery token of a session: derived from its secret, so nothing more is stored. */
export function csrfTokenFor(sessionToken: string): string {
  return sha256(`vow-csrf\n${sessionToken}`);
}
