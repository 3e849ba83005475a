// A minimal OpenID Connect provider on a loopback port for single sign-on tests: discovery, keys,
// token and userinfo endpoints, answering whatever the test tells it to. Its token endpoint takes any
// code, as often as it is sent (a provider that would accept a code again), and counts the calls.
// Tokens carry the wall clock's times: openid-client checks them against it. With `offline` on, it
// lists `offline_access` and grants refresh tokens, rotated at each use (the old one then refused,
// as are those of a person in `disabled`); `down` makes its token endpoint fail (503, or the
// connection dropped); `unreachable` drops every connection (discovery's too: a provider out of
// reach). `sign` signs any claims with its key (a back-channel log-out's logout_token).
// With `revocation` on, discovery names a revocation endpoint (RFC 7009) that revokes a refresh token
// for the client `vow` (`down`: it answers 503); `revoked` lists what it was asked to revoke.
import { generateKeyPairSync, randomBytes, randomUUID, sign } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { FastifyInstance, LightMyRequestResponse } from 'fastify';
import { SSO_COOKIE } from '../../src/modules/identity/index.js';
import { LOGOUT_EVENT } from '../../src/modules/identity/sso-logout.js';
import { cookieFrom } from './auth.js';
import { testConfig } from './env.js';

export type Claims = Record<string, unknown>;

export interface MiniProvider {
  readonly issuer: string;
  /** The ID token's claims for the nonce of the flow being answered. */
  idToken: (nonce: string) => Claims;
  /** The userinfo endpoint's answer. */
  userinfo: Claims;
  /** The nonce the next ID token is made for. */
  nonce: string;
  /** How many times the token endpoint was called. */
  tokenCalls: number;
  /** Whether discovery lists `offline_access` and the token endpoint grants refresh tokens. */
  offline: boolean;
  /** Subjects whose refresh tokens are refused (invalid_grant): disabled at the provider. */
  disabled: Set<string>;
  /** The token endpoint fails: `http` answers 503, `socket` drops the connection. */
  down: false | 'http' | 'socket';
  /** Every endpoint drops the connection, discovery included: the provider out of reach. */
  unreachable: boolean;
  /** Whether discovery names a revocation endpoint; `down` makes it answer 503. */
  revocation: boolean | 'down';
  /** The tokens the revocation endpoint was asked to revoke (with their hint), in order. */
  readonly revoked: { token: string; hint: string | null; client: string | null }[];
  /** How many refresh grants were asked for (refused ones included). */
  refreshCalls: number;
  /** The refresh tokens granted and still valid (the latest of each chain). */
  readonly refreshTokens: Map<string, string>;
  /** A JWT of `claims` signed with the provider's key (header `typ` as given; `kid` k1 unless `kid` is). */
  sign(claims: Claims, header?: Record<string, unknown>): string;
  close(): Promise<void>;
}

export async function startMiniProvider(): Promise<MiniProvider> {
  const { privateKey, publicKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
  const jwk = { ...publicKey.export({ format: 'jwk' }), kid: 'k1', alg: 'RS256', use: 'sig' };
  const b64 = (v: unknown) => Buffer.from(JSON.stringify(v)).toString('base64url');
  const jwt = (claims: Claims, header: Record<string, unknown> = { typ: 'JWT' }): string => {
    const data = `${b64({ alg: 'RS256', kid: 'k1', ...header })}.${b64(claims)}`;
    return `${data}.${sign('sha256', Buffer.from(data), privateKey).toString('base64url')}`;
  };
  let issuer = '';
  const state: Omit<MiniProvider, 'close' | 'issuer'> = {
    idToken: () => ({}),
    userinfo: {},
    nonce: '',
    tokenCalls: 0,
    offline: false,
    disabled: new Set(),
    down: false,
    unreachable: false,
    refreshCalls: 0,
    refreshTokens: new Map(),
    revocation: false,
    revoked: [],
    sign: jwt,
  };
  /** A new refresh token for `sub` (the chain's latest; `previous` no longer valid). */
  const grantRefresh = (sub: string, previous?: string): string => {
    if (previous) state.refreshTokens.delete(previous);
    const token = `rt-${randomBytes(16).toString('hex')}`;
    state.refreshTokens.set(token, sub);
    return token;
  };
  const readBody = (req: import('node:http').IncomingMessage): Promise<URLSearchParams> =>
    new Promise((resolve) => {
      let text = '';
      req.on('data', (c: Buffer) => {
        text += c.toString('utf8');
      });
      req.on('end', () => resolve(new URLSearchParams(text)));
    });
  const refresh = (res: import('node:http').ServerResponse, body: URLSearchParams) => {
    state.refreshCalls++;
    const given = body.get('refresh_token') ?? '';
    const sub = state.refreshTokens.get(given);
    if (sub === undefined || state.disabled.has(sub)) {
      res.statusCode = 400;
      return res.end(
        JSON.stringify({ error: 'invalid_grant', error_description: 'refresh token not valid' }),
      );
    }
    const { nonce: _nonce, ...claims } = state.idToken('');
    return res.end(
      JSON.stringify({
        access_token: 'at-refreshed',
        token_type: 'Bearer',
        id_token: jwt({ ...claims, sub, iat: seconds(), exp: seconds() + 300 }),
        refresh_token: grantRefresh(sub, given),
        expires_in: 300,
      }),
    );
  };
  const server: Server = createServer(async (req, res) => {
    const path = new URL(req.url ?? '/', issuer).pathname;
    res.setHeader('content-type', 'application/json');
    const send = (body: unknown) => res.end(JSON.stringify(body));
    if (state.unreachable) return req.socket.destroy();
    if (path === '/token' && state.down) state.tokenCalls++;
    if (path === '/token' && state.down === 'socket') return req.socket.destroy();
    if (path === '/token' && state.down === 'http') {
      res.statusCode = 503;
      res.setHeader('content-type', 'text/plain');
      return res.end('down');
    }
    if (path === '/.well-known/openid-configuration')
      return send({
        issuer,
        authorization_endpoint: `${issuer}/auth`,
        token_endpoint: `${issuer}/token`,
        jwks_uri: `${issuer}/jwks`,
        userinfo_endpoint: `${issuer}/userinfo`,
        response_types_supported: ['code'],
        subject_types_supported: ['public'],
        id_token_signing_alg_values_supported: ['RS256'],
        ...(state.offline ? { scopes_supported: ['openid', 'offline_access'] } : {}),
        ...(state.revocation ? { revocation_endpoint: `${issuer}/revoke` } : {}),
      });
    if (path === '/revoke') {
      const body = await readBody(req);
      const basic = /^Basic (.+)$/.exec(req.headers.authorization ?? '')?.[1];
      const client = basic ? Buffer.from(basic, 'base64').toString('utf8').split(':')[0]! : null;
      const token = body.get('token') ?? '';
      state.revoked.push({ token, hint: body.get('token_type_hint'), client });
      if (state.revocation === 'down') {
        res.statusCode = 503;
        return res.end('{}');
      }
      if (client === 'vow') state.refreshTokens.delete(token);
      return res.end();
    }
    if (path === '/jwks') return send({ keys: [jwk] });
    if (path === '/userinfo') return send(state.userinfo);
    if (path === '/token') {
      state.tokenCalls++;
      const body = await readBody(req);
      if (body.get('grant_type') === 'refresh_token') return refresh(res, body);
      const claims = state.idToken(state.nonce);
      return send({
        access_token: 'at',
        token_type: 'Bearer',
        id_token: jwt(claims),
        expires_in: 300,
        ...(state.offline && typeof claims.sub === 'string'
          ? { refresh_token: grantRefresh(claims.sub) }
          : {}),
      });
    }
    res.statusCode = 404;
    send({});
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', () => resolve()));
  issuer = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return Object.assign(state, {
    issuer,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  });
}

/** Vow's test configuration signing staff in at `op` (client `vow`), with `extra` settings. */
export function ssoConfig(op: MiniProvider, extra: Record<string, string> = {}) {
  return testConfig({
    ...extra,
    VOW_OIDC_ISSUER: op.issuer,
    VOW_OIDC_CLIENT_ID: 'vow',
    VOW_OIDC_CLIENT_SECRET: 'secret',
  });
}

const seconds = () => Math.floor(Date.now() / 1000);

/** A good ID token's claims from `op` for `sub` holding `roles`, for a flow's nonce (valid 5 minutes). */
export const signedInAs =
  (op: MiniProvider, sub: string, roles: unknown = ['auditor']) =>
  (nonce: string): Claims => ({
    iss: op.issuer,
    aud: 'vow',
    sub,
    nonce,
    iat: seconds(),
    exp: seconds() + 300,
    vow_roles: roles,
  });

/**
 * GET /staff/sso on `app`, with the provider set to answer `claims` for this flow: that answer, the
 * callback URL the provider would send the browser back to, and the flow cookie (its plain name, as
 * served over http) to send with it.
 */
export async function beginSso(
  app: FastifyInstance,
  op: MiniProvider,
  claims: (nonce: string) => Claims,
): Promise<{ res: LightMyRequestResponse; callback: string; cookie: string }> {
  const res = await app.inject({ method: 'GET', url: '/staff/sso' });
  if (res.statusCode !== 303) throw new Error(`GET /staff/sso answered ${res.statusCode}: ${res.body}`);
  const to = new URL(String(res.headers.location));
  op.nonce = to.searchParams.get('nonce') ?? '';
  op.idToken = claims;
  return {
    res,
    callback: `/staff/sso/callback?code=the-code&state=${to.searchParams.get('state')}`,
    cookie: `${SSO_COOKIE}=${encodeURIComponent(cookieFrom(res, SSO_COOKIE) ?? '')}`,
  };
}

/** The browser back at Vow's callback with the flow's cookie: Vow's answer. */
export function finishSso(app: FastifyInstance, flow: { callback: string; cookie: string }) {
  return app.inject({ method: 'GET', url: flow.callback, headers: { cookie: flow.cookie } });
}

/**
 * A good back-channel logout_token's claims from `op` for `who` (its `sid` and/or `sub`), issued at
 * `now` (seconds; Vow's clock, which checks `iat`) and good for two minutes.
 */
export function logoutClaims(op: MiniProvider, now: number, who: { sub?: string; sid?: string }): Claims {
  return {
    iss: op.issuer,
    aud: 'vow',
    iat: now,
    exp: now + 120,
    jti: randomUUID(),
    events: { [LOGOUT_EVENT]: {} },
    ...who,
  };
}

/** The provider's back-channel log-out posted to Vow with this logout_token: Vow's answer. */
export function postBackchannelLogout(app: FastifyInstance, token: string) {
  return app.inject({
    method: 'POST',
    url: '/staff/sso/backchannel-logout',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    payload: `logout_token=${encodeURIComponent(token)}`,
  });
}
