// Single sign-on sessions the provider gave no refresh token (no `offline_access`) are bounded too
// (security.md #54): once their last check is VOW_SSO_RECHECK_MINUTES old, they serve nothing until
// the provider has re-authenticated them silently. A console page asked for then goes to the log-in
// page, which sends the browser on to the provider with `prompt=none` (OpenID Connect Core 3.1.2.1:
// the provider answers at once, without a page, from its own session); an API call or a script's
// request is refused (401, VOW_UNAUTHENTICATED: it cannot follow a provider's redirects). The
// provider's answer comes back to the same callback as a sign-in, and this completes it for the
// session that started it (its id rides in the flow's signed cookie, as the console's SameSite=Strict
// cookie does not come back from the provider): the ID token must be of the same `sub`, and its roles
// replace the account's, as at a re-check; the session is then checked again for another window.
// Any error (`login_required`: the person signed out there or was disabled; `interaction_required`,
// `consent_required`, an answer that does not check out, another `sub`, no roles left) ends the
// session, audited as `staff.sso.session_ended`.
import * as oidc from 'openid-client';
import type { OidcConfig } from '../../platform/config.js';
import { VowError } from '../../platform/errors.js';
import type { VowContext } from '../policy/index.js';
import type { SessionStore } from './sessions.js';
import { claimsOfCodeGrant, rolesFromClaims, setClaimedRolesOf } from './sso-claims.js';
import type { SsoSessions } from './sso-recheck.js';

/** A silent flow's checks, from its cookie (oidc.ts), and the session it re-authenticates. */
export interface SilentFlow {
  readonly state: string;
  readonly nonce: string;
  readonly verifier: string;
  readonly silent: string;
}

/** A provider's `error` as a short code for the audit trail (anything else: `other`). */
const errorCode = (value: string | null): string => (value && /^[\w.-]{1,64}$/.test(value) ? value : 'other');

export class SsoSilent {
  readonly #ctx: VowContext;
  readonly #config: OidcConfig;
  readonly #checks: SsoSessions;
  readonly #sessions: SessionStore;

  constructor(ctx: VowContext, config: OidcConfig, checks: SsoSessions, sessions: SessionStore) {
    this.#ctx = ctx;
    this.#config = config;
    this.#checks = checks;
    this.#sessions = sessions;
  }

  /** The console session a cookie names when it waits for a silent re-authentication, else undefined. */
  async due(cookie: string): Promise<{ sessionId: string; staffId: string } | undefined> {
    const session = await this.#sessions.ssoDue(cookie);
    if (!session) return undefined;
    const row = await this.#checks.withoutRefresh(session.id);
    return row ? { sessionId: session.id, staffId: row.staffId } : undefined;
  }

  /**
   * Completes a silent re-authentication from the provider's answer: the session's staff id, or
   * throws VOW_SSO_REFUSED (reason `reauth_failed`) once the session has been ended.
   */
  async finish(provider: oidc.Configuration, callbackUrl: URL, flow: SilentFlow): Promise<string> {
    const db = this.#ctx.store.db;
    const sessionId = flow.silent;
    const row = await db
      .selectFrom('staff_sso_sessions')
      .innerJoin('sessions', 'sessions.id', 'staff_sso_sessions.session_id')
      .select(['staff_sso_sessions.staff_id', 'staff_sso_sessions.subject', 'sessions.revoked_at'])
      .where('staff_sso_sessions.session_id', '=', sessionId)
      .where('staff_sso_sessions.issuer', '=', this.#config.issuer)
      .executeTakeFirst();
    if (!row || row.revoked_at !== null) throw this.#refused();
    const fail = async (error: string): Promise<never> => {
      await this.#checks.end(sessionId, row.staff_id, 'reauth_refused', error);
      throw this.#refused();
    };
    if (callbackUrl.searchParams.has('error')) return fail(errorCode(callbackUrl.searchParams.get('error')));
    let claims: Record<string, unknown>;
    let refreshToken: string | undefined;
    try {
      ({ claims, refreshToken } = await claimsOfCodeGrant(
        provider,
        callbackUrl,
        flow,
        this.#config.rolesClaim,
      ));
    } catch (err) {
      return fail(err instanceof oidc.ResponseBodyError ? errorCode(err.error) : 'invalid_response');
    }
    if (claims.sub !== row.subject) return fail('subject_changed');
    const roles = rolesFromClaims(claims, this.#config.rolesClaim);
    const now = this.#ctx.clock.now().toISOString();
    // A provider that grants a refresh token this time: the session is re-checked with it from now on.
    const sealed = refreshToken ? await this.#ctx.vault.encrypt(`staff:${row.staff_id}`, refreshToken) : null;
    await db.transaction().execute(async (trx) => {
      await setClaimedRolesOf(this.#ctx, trx, row.staff_id, roles, 'single sign-on re-authentication');
      await trx
        .updateTable('staff_sso_sessions')
        .set({
          verified_at: now,
          refresh_sealed: sealed,
          ...(typeof claims.sid === 'string' && claims.sid !== '' ? { sid: claims.sid } : {}),
        })
        .where('session_id', '=', sessionId)
        .execute();
      await trx.updateTable('sessions').set({ sso_checked_at: now }).where('id', '=', sessionId).execute();
    });
    if (roles.length === 0) {
      await this.#checks.end(sessionId, row.staff_id, 'no_roles');
      throw this.#refused();
    }
    return row.staff_id;
  }

  #refused(): VowError {
    return new VowError(
      'VOW_SSO_REFUSED',
      'Your single sign-on session has ended at the provider; sign in again',
      { reason: 'reauth_failed' },
    );
  }
}
