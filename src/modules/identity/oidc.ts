// Staff single sign-on with OpenID Connect (authorization code + PKCE, through openid-client).
// start() builds the provider's authorization URL and a short-lived signed value for a cookie that
// holds only the request's random state, nonce and PKCE verifier (no personal data); finish() checks
// the provider's answer against it, consumes the flow's row (a started log-in completes once: a
// replayed callback is refused even when the provider would take its code again), finds or creates the staff account by issuer + subject, sets its
// roles from the roles claim on every log-in and starts a staff session as the password log-in does.
// Every log-in, accepted or refused (with a reason code), is audited. The provider's discovery
// document is fetched on first use, never at start-up. Each session it starts is kept with the
// provider's refresh token (asked for with `offline_access`) and re-checked every few minutes
// (sso-recheck.ts), or, without one, re-authenticated silently (`prompt=none`, sso-silent.ts); the
// provider's back-channel log-out ends it (sso-logout.ts), and a log-out here revokes its token there
// (sso-revoke.ts).
import { hash } from 'node:crypto';
import * as oidc from 'openid-client';
import type { OidcConfig } from '../../platform/config.js';
import { hashPassword, openSealedText, sealWithKey, sha256, Vault } from '../../platform/crypto/index.js';
import { VowError } from '../../platform/errors.js';
import type { VowContext } from '../policy/index.js';
import type { StaffRole } from './principal.js';
import type { SessionStore } from './sessions.js';
import { claimsOfCodeGrant, rolesFromClaims, setClaimedRoles } from './sso-claims.js';
import { SsoLogout } from './sso-logout.js';
import { SsoSessions } from './sso-recheck.js';
import { SsoRevocation } from './sso-revoke.js';
import { SsoSilent } from './sso-silent.js';

/** How long a call to the provider may take (seconds): a request re-checking waits at most that. */
const PROVIDER_TIMEOUT_S = 10;

/** How long a started log-in may take at the provider. */
export const SSO_FLOW_TTL_MS = 10 * 60 * 1000;

/** How long a started log-in's row is kept after it expires (a replay is then told it was used). */
const SSO_FLOW_KEPT_MS = SSO_FLOW_TTL_MS;

/**
 * The cookie carrying a started log-in's checks (httpOnly, SameSite=Lax): its plain name, path
 * /staff/sso, over http; `__Host-vow_sso` with Path=/ over https (cookies.ts, `authCookies`).
 */
export const SSO_COOKIE = 'vow_sso';

/** Why a single sign-on log-in was refused (stable; in the audit trail and the error's details). */
export type SsoRefusal =
  | 'no_flow'
  | 'flow_expired'
  | 'flow_used'
  | 'provider_error'
  | 'invalid_response'
  | 'no_roles'
  | 'disabled';

const USERNAME = /^[a-z][a-z0-9._-]{1,63}$/;

interface Flow {
  readonly state: string;
  readonly nonce: string;
  readonly verifier: string;
  /** When the flow started (ms since the epoch). */
  readonly at: number;
  /** A silent re-authentication (`prompt=none`): the id of the session it is for. */
  readonly silent?: string;
}

/**
 * What a sign-in started from the log-in page brings back after the provider: the console path the
 * staff member was going to, and the token of the form kept when their session lapsed.
 */
export interface SsoCarry {
  readonly next?: string | undefined;
  readonly draft?: string | undefined;
  /** The token of the whole address kept with its query (kept-addresses.ts). */
  readonly back?: string | undefined;
}

/** The key sealing a flow's carry: derived from its PKCE verifier, which only the flow's cookie holds. */
function carryKey(flow: Flow): Buffer {
  return hash('sha256', `vow-sso-carry\n${flow.verifier}`, 'buffer') as unknown as Buffer;
}

/** A loopback http issuer (tests, a provider on the same machine): the only http openid-client is let use. */
export function isLoopbackHttp(issuer: string): boolean {
  const u = new URL(issuer);
  return u.protocol === 'http:' && ['127.0.0.1', '[::1]', 'localhost'].includes(u.hostname);
}

export class StaffSso {
  readonly #ctx: VowContext;
  readonly #sessions: SessionStore;
  readonly #config: OidcConfig;
  #discovered: Promise<oidc.Configuration> | undefined;
  readonly #checks: SsoSessions;
  readonly #silent: SsoSilent;
  /** The provider's back-channel log-out (`POST /staff/sso/backchannel-logout`). */
  readonly logout: SsoLogout;
  /**
   * A log-out here revokes the session's refresh token at the provider (RFC 7009), as does every
   * other end of a session holding one (SessionStore.endAll, the 12-hour sweep).
   */
  readonly revocation: SsoRevocation;

  constructor(ctx: VowContext, sessions: SessionStore, config: OidcConfig) {
    this.#ctx = ctx;
    this.#sessions = sessions;
    this.#config = config;
    this.#checks = new SsoSessions(ctx, config, () => this.#provider(), sessions);
    this.logout = new SsoLogout(ctx, config, () => this.#provider(), sessions);
    this.revocation = new SsoRevocation(ctx, config, () => this.#provider());
    sessions.revokeEndedWith((ended) => this.revocation.revokeEnded(ended));
    this.#silent = new SsoSilent(ctx, config, this.#checks, sessions);
  }

  /** Where the provider sends the browser back to. */
  get redirectUri(): string {
    return `${this.#ctx.config.publicUrl}/staff/sso/callback`;
  }

  /** The provider's configuration, discovered once (a failed discovery is tried again next time). */
  #provider(): Promise<oidc.Configuration> {
    if (!this.#discovered) {
      const issuer = new URL(this.#config.issuer);
      // openid-client refuses plain http; it is allowed only for an issuer on a loopback address
      // (tests and a provider on the same host), never for a remote one.
      const options = isLoopbackHttp(this.#config.issuer)
        ? { execute: [oidc.allowInsecureRequests] }
        : undefined;
      this.#discovered = oidc
        .discovery(
          issuer,
          this.#config.clientId,
          undefined,
          oidc.ClientSecretBasic(this.#config.clientSecret),
          options,
        )
        .then((found) => {
          found.timeout = PROVIDER_TIMEOUT_S;
          return found;
        })
        .catch((err: unknown) => {
          this.#discovered = undefined;
          throw new VowError('VOW_SSO_UNAVAILABLE', 'The single sign-on provider could not be reached', {
            cause: err instanceof Error ? err.message : String(err),
          });
        });
    }
    return this.#discovered;
  }

  #sign(payload: string): string {
    return this.#ctx.vault.blindIndex('form', `sso\n${payload}`);
  }

  /** The console session a cookie names when it waits for a silent re-authentication (sso-silent.ts). */
  silentDue(cookie: string): Promise<{ sessionId: string; staffId: string } | undefined> {
    return this.#silent.due(cookie);
  }

  /**
   * The provider's authorization URL and the signed cookie value holding this flow's checks; with
   * `silent` (a session id, from silentDue) a re-authentication of that session, `prompt=none`.
   */
  async start(carry: SsoCarry = {}, silent?: string): Promise<{ url: string; cookie: string }> {
    const provider = await this.#provider();
    const flow: Flow = {
      state: oidc.randomState(),
      nonce: oidc.randomNonce(),
      verifier: oidc.randomPKCECodeVerifier(),
      at: this.#ctx.clock.now().getTime(),
      ...(silent ? { silent } : {}),
    };
    await this.#remember(flow, carry);
    const url = oidc.buildAuthorizationUrl(provider, {
      redirect_uri: this.redirectUri,
      scope: this.#asksOffline(provider) ? 'openid offline_access' : 'openid',
      response_type: 'code',
      code_challenge: await oidc.calculatePKCECodeChallenge(flow.verifier),
      code_challenge_method: 'S256',
      state: flow.state,
      nonce: flow.nonce,
      ...(silent ? { prompt: 'none' } : {}),
    });
    const payload = Buffer.from(JSON.stringify(flow)).toString('base64url');
    return { url: url.href, cookie: `${payload}.${this.#sign(payload)}` };
  }

  /** Whether a refresh token is asked for: VOW_SSO_OFFLINE_ACCESS, `auto` when discovery lists the scope. */
  #asksOffline(provider: oidc.Configuration): boolean {
    if (this.#config.offlineAccess !== 'auto') return this.#config.offlineAccess === 'on';
    return provider.serverMetadata().scopes_supported?.includes('offline_access') === true;
  }

  #readFlow(cookie: string | undefined): Flow {
    const [payload, mac] = (cookie ?? '').split('.');
    if (!payload || !mac || mac.length !== 43 || !Vault.equal(this.#sign(payload), mac))
      throw this.#refusal('no_flow');
    const flow = JSON.parse(Buffer.from(payload, 'base64url').toString('utf8')) as Flow;
    const age = this.#ctx.clock.now().getTime() - flow.at;
    if (!(age >= 0 && age <= SSO_FLOW_TTL_MS)) throw this.#refusal('flow_expired');
    return flow;
  }

  /** The key of a flow's row: a hash of its random state (the state itself is in the cookie and the URL). */
  #flowId(flow: Flow): string {
    return sha256(`vow-sso-flow\n${flow.state}`);
  }

  /** Records a started flow (and deletes the rows of flows long expired: one indexed statement). */
  async #remember(flow: Flow, carry: SsoCarry): Promise<void> {
    const db = this.#ctx.store.db;
    const id = this.#flowId(flow);
    const carried =
      carry.next || carry.draft || carry.back
        ? sealWithKey(
            carryKey(flow),
            Buffer.from(JSON.stringify({ next: carry.next, draft: carry.draft, back: carry.back }), 'utf8'),
            `sso-carry:${id}`,
            this.#ctx.random.bytes(12),
          )
        : null;
    await db
      .deleteFrom('staff_sso_flows')
      .where('expires_at', '<', new Date(flow.at - SSO_FLOW_KEPT_MS).toISOString())
      .execute();
    await db
      .insertInto('staff_sso_flows')
      .values({
        id,
        expires_at: new Date(flow.at + SSO_FLOW_TTL_MS).toISOString(),
        used_at: null,
        carried,
      })
      .execute();
  }

  /**
   * Consumes a flow: one conditional update, so of two callbacks racing with the same state exactly
   * one goes on. Refused when it was used already, has expired, or was never started here.
   */
  async #consume(flow: Flow): Promise<SsoCarry> {
    const db = this.#ctx.store.db;
    const now = this.#ctx.clock.now().toISOString();
    const id = this.#flowId(flow);
    const res = await db
      .updateTable('staff_sso_flows')
      .set({ used_at: now })
      .where('id', '=', id)
      .where('used_at', 'is', null)
      .where('expires_at', '>', now)
      .executeTakeFirst();
    const row = await db
      .selectFrom('staff_sso_flows')
      .select(['used_at', 'carried'])
      .where('id', '=', id)
      .executeTakeFirst();
    if (Number(res.numUpdatedRows) === 1) {
      if (!row?.carried) return {};
      return JSON.parse(openSealedText(carryKey(flow), row.carried, `sso-carry:${id}`)) as SsoCarry;
    }
    throw this.#refusal(row === undefined ? 'no_flow' : row.used_at !== null ? 'flow_used' : 'flow_expired');
  }

  #refusal(reason: SsoRefusal): VowError {
    const messages: Record<SsoRefusal, string> = {
      no_flow: 'This sign-in was not started here (or the browser refused its cookie); start again',
      flow_expired: 'This sign-in took too long; start again',
      flow_used: 'This sign-in was completed already (a page reloaded or sent again); start again',
      provider_error: 'The single sign-on provider refused or cancelled the sign-in',
      invalid_response: 'The single sign-on provider’s answer did not check out; start again',
      no_roles: 'Your single sign-on account holds no Vow staff role; ask your administrator to grant one',
      disabled: 'This staff account is disabled',
    };
    return new VowError('VOW_SSO_REFUSED', messages[reason], { reason });
  }

  async #audit(reason: SsoRefusal, staffId?: string): Promise<void> {
    await this.#ctx.audit.record({
      actor: staffId ? { type: 'staff', id: staffId } : { type: 'system' },
      action: 'staff.sso.refused',
      target: { type: 'staff', id: staffId ?? 'unknown' },
      details: { reason, issuer: this.#config.issuer },
    });
  }

  /**
   * Completes a log-in from the provider's redirect (`callbackUrl`, the full URL it called) and the
   * flow cookie. Returns a staff session token (a cookie), or throws VOW_SSO_REFUSED (audited). A
   * silent re-authentication returns no token: its session goes on (or it throws, the session ended).
   */
  async finish(
    callbackUrl: URL,
    cookie: string | undefined,
  ): Promise<{ token?: string; sessionId: string; staffId: string; carried: SsoCarry }> {
    let flow: Flow;
    let carried: SsoCarry;
    try {
      flow = this.#readFlow(cookie);
      carried = await this.#consume(flow);
    } catch (err) {
      if (err instanceof VowError) await this.#audit((err.details as { reason: SsoRefusal }).reason);
      throw err;
    }
    const provider = await this.#provider();
    if (flow.silent) {
      const silent = { ...flow, silent: flow.silent };
      const staffId = await this.#silent.finish(provider, callbackUrl, silent);
      return { sessionId: flow.silent, staffId, carried };
    }
    if (callbackUrl.searchParams.has('error')) {
      await this.#audit('provider_error');
      throw this.#refusal('provider_error');
    }
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
      this.#ctx.logger.warn(
        { err: err instanceof Error ? err.message : String(err) },
        'single sign-on answer refused',
      );
      await this.#audit('invalid_response');
      throw this.#refusal('invalid_response');
    }
    const subject = claims.sub;
    if (typeof subject !== 'string' || subject === '') {
      await this.#audit('invalid_response');
      throw this.#refusal('invalid_response');
    }
    const roles = rolesFromClaims(claims, this.#config.rolesClaim);
    const staffId = await this.#account(subject, roles, claims.preferred_username);
    if (!staffId) {
      await this.#audit('no_roles');
      throw this.#refusal('no_roles');
    }
    if (staffId.disabled) {
      await this.#audit('disabled', staffId.id);
      throw this.#refusal('disabled');
    }
    if (roles.length === 0) {
      await this.#audit('no_roles', staffId.id);
      throw this.#refusal('no_roles');
    }
    const session = await this.#sessions.create('staff', staffId.id, 'cookie');
    await this.#checks.keep({
      sessionId: session.id,
      staffId: staffId.id,
      subject,
      sid: typeof claims.sid === 'string' && claims.sid !== '' ? claims.sid : undefined,
      refreshToken,
    });
    await this.#ctx.audit.record({
      actor: { type: 'staff', id: staffId.id },
      action: 'staff.sso.login',
      target: { type: 'staff', id: staffId.id },
      details: {
        issuer: this.#config.issuer,
        roles,
        created: staffId.created,
        rechecked: refreshToken !== undefined,
      },
    });
    return { token: session.token, sessionId: session.id, staffId: staffId.id, carried };
  }

  /**
   * The staff account of issuer + subject, created on first log-in (with an unusable random
   * password: it logs in through the provider), its roles replaced by the claim's when it grants any.
   */
  async #account(
    subject: string,
    roles: StaffRole[],
    preferred: unknown,
    retried = false,
  ): Promise<{ id: string; disabled: boolean; created: boolean } | undefined> {
    const db = this.#ctx.store.db;
    const now = this.#ctx.clock.now().toISOString();
    const issuer = this.#config.issuer;
    const known = await db
      .selectFrom('staff_sso_identities')
      .innerJoin('staff_accounts', 'staff_accounts.id', 'staff_sso_identities.staff_id')
      .select(['staff_accounts.id', 'staff_accounts.roles', 'staff_accounts.disabled'])
      .where('staff_sso_identities.issuer', '=', issuer)
      .where('staff_sso_identities.subject', '=', subject)
      .executeTakeFirst();
    if (known) {
      await db.transaction().execute(async (trx) => {
        await trx
          .updateTable('staff_sso_identities')
          .set({ last_login_at: now })
          .where('issuer', '=', issuer)
          .where('subject', '=', subject)
          .execute();
        // The claim replaces the roles, down to none (security.md #38): a claim granting no Vow role
        // takes every role away, so the account's sessions still open reach nothing from now on.
        await setClaimedRoles(this.#ctx, trx, known, roles, 'single sign-on roles claim');
      });
      return { id: known.id, disabled: known.disabled === 1, created: false };
    }
    if (roles.length === 0) return undefined;
    const id = this.#ctx.random.uuid();
    const unusable = await hashPassword(this.#ctx.random.bytes(32).toString('base64url'), this.#ctx.random);
    try {
      await this.#create(id, issuer, subject, roles, preferred, now, unusable);
    } catch (err) {
      // Two first sign-ins of one person racing: the other one created the account; use it.
      if (retried) throw err;
      return this.#account(subject, roles, preferred, true);
    }
    return { id, disabled: false, created: true };
  }

  async #create(
    id: string,
    issuer: string,
    subject: string,
    roles: StaffRole[],
    preferred: unknown,
    now: string,
    unusable: string,
  ): Promise<void> {
    const db = this.#ctx.store.db;
    await db.transaction().execute(async (trx) => {
      const wanted = typeof preferred === 'string' ? preferred.toLowerCase() : '';
      const taken =
        !USERNAME.test(wanted) ||
        (await trx
          .selectFrom('staff_accounts')
          .select('id')
          .where('username', '=', wanted)
          .executeTakeFirst()) !== undefined;
      const username = taken ? `sso-${this.#ctx.random.bytes(6).toString('hex')}` : wanted;
      await trx
        .insertInto('staff_accounts')
        .values({
          id,
          username,
          password_hash: unusable,
          roles: JSON.stringify(roles),
          disabled: 0,
          must_change_password: 0,
          totp_sealed: null,
          credentials_issued_by: null,
          created_at: now,
          updated_at: now,
        })
        .execute();
      await trx
        .insertInto('staff_sso_identities')
        .values({ issuer, subject, staff_id: id, created_at: now, last_login_at: now })
        .execute();
      await this.#ctx.audit.record(
        {
          actor: { type: 'system' },
          action: 'staff.account.created',
          target: { type: 'staff', id },
          reason: 'first single sign-on log-in',
          details: { roles },
        },
        trx,
      );
    });
  }
}
