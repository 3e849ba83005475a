// The provider's back-channel log-out (OpenID Connect Back-Channel Logout 1.0; security.md #54): the
// provider posts a signed `logout_token` to POST /staff/sso/backchannel-logout when a person signs
// out there or is disabled, and Vow ends the matching single sign-on sessions at once. The token is
// verified with jose (openid-client's own JOSE library): its signature against the provider's
// published keys (jwks_uri, from discovery) with the algorithms the provider signs ID tokens with,
// `iss` the provider, `aud` Vow's client, `iat` within LOGOUT_TOKEN_MAX_AGE on Vow's clock (and `exp`
// when present), the back-channel log-out event, no `nonce` (so an ID token is never taken for one),
// and a `sid` or a `sub`. Its `jti` is kept (hashed) for as long as the token could be accepted, so a
// replay is refused. Refusals answer VOW_SSO_LOGOUT_REFUSED with a stable reason; nothing of the token
// is logged.
import * as jose from 'jose';
import type * as oidc from 'openid-client';
import type { OidcConfig } from '../../platform/config.js';
import { sha256 } from '../../platform/crypto/index.js';
import { VowError } from '../../platform/errors.js';
import type { VowContext } from '../policy/index.js';
import type { SessionStore } from './sessions.js';

export const LOGOUT_EVENT = 'http://schemas.openid.net/event/backchannel-logout';

/** How old (by its `iat`) a log-out token may be; its `jti` is kept that long (plus the tolerance). */
export const LOGOUT_TOKEN_MAX_AGE_S = 5 * 60;
/** Clock difference tolerated between the provider and Vow. */
const CLOCK_TOLERANCE_S = 60;
/** A longer token is refused unread. */
const MAX_TOKEN_LENGTH = 8192;
/** Header types a log-out token may declare (none is accepted too: many providers send none or JWT). */
const TYPES = new Set(['logout+jwt', 'application/logout+jwt', 'jwt']);

/** Why a log-out token was refused (stable; the error's `details.reason`). */
export type LogoutRefusal = 'malformed' | 'bad_signature' | 'bad_claims' | 'expired' | 'replayed';

function refused(reason: LogoutRefusal): VowError {
  const messages: Record<LogoutRefusal, string> = {
    malformed: 'The logout_token is missing or is not a signed JWT',
    bad_signature: 'The logout_token is not signed by the provider’s keys',
    bad_claims: 'The logout_token’s claims are not those of a back-channel log-out for this client',
    expired: 'The logout_token is too old or has expired',
    replayed: 'This logout_token was used already',
  };
  return new VowError('VOW_SSO_LOGOUT_REFUSED', messages[reason], { reason });
}

export class SsoLogout {
  readonly #ctx: VowContext;
  readonly #config: OidcConfig;
  readonly #provider: () => Promise<oidc.Configuration>;
  readonly #sessions: SessionStore;
  #keys: { uri: string; set: ReturnType<typeof jose.createRemoteJWKSet> } | undefined;

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
  }

  /** The provider's keys (cached and refreshed by jose when a token names an unknown key). */
  #keySet(uri: string) {
    if (this.#keys?.uri !== uri)
      this.#keys = { uri, set: jose.createRemoteJWKSet(new URL(uri), { timeoutDuration: 10_000 }) };
    return this.#keys.set;
  }

  /** Verifies a posted logout_token and ends the sessions it names; how many ended. */
  async handle(token: unknown): Promise<{ ended: number }> {
    if (
      typeof token !== 'string' ||
      token.length > MAX_TOKEN_LENGTH ||
      !/^[\w-]+\.[\w-]+\.[\w-]+$/.test(token)
    )
      throw this.#refuse('malformed');
    const meta = (await this.#provider()).serverMetadata();
    if (!meta.jwks_uri)
      throw new VowError('VOW_SSO_UNAVAILABLE', 'The provider publishes no keys (jwks_uri)');
    const algorithms = (meta.id_token_signing_alg_values_supported ?? ['RS256']).filter((a) => a !== 'none');
    const now = this.#ctx.clock.now();
    let payload: jose.JWTPayload;
    try {
      const verified = await jose.jwtVerify(token, this.#keySet(meta.jwks_uri), {
        issuer: this.#config.issuer,
        audience: this.#config.clientId,
        algorithms,
        currentDate: now,
        clockTolerance: CLOCK_TOLERANCE_S,
        maxTokenAge: LOGOUT_TOKEN_MAX_AGE_S,
        requiredClaims: ['iat', 'jti', 'events'],
      });
      const typ = verified.protectedHeader.typ;
      if (typ !== undefined && !TYPES.has(typ.toLowerCase())) throw this.#refuse('bad_claims');
      payload = verified.payload;
    } catch (err) {
      if (err instanceof VowError) throw err;
      if (err instanceof jose.errors.JWKSTimeout || err instanceof jose.errors.JWKSInvalid)
        throw new VowError('VOW_SSO_UNAVAILABLE', 'The provider’s keys could not be read', {
          cause: err.code,
        });
      if (err instanceof jose.errors.JWTExpired) throw this.#refuse('expired');
      if (err instanceof jose.errors.JWTClaimValidationFailed) throw this.#refuse('bad_claims');
      if (
        err instanceof jose.errors.JWSSignatureVerificationFailed ||
        err instanceof jose.errors.JWKSNoMatchingKey ||
        err instanceof jose.errors.JOSEAlgNotAllowed
      )
        throw this.#refuse('bad_signature');
      if (err instanceof jose.errors.JOSEError) throw this.#refuse('malformed');
      // The keys' address not answering (a network error).
      throw new VowError('VOW_SSO_UNAVAILABLE', 'The provider’s keys could not be read');
    }
    const events = payload.events as Record<string, unknown> | undefined;
    const event = events && typeof events === 'object' ? events[LOGOUT_EVENT] : undefined;
    const sid = typeof payload.sid === 'string' && payload.sid !== '' ? payload.sid : undefined;
    const sub = typeof payload.sub === 'string' && payload.sub !== '' ? payload.sub : undefined;
    if (
      event === null ||
      typeof event !== 'object' ||
      Array.isArray(event) ||
      'nonce' in payload ||
      typeof payload.jti !== 'string' ||
      payload.jti === '' ||
      (!sid && !sub)
    )
      throw this.#refuse('bad_claims');
    await this.#once(payload.jti, (payload.iat as number) + LOGOUT_TOKEN_MAX_AGE_S + CLOCK_TOLERANCE_S);
    return { ended: await this.#endMatching(sid, sub) };
  }

  /** Records a token's jti until it could no longer be accepted; refuses one seen before. */
  async #once(jti: string, untilS: number): Promise<void> {
    const db = this.#ctx.store.db;
    const now = this.#ctx.clock.now().toISOString();
    await db.deleteFrom('staff_sso_logout_jtis').where('expires_at', '<=', now).execute();
    const id = sha256(`vow-sso-logout\n${this.#config.issuer}\n${jti}`);
    const res = await db
      .insertInto('staff_sso_logout_jtis')
      .values({ id, expires_at: new Date(untilS * 1000).toISOString() })
      .onConflict((oc) => oc.column('id').doNothing())
      .executeTakeFirst();
    if (Number(res.numInsertedOrUpdatedRows ?? 0) !== 1) throw this.#refuse('replayed');
  }

  /** Ends the single sign-on sessions of the provider's session `sid` (of `sub` when both), else all of `sub`'s. */
  async #endMatching(sid: string | undefined, sub: string | undefined): Promise<number> {
    let q = this.#ctx.store.db
      .selectFrom('staff_sso_sessions')
      .select(['session_id', 'staff_id'])
      .where('issuer', '=', this.#config.issuer);
    if (sid) q = q.where('sid', '=', sid);
    if (sub) q = q.where('subject', '=', sub);
    const rows = await q.execute();
    const ended = await this.#sessions.endMany(rows.map((r) => r.session_id));
    for (const staffId of new Set(rows.map((r) => r.staff_id)))
      await this.#ctx.audit.record({
        actor: { type: 'system' },
        action: 'staff.sso.session_ended',
        target: { type: 'staff', id: staffId },
        details: {
          reason: 'backchannel_logout',
          sessions: rows.filter((r) => r.staff_id === staffId).map((r) => r.session_id),
          by: sid ? 'sid' : 'sub',
          issuer: this.#config.issuer,
        },
      });
    return ended;
  }

  #refuse(reason: LogoutRefusal): VowError {
    this.#ctx.logger.warn({ reason }, 'single sign-on back-channel log-out refused');
    return refused(reason);
  }
}
