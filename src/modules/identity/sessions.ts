// Server-side sessions: the holder keeps `<id>.<secret>` (cookie or bearer), the table keeps only
// sha256(secret). Ending a session (or all of a person's sessions) takes effect at once. A staff
// session also ends when idle (config.staffIdleMs without a request: a console left open on a shared
// desk); its last request is written at most once a minute (LAST_SEEN_STEP_MS), not on every one.
// A single sign-on session is re-checked at the provider when its last check is due (sso-recheck.ts,
// through `checkWith`), and ending a session deletes its single sign-on row, refresh token included;
// when every session of a staff member ends at once (disabled, a new password), a provider's
// back-channel log-out ends some, or a session is found lapsed, the refresh tokens those rows held
// are then revoked at the provider (`revokeEndedWith`, sso-revoke.ts).
// One the provider gave no refresh token is then held until it signs in again silently (sso-silent.ts).

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

/**
 * A staff session's `last_seen_at` is rewritten only when it is at least this old: one write a
 * minute per session at most, so the idle limit is kept to within a minute.
 */
export const LAST_SEEN_STEP_MS = 60_000;

/** Staff API tokens (bearer) carry this prefix; API keys of the shop carry `vow_sk_`. */
export const STAFF_TOKEN_PREFIX = 'vow_st_';

export interface ActiveSession {
  readonly id: string;
  readonly kind: SessionKind;
  readonly principalId: string;
  readonly via: 'cookie' | 'bearer';
  /** When the session ends however busy (12 hours after a staff log-in), ISO 8601. */
  readonly expiresAt: string;
  /** A staff session: when it ends if no request comes first (ISO 8601); undefined for shoppers. */
  readonly idleEndsAt?: string;
}

/**
 * Whether a request counts as activity: `touch: false` only asks (the console's "how long is left",
 * whether the session still stands). Asking also passes a single sign-on session that waits for its
 * silent re-authentication (it reveals nothing, and must not tell the console the session ended).
 */
export interface LookupOptions {
  readonly touch?: boolean;
}

/**
 * Re-checks a single sign-on session whose last check (`seen`) is due: `live`, `ended`, or `reauth`
 * (no refresh token to check with: the session stands, but serves only once the provider has
 * re-authenticated it, sso-silent.ts).
 */
export type SsoRecheck = (sessionId: string, seen: string) => Promise<'live' | 'ended' | 'reauth'>;

/** A single sign-on session's row as it was when its session ended: its sealed refresh token. */
export interface EndedSso {
  readonly sessionId: string;
  readonly staffId: string;
  readonly refreshSealed: string;
}

/** `staff_sso_sessions` rows read as they end: those holding a refresh token. */
export function endedSso(
  rows: readonly { session_id: string; staff_id: string; refresh_sealed: string | null }[],
): EndedSso[] {
  return rows.flatMap((r) =>
    r.refresh_sealed === null
      ? []
      : [{ sessionId: r.session_id, staffId: r.staff_id, refreshSealed: r.refresh_sealed }],
  );
}

/** Revokes ended sessions' refresh tokens at the provider; records its failures, never throws. */
export type SsoRevoker = (ended: readonly EndedSso[]) => Promise<void>;

export class SessionStore {
  readonly #ctx: VowContext;
  #recheck: { everyMs: number; run: SsoRecheck } | undefined;
  #revoke: SsoRevoker | undefined;
  constructor(ctx: VowContext) {
    this.#ctx = ctx;
  }

  /** Single sign-on sessions are re-checked with `run` once their last check is `everyMs` old. */
  checkWith(everyMs: number, run: SsoRecheck): void {
    this.#recheck = { everyMs, run };
  }

  /**
   * The refresh tokens of single sign-on sessions that end without a log-out here (`endAll`,
   * `endMany`, a session found lapsed, the sweep of sso-recheck.ts) are revoked with `revoke`.
   */
  revokeEndedWith(revoke: SsoRevoker): void {
    this.#revoke = revoke;
  }

  /** Revokes ended single sign-on sessions' refresh tokens (nothing without single sign-on). */
  async revokeEnded(ended: readonly EndedSso[]): Promise<void> {
    if (ended.length > 0) await this.#revoke?.(ended);
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
        last_seen_at: null,
      })
      .execute();
    return { id: issued.id, token: issued.token };
  }

  /**
   * The live session a token stands for, or undefined (unknown, wrong secret, expired, ended, or a
   * staff session idle for config.staffIdleMs). A staff session's use is recorded (at most once a
   * minute) unless `touch` is false.
   */
  async lookup(
    token: string,
    kind: SessionKind,
    via: 'cookie' | 'bearer',
    options: LookupOptions = {},
  ): Promise<ActiveSession | undefined> {
    const row = await this.#row(token, via);
    if (!row || row.kind !== kind || row.via !== via || row.revoked_at !== null) return undefined;
    const now = this.#ctx.clock.now();
    const found = { id: row.id, kind: row.kind, principalId: row.principal_id, via: row.via };
    if (kind !== 'staff')
      return row.expires_at <= now.toISOString() ? undefined : { ...found, expiresAt: row.expires_at };
    const lastSeen = row.last_seen_at ?? row.created_at;
    const lastSeenMs = Date.parse(lastSeen);
    const idleMs = this.#ctx.config.staffIdleMs;
    if (row.expires_at <= now.toISOString() || lastSeenMs + idleMs <= now.getTime()) {
      // Lapsed: a single sign-on refresh token has nothing left to keep a session for.
      if (row.sso_checked_at !== null) await this.#forgetSso([row.id]);
      return undefined;
    }
    const check = this.#recheck;
    if (
      check &&
      row.sso_checked_at !== null &&
      now.getTime() - Date.parse(row.sso_checked_at) >= check.everyMs
    ) {
      const outcome = await check.run(row.id, row.sso_checked_at);
      if (outcome === 'ended' || (outcome === 'reauth' && options.touch !== false)) return undefined;
    }
    if (options.touch !== false && now.getTime() - lastSeenMs >= LAST_SEEN_STEP_MS) {
      // Compare-and-set on the value read: of many requests at once, one writes.
      await this.#ctx.store.db
        .updateTable('sessions')
        .set({ last_seen_at: now.toISOString() })
        .where('id', '=', row.id)
        .where((eb) =>
          row.last_seen_at === null
            ? eb('last_seen_at', 'is', null)
            : eb('last_seen_at', '=', row.last_seen_at),
        )
        .execute();
      return {
        ...found,
        expiresAt: row.expires_at,
        idleEndsAt: new Date(now.getTime() + idleMs).toISOString(),
      };
    }
    return { ...found, expiresAt: row.expires_at, idleEndsAt: new Date(lastSeenMs + idleMs).toISOString() };
  }

  /**
   * Records a staff session's use now, whatever the minute's step ("Stay signed in"); the session
   * as it then stands, or undefined if it has ended meanwhile.
   */
  async extend(sessionId: string): Promise<ActiveSession | undefined> {
    const now = this.#ctx.clock.now();
    const res = await this.#ctx.store.db
      .updateTable('sessions')
      .set({ last_seen_at: now.toISOString() })
      .where('id', '=', sessionId)
      .where('kind', '=', 'staff')
      .where('revoked_at', 'is', null)
      .where('expires_at', '>', now.toISOString())
      .executeTakeFirst();
    if (Number(res.numUpdatedRows) !== 1) return undefined;
    const row = await this.#ctx.store.db
      .selectFrom('sessions')
      .select(['id', 'kind', 'principal_id', 'via', 'expires_at'])
      .where('id', '=', sessionId)
      .executeTakeFirst();
    if (!row) return undefined;
    return {
      id: row.id,
      kind: row.kind,
      principalId: row.principal_id,
      via: row.via,
      expiresAt: row.expires_at,
      idleEndsAt: new Date(now.getTime() + this.#ctx.config.staffIdleMs).toISOString(),
    };
  }

  /** A live staff session's ends (idle and absolute), read without counting as its use; else undefined. */
  async staffTimes(sessionId: string): Promise<{ idleEndsAt: string; expiresAt: string } | undefined> {
    const row = await this.#ctx.store.db
      .selectFrom('sessions')
      .select(['kind', 'created_at', 'last_seen_at', 'expires_at', 'revoked_at'])
      .where('id', '=', sessionId)
      .executeTakeFirst();
    if (row?.kind !== 'staff' || row.revoked_at !== null) return undefined;
    const idleEnd = Date.parse(row.last_seen_at ?? row.created_at) + this.#ctx.config.staffIdleMs;
    return { idleEndsAt: new Date(idleEnd).toISOString(), expiresAt: row.expires_at };
  }

  /**
   * The staff member whose console session a cookie still names although it lapsed (idle, or past
   * its 12 hours), or undefined (no such session, a wrong secret, a live one, or one that was ended:
   * logged out, the account disabled, a password changed). What a form posted after the lapse may be
   * kept for (console drafts): only its owner gets it back.
   */
  async lapsedStaffOwner(token: string): Promise<string | undefined> {
    const row = await this.#row(token, 'cookie');
    if (row?.kind !== 'staff' || row.via !== 'cookie' || row.revoked_at !== null) return undefined;
    const now = this.#ctx.clock.now();
    const idleEnd = Date.parse(row.last_seen_at ?? row.created_at) + this.#ctx.config.staffIdleMs;
    const lapsed = row.expires_at <= now.toISOString() || idleEnd <= now.getTime();
    return lapsed ? row.principal_id : undefined;
  }

  /**
   * The live console session a cookie names whose single sign-on check is due (its re-check or its
   * silent re-authentication), or undefined.
   */
  async ssoDue(token: string): Promise<{ id: string; principalId: string } | undefined> {
    const row = await this.#row(token, 'cookie');
    if (row?.kind !== 'staff' || row.revoked_at !== null || row.sso_checked_at === null) return undefined;
    const now = this.#ctx.clock.now();
    const idleEnd = Date.parse(row.last_seen_at ?? row.created_at) + this.#ctx.config.staffIdleMs;
    if (row.expires_at <= now.toISOString() || idleEnd <= now.getTime()) return undefined;
    const everyMs = this.#recheck?.everyMs;
    if (everyMs === undefined || now.getTime() - Date.parse(row.sso_checked_at) < everyMs) return undefined;
    return { id: row.id, principalId: row.principal_id };
  }

  async #row(token: string, via: 'cookie' | 'bearer') {
    const parsed = parseSecret(token, via === 'bearer' ? STAFF_TOKEN_PREFIX : '');
    if (!parsed) return undefined;
    const row = await this.#ctx.store.db
      .selectFrom('sessions')
      .selectAll()
      .where('id', '=', parsed.id)
      .executeTakeFirst();
    if (!row || !secretMatches(parsed.secret, row.secret_hash)) return undefined;
    return row;
  }

  async end(sessionId: string): Promise<void> {
    await this.#ctx.store.db
      .updateTable('sessions')
      .set({ revoked_at: this.#ctx.clock.now().toISOString() })
      .where('id', '=', sessionId)
      .where('revoked_at', 'is', null)
      .execute();
    await this.#ctx.store.db.deleteFrom('staff_sso_sessions').where('session_id', '=', sessionId).execute();
  }

  /**
   * Ends the given sessions (a provider's back-channel log-out); how many were live. The refresh
   * tokens they held are revoked at the provider too: its log-out may leave an `offline_access` grant.
   */
  async endMany(sessionIds: readonly string[]): Promise<number> {
    if (sessionIds.length === 0) return 0;
    const db = this.#ctx.store.db;
    const res = await db
      .updateTable('sessions')
      .set({ revoked_at: this.#ctx.clock.now().toISOString() })
      .where('id', 'in', sessionIds)
      .where('revoked_at', 'is', null)
      .executeTakeFirst();
    const held = await this.#heldBy(sessionIds);
    await db.deleteFrom('staff_sso_sessions').where('session_id', 'in', sessionIds).execute();
    await this.revokeEnded(held);
    return Number(res.numUpdatedRows);
  }

  /**
   * A lapsed single sign-on session's refresh token is deleted (and revoked at the provider), and it
   * is not re-checked again.
   */
  async #forgetSso(sessionIds: readonly string[]): Promise<void> {
    const db = this.#ctx.store.db;
    const held = await this.#heldBy(sessionIds);
    await db
      .updateTable('staff_sso_sessions')
      .set({ refresh_sealed: null })
      .where('session_id', 'in', sessionIds)
      .execute();
    await db.updateTable('sessions').set({ sso_checked_at: null }).where('id', 'in', sessionIds).execute();
    await this.revokeEnded(held);
  }

  /** The refresh tokens these sessions hold, read before their rows go (none without a revoker). */
  async #heldBy(sessionIds: readonly string[]): Promise<EndedSso[]> {
    if (!this.#revoke) return [];
    const rows = await this.#ctx.store.db
      .selectFrom('staff_sso_sessions')
      .select(['session_id', 'staff_id', 'refresh_sealed'])
      .where('session_id', 'in', sessionIds)
      .where('refresh_sealed', 'is not', null)
      .execute();
    return endedSso(rows);
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
    if (kind === 'staff') {
      const db = this.#ctx.store.db;
      let held = db
        .selectFrom('staff_sso_sessions')
        .select(['session_id', 'staff_id', 'refresh_sealed'])
        .where('staff_id', '=', principalId)
        .where('refresh_sealed', 'is not', null);
      if (except) held = held.where('session_id', '!=', except);
      const ended = this.#revoke ? await held.execute() : [];
      let sso = db.deleteFrom('staff_sso_sessions').where('staff_id', '=', principalId);
      if (except) sso = sso.where('session_id', '!=', except);
      await sso.execute();
      await this.revokeEnded(endedSso(ended));
    }
    return Number(res.numUpdatedRows);
  }
}

/** The anti-forgery token of a session: derived from its secret, so nothing more is stored. */
export function csrfTokenFor(sessionToken: string): string {
  return sha256(`vow-csrf\n${sessionToken}`);
}
