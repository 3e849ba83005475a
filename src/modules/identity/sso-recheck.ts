// Single sign-on sessions re-checked at the provider (security.md #54). A sign-in through the
// provider keeps a row per session (staff_sso_sessions): the provider's user and session id, for its
// back-channel log-out (sso-logout.ts), and the refresh token when the provider granted one, sealed
// by the vault (AES-256-GCM, under the staff member's key, as a TOTP secret is; never in a cookie, a
// log or an address). A request to a session whose last check is older than VOW_SSO_RECHECK_MINUTES
// refreshes it (sessions.ts calls `recheck`; one request at a time, by a compare-and-set on
// `sessions.sso_checked_at`): the roles the new ID token or userinfo grant replace the account's, and
// the session ends when they are none, when the provider refuses the refresh (the account disabled
// there, the grant revoked: invalid_grant) or answers what does not check out. A provider that cannot
// be reached keeps the session, retried each minute, for VOW_SSO_OUTAGE_GRACE_MINUTES past the due
// check, then ends it. The rotated refresh token replaces the old one; ending a session deletes its
// row, token included (sessions.ts). A session without a refresh token (the provider grants none) is
// due all the same: it then waits for a silent re-authentication at the provider (sso-silent.ts).
import * as oidc from 'openid-client';
import type { OidcConfig } from '../../platform/config.js';
import type { VowContext } from '../policy/index.js';
import { endedSso, type SessionStore } from './sessions.js';
import { rolesFromClaims, setClaimedRolesOf } from './sso-claims.js';

/** How soon a check the provider did not answer is tried again (within the grace). */
export const SSO_RETRY_MS = 60_000;

/** Why a single sign-on session was ended by Vow (stable; audited as `staff.sso.session_ended`). */
export type SsoSessionEnd =
  | 'refresh_refused'
  | 'invalid_response'
  | 'no_roles'
  | 'provider_unreachable'
  | 'backchannel_logout'
  | 'reauth_refused';

type Outcome =
  | { kind: 'ok'; claims: Record<string, unknown>; refreshToken: string | undefined }
  | { kind: 'refused'; reason: 'refresh_refused' | 'invalid_response'; error: string }
  | { kind: 'unreachable'; error: string };

/** What a sign-in hands over for its session (the tokens are the provider's, fresh from the code grant). */
export interface SsoSessionStart {
  readonly sessionId: string;
  readonly staffId: string;
  readonly subject: string;
  readonly sid: string | undefined;
  readonly refreshToken: string | undefined;
}

/** The status of an HTTP answer an openid-client error carries, if any. */
function statusOf(err: unknown): number | undefined {
  if (err instanceof oidc.ResponseBodyError) return err.status;
  const cause = (err as { cause?: unknown } | null)?.cause;
  return cause instanceof Response ? cause.status : undefined;
}

/** Sorts a failed refresh or userinfo call: refused by the provider, not checking out, or unreachable. */
export function classifyFailure(err: unknown): Outcome {
  const status = statusOf(err);
  if (status !== undefined && (status >= 500 || status === 429))
    return { kind: 'unreachable', error: `http_${status}` };
  if (err instanceof oidc.ResponseBodyError) {
    if (err.error === 'temporarily_unavailable' || err.error === 'server_error')
      return { kind: 'unreachable', error: err.error };
    // invalid_grant: the grant revoked, the account disabled or deleted at the provider.
    return {
      kind: 'refused',
      reason: 'refresh_refused',
      error: /^[\w.-]{1,64}$/.test(err.error) ? err.error : 'other',
    };
  }
  if (err instanceof oidc.WWWAuthenticateChallengeError)
    return { kind: 'refused', reason: 'refresh_refused', error: 'userinfo_refused' };
  if (err instanceof oidc.ClientError)
    return { kind: 'refused', reason: 'invalid_response', error: err.code ?? 'client_error' };
  // Network errors, time-outs, discovery failing (VOW_SSO_UNAVAILABLE).
  return { kind: 'unreachable', error: 'unreachable' };
}

export class SsoSessions {
  readonly #ctx: VowContext;
  readonly #config: OidcConfig;
  readonly #provider: () => Promise<oidc.Configuration>;
  readonly #sessions: SessionStore;

  constructor(
    ctx: VowContext,
    config: OidcConfig,
    provider: () => Promise<oidc.Configuration>,
    sessions: SessionStore,
  ) {
    this.#ctx = ctx;
    this.#config = config;
    this.#provider = provider;
    this.#sessions = sessions;
    sessions.checkWith(config.recheckMs, (id, seen) => this.recheck(id, seen));
  }

  /**
   * Records a session a sign-in started (and sweeps the rows of sessions past their 12 hours). It is
   * checked again from now on: with its refresh token, else by a silent re-authentication.
   */
  async keep(start: SsoSessionStart): Promise<void> {
    const db = this.#ctx.store.db;
    const now = this.#ctx.clock.now().toISOString();
    const sealed = start.refreshToken
      ? await this.#ctx.vault.encrypt(`staff:${start.staffId}`, start.refreshToken)
      : null;
    const session = await db
      .selectFrom('sessions')
      .select('expires_at')
      .where('id', '=', start.sessionId)
      .executeTakeFirstOrThrow();
    // Sessions past their 12 hours: their rows go, and the refresh tokens they held are revoked at
    // the provider once this session is kept (sso-revoke.ts).
    const expired = await db
      .selectFrom('staff_sso_sessions')
      .select(['session_id', 'staff_id', 'refresh_sealed'])
      .where('expires_at', '<=', now)
      .where('refresh_sealed', 'is not', null)
      .execute();
    await db.deleteFrom('staff_sso_sessions').where('expires_at', '<=', now).execute();
    await db.transaction().execute(async (trx) => {
      await trx
        .insertInto('staff_sso_sessions')
        .values({
          session_id: start.sessionId,
          staff_id: start.staffId,
          issuer: this.#config.issuer,
          subject: start.subject,
          sid: start.sid ?? null,
          refresh_sealed: sealed,
          verified_at: now,
          expires_at: session.expires_at,
        })
        .execute();
      await trx
        .updateTable('sessions')
        .set({ sso_checked_at: now })
        .where('id', '=', start.sessionId)
        .execute();
    });
    await this.#sessions.revokeEnded(endedSso(expired));
  }

  /** The single sign-on row of a session that has no refresh token (checked by re-authenticating), if any. */
  async withoutRefresh(sessionId: string): Promise<{ staffId: string; subject: string } | undefined> {
    const row = await this.#ctx.store.db
      .selectFrom('staff_sso_sessions')
      .select(['staff_id', 'subject', 'refresh_sealed'])
      .where('session_id', '=', sessionId)
      .where('issuer', '=', this.#config.issuer)
      .executeTakeFirst();
    return row && row.refresh_sealed === null ? { staffId: row.staff_id, subject: row.subject } : undefined;
  }

  /**
   * Re-checks a session whose last check (`seen`) is due: `ended` when it has ended, `reauth` when it
   * has no refresh token (it serves again once the provider re-authenticates it silently). Of
   * requests racing, the one whose compare-and-set wins checks; the others go on as the session
   * stands (roles are read with every request, so they see the outcome from their next one).
   */
  async recheck(sessionId: string, seen: string): Promise<'live' | 'ended' | 'reauth'> {
    const db = this.#ctx.store.db;
    const now = this.#ctx.clock.now();
    if (await this.withoutRefresh(sessionId)) return 'reauth';
    const claimed = await db
      .updateTable('sessions')
      .set({ sso_checked_at: now.toISOString() })
      .where('id', '=', sessionId)
      .where('sso_checked_at', '=', seen)
      .where('revoked_at', 'is', null)
      .executeTakeFirst();
    if (Number(claimed.numUpdatedRows) !== 1) return 'live';
    const row = await db
      .selectFrom('staff_sso_sessions')
      .selectAll()
      .where('session_id', '=', sessionId)
      .executeTakeFirst();
    if (!row?.refresh_sealed) {
      // Nothing to check with (a row swept or never kept): not re-checked again.
      await db.updateTable('sessions').set({ sso_checked_at: null }).where('id', '=', sessionId).execute();
      return 'live';
    }
    const outcome = await this.#refresh(row.staff_id, row.subject, row.refresh_sealed);
    if (outcome.kind === 'unreachable') {
      const due = Date.parse(row.verified_at) + this.#config.recheckMs;
      this.#ctx.logger.warn(
        { session: sessionId, error: outcome.error },
        'single sign-on provider not reached for a re-check',
      );
      if (now.getTime() - due >= this.#config.outageGraceMs) {
        await this.end(sessionId, row.staff_id, 'provider_unreachable', outcome.error);
        return 'ended';
      }
      const retry = now.getTime() - this.#config.recheckMs + Math.min(SSO_RETRY_MS, this.#config.recheckMs);
      await db
        .updateTable('sessions')
        .set({ sso_checked_at: new Date(retry).toISOString() })
        .where('id', '=', sessionId)
        .where('sso_checked_at', '=', now.toISOString())
        .execute();
      return 'live';
    }
    if (outcome.kind === 'refused') {
      await this.end(sessionId, row.staff_id, outcome.reason, outcome.error);
      return 'ended';
    }
    const roles = rolesFromClaims(outcome.claims, this.#config.rolesClaim);
    const sealed = outcome.refreshToken
      ? await this.#ctx.vault.encrypt(`staff:${row.staff_id}`, outcome.refreshToken)
      : row.refresh_sealed;
    await db.transaction().execute(async (trx) => {
      await setClaimedRolesOf(this.#ctx, trx, row.staff_id, roles, 'single sign-on re-check');
      await trx
        .updateTable('staff_sso_sessions')
        .set({ refresh_sealed: sealed, verified_at: now.toISOString() })
        .where('session_id', '=', sessionId)
        .execute();
    });
    if (roles.length === 0) {
      await this.end(sessionId, row.staff_id, 'no_roles');
      return 'ended';
    }
    return 'live';
  }

  /** Asks the provider with the session's refresh token: the new claims (ID token, else userinfo). */
  async #refresh(staffId: string, subject: string, sealed: string): Promise<Outcome> {
    let provider: oidc.Configuration;
    try {
      provider = await this.#provider();
    } catch (err) {
      return classifyFailure(err);
    }
    const token = await this.#ctx.vault.decrypt(`staff:${staffId}`, sealed);
    if (token === null) return { kind: 'refused', reason: 'refresh_refused', error: 'key_destroyed' };
    try {
      const tokens = await oidc.refreshTokenGrant(provider, token);
      const idClaims = tokens.claims();
      // The refreshed ID token must be of the same person (OpenID Connect Core 12.2).
      if (idClaims && idClaims.sub !== subject)
        return { kind: 'refused', reason: 'invalid_response', error: 'subject_changed' };
      let claims: Record<string, unknown> = { ...(idClaims ?? {}) };
      if (!(this.#config.rolesClaim in claims)) {
        const info = await oidc.fetchUserInfo(provider, tokens.access_token, subject);
        claims = { ...info, ...claims };
      }
      return { kind: 'ok', claims, refreshToken: tokens.refresh_token };
    } catch (err) {
      return classifyFailure(err);
    }
  }

  /** Ends a session for the provider's reason, audited as `staff.sso.session_ended` (ids and codes only). */
  async end(sessionId: string, staffId: string, reason: SsoSessionEnd, error?: string): Promise<void> {
    await this.#sessions.end(sessionId);
    await this.#ctx.audit.record({
      actor: { type: 'system' },
      action: 'staff.sso.session_ended',
      target: { type: 'staff', id: staffId },
      details: { reason, session: sessionId, issuer: this.#config.issuer, ...(error ? { error } : {}) },
    });
  }
}
