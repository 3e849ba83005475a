// A staff member's log-out ends their single sign-on grant at the provider too (OAuth 2.0 Token
// Revocation, RFC 7009; security.md #54): the session's refresh token is revoked at the provider's
// `revocation_endpoint` when its discovery document names one, through openid-client's own
// tokenRevocation. The session ends here first, its sealed token deleted with its row, whatever the
// provider then answers: a revocation that fails (the provider unreachable, a refusal) keeps nothing
// and blocks nothing; it is audited (`staff.sso.revocation_failed`) and logged, with ids and an
// error code only, never the token.
import * as oidc from 'openid-client';
import type { OidcConfig } from '../../platform/config.js';
import type { VowContext } from '../policy/index.js';

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
    const token = row?.refresh_sealed
      ? await this.#ctx.vault.decrypt(`staff:${row.staff_id}`, row.refresh_sealed).catch(() => null)
      : null;
    await endHere();
    // Erased either way (endHere deletes the row; this holds should it not).
    await db.deleteFrom('staff_sso_sessions').where('session_id', '=', sessionId).execute();
    if (!row || token === null) return;
    try {
      const provider = await this.#provider();
      if (!provider.serverMetadata().revocation_endpoint) return;
      await oidc.tokenRevocation(provider, token, { token_type_hint: 'refresh_token' });
    } catch (err) {
      const error = failureOf(err);
      this.#ctx.logger.warn(
        { session: sessionId, error },
        'single sign-on refresh token not revoked at the provider on log-out',
      );
      await this.#ctx.audit.record({
        actor: { type: 'staff', id: row.staff_id },
        action: 'staff.sso.revocation_failed',
        target: { type: 'staff', id: row.staff_id },
        details: { session: sessionId, issuer: this.#config.issuer, error },
      });
    }
  }
}
