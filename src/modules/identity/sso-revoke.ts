// A staff member's log-out ends their single sign-on grant at the provider too (OAuth 2.0 Token
// Revocation, RFC 7009; security.md #54), and so does every other way a session ends with its
// refresh token here (disabled, a new password, a back-channel log-out, lapsed or swept): the token
// is revoked at the provider's `revocation_endpoint` when its discovery document names one, through
// openid-client's own tokenRevocation. The session ends here first, its sealed token deleted with its
// row, whatever the provider then answers: a revocation that fails (the provider unreachable, a
// refusal) keeps nothing and blocks nothing; it is audited (`staff.sso.revocation_failed`) and
// logged, with ids and an error code only, never the token.
import * as oidc from 'openid-client';
import type { OidcConfig } from '../../platform/config.js';
import type { VowContext } from '../policy/index.js';
import type { EndedSso } from './sessions.js';

/** Why a revocation failed, as a short code (never the provider's words, which could echo the token). */
function failureOf(err: unknown): string {
  if (err instanceof oidc.ResponseBodyError) return /^[\w.-]{1,64}$/.test(err.error) ? err.error : 'refused';
  const cause = (err as { cause?: unknown } | null)?.cause;
  if (cause instanceof Response) return `http_${cause.status}`;
  if (err instanceof oidc.ClientError) return err.code ?? 'client_error';
  return 'unreachable';
}

export class SsoRevocation {
  readonly #ctx: VowContext;
  readonly #config: OidcConfig;
  readonly #provider: () => Promise<oidc.Configuration>;

  constructor(ctx: VowContext, config: OidcConfig, provider: () => Promise<oidc.Configuration>) {
    this.#ctx = ctx;
    this.#config = config;
    this.#provider = provider;
  }

  /**
   * Logs a session out: `endHere` ends it in Vow (its single sign-on row and sealed refresh token
   * deleted with it), then the refresh token it held is revoked at the provider. Whether the provider
   * answers or not, the session has ended; a failure is recorded, never thrown.
   */
  async logOut(sessionId: string, endHere: () => Promise<void>): Promise<void> {
    const db = this.#ctx.store.db;
    const row = await db
      .selectFrom('staff_sso_sessions')
      .select(['staff_id', 'refresh_sealed'])
      .where('session_id', '=', sessionId)
      .executeTakeFirst();
    await endHere();
    // Erased either way (endHere deletes the row; this holds should it not).
    await db.deleteFrom('staff_sso_sessions').where('session_id', '=', sessionId).execute();
    if (row?.refresh_sealed)
      await this.revokeEnded([{ sessionId, staffId: row.staff_id, refreshSealed: row.refresh_sealed }]);
  }

  /**
   * Revokes at the provider the refresh tokens of sessions that have ended here (their rows already
   * deleted): a log-out, every session of a staff member ended at once (disabled, a new password:
   * SessionStore.endAll), those a back-channel log-out ended (endMany), a session found lapsed, or
   * sessions past their 12 hours swept at a sign-in. One at a time; each failure is logged and
   * audited, never thrown.
   */
  async revokeEnded(ended: readonly EndedSso[]): Promise<void> {
    if (ended.length === 0) return;
    let provider: oidc.Configuration | undefined;
    for (const { sessionId, staffId, refreshSealed } of ended) {
      const token = await this.#ctx.vault.decrypt(`staff:${staffId}`, refreshSealed).catch(() => null);
      if (token === null) continue;
      try {
        provider ??= await this.#provider();
        if (!provider.serverMetadata().revocation_endpoint) return;
        await oidc.tokenRevocation(provider, token, { token_type_hint: 'refresh_token' });
      } catch (err) {
        const error = failureOf(err);
        this.#ctx.logger.warn(
          { session: sessionId, error },
          'single sign-on refresh token not revoked at the provider once its session ended',
        );
        await this.#ctx.audit.record({
          actor: { type: 'staff', id: staffId },
          action: 'staff.sso.revocation_failed',
          target: { type: 'staff', id: staffId },
          details: { session: sessionId, issuer: this.#config.issuer, error },
        });
      }
    }
  }
}
