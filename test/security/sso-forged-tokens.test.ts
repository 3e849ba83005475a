// Staff single sign-on against a provider that answers whatever the test tells it to (a minimal
// OpenID Connect provider on a loopback port: discovery, keys, token and userinfo endpoints): an ID
// token for another client, from another issuer, expired, without an expiry, without the nonce or
// with another, an answer with another state, and roles offered at the userinfo endpoint for
// another subject are all refused (invalid_response) and create no staff account; the same answer
// done right signs in. Security review round 3b: these held (docs/security.md, "Tried and held").
// The provider is test/helpers/mini-oidc.ts.
import assert from 'node:assert/strict';
import { after, it } from 'node:test';
import { describeEachDialect, type TestEnv } from '../helpers/env.js';
import { type Claims, signedInAs, ssoConfig, startMiniProvider } from '../helpers/mini-oidc.js';

const op = await startMiniProvider();
after(() => op.close());

const seconds = () => Math.floor(Date.now() / 1000);
const good = signedInAs(op, 'ann', ['admin']);
const without = (claims: Claims, key: string): Claims => {
  const { [key]: _, ...rest } = claims;
  return rest;
};

/** One sign-in: started here, answered by the provider with `claims`; the refusal's reason or 'in'. */
async function signIn(e: TestEnv, claims: (n: string) => Claims, state?: string): Promise<string> {
  const sso = e.services.identity.sso!;
  const started = await sso.start();
  const flow = JSON.parse(Buffer.from(started.cookie.split('.')[0]!, 'base64url').toString()) as {
    state: string;
    nonce: string;
  };
  op.nonce = flow.nonce;
  op.idToken = claims;
  const back = new URL(`${e.ctx.config.publicUrl}/staff/sso/callback?code=c1&state=${state ?? flow.state}`);
  try {
    await sso.finish(back, started.cookie);
    return 'in';
  } catch (err) {
    return String((err as { details?: { reason?: string } }).details?.reason);
  }
}

describeEachDialect(
  'single sign-on answers that do not check out',
  (env) => {
    it('refuses a forged or misdirected ID token and creates no account', async () => {
      const e = env();
      const cases: [string, (n: string) => Claims, string?][] = [
        ['another client', (n) => ({ ...good(n), aud: 'other' })],
        ['this and another client', (n) => ({ ...good(n), aud: ['vow', 'other'] })],
        ['another issuer', (n) => ({ ...good(n), iss: 'http://127.0.0.1:1' })],
        ['expired', (n) => ({ ...good(n), iat: seconds() - 900, exp: seconds() - 600 })],
        ['no expiry', (n) => without(good(n), 'exp')],
        ['no nonce', (n) => without(good(n), 'nonce')],
        ['another nonce', (n) => ({ ...good(n), nonce: 'another' })],
        ['another state', good, 'another'],
      ];
      for (const [what, claims, state] of cases)
        assert.equal(await signIn(e, claims, state), 'invalid_response', what);
      op.userinfo = { sub: 'bob', vow_roles: ['admin'] };
      assert.equal(
        await signIn(e, (n) => without(good(n), 'vow_roles')),
        'invalid_response',
        'roles of another subject at the userinfo endpoint',
      );
      assert.deepEqual(await e.store.db.selectFrom('staff_sso_identities').select('subject').execute(), []);
    });

    it('signs in with the same answer done right', async () => {
      assert.equal(await signIn(env(), good), 'in');
    });
  },
  { config: ssoConfig(op) },
);
