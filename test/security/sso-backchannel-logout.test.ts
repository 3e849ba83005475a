// The provider's back-channel log-out (security.md #54; OpenID Connect Back-Channel Logout 1.0): the
// provider posts a signed logout_token to POST /staff/sso/backchannel-logout and Vow ends the
// matching single sign-on sessions at once. A token not signed by the provider's keys, for another
// client, too old, carrying a nonce or no log-out event, or sent a second time ends nothing and is
// refused with VOW_SSO_LOGOUT_REFUSED and a stable reason. Tokens carry the test clock's times
// (Vow checks them against its own clock).
import assert from 'node:assert/strict';
import { generateKeyPairSync, sign } from 'node:crypto';
import { Writable } from 'node:stream';
import { after, it } from 'node:test';
import pino from 'pino';
import { cookieFrom } from '../helpers/auth.js';
import { describeEachDialect, type TestEnv } from '../helpers/env.js';
import {
  beginSso,
  type Claims,
  logoutClaims as claimsOf,
  finishSso,
  postBackchannelLogout,
  signedInAs,
  ssoConfig,
  startMiniProvider,
} from '../helpers/mini-oidc.js';

const op = await startMiniProvider();
after(() => op.close());

const logged: string[] = [];
const logger = pino(
  { level: 'trace' },
  new Writable({
    write(chunk: Buffer, _enc, done) {
      logged.push(chunk.toString('utf8'));
      done();
    },
  }),
);

async function signIn(e: TestEnv, sub: string, sid: string) {
  const claims = (nonce: string) => ({ ...signedInAs(op, sub, ['admin'])(nonce), sid });
  const res = await finishSso(e.app, await beginSso(e.app, op, claims));
  assert.equal(res.statusCode, 200, res.body);
  const token = cookieFrom(res, 'vow_staff')!;
  return { cookie: `vow_staff=${encodeURIComponent(token)}` };
}

const live = async (e: TestEnv, cookie: string) =>
  (await e.app.inject({ method: 'GET', url: '/v1/staff/me', headers: { cookie } })).statusCode === 200;

/** A good logout_token's claims for `who` (sid and/or sub), issued now on Vow's clock. */
const logoutClaims = (e: TestEnv, who: { sub?: string; sid?: string }): Claims =>
  claimsOf(op, Math.floor(e.clock.now().getTime() / 1000), who);

const post = (e: TestEnv, token: string) => postBackchannelLogout(e.app, token);

function assertRefused(res: { statusCode: number; json(): unknown }, reason: string) {
  assert.equal(res.statusCode, 400, reason);
  const body = res.json() as { error: { code: string; details?: { reason?: string } } };
  assert.equal(body.error.code, 'VOW_SSO_LOGOUT_REFUSED');
  assert.equal(body.error.details?.reason, reason);
}

describeEachDialect(
  'single sign-on back-channel log-out',
  (env) => {
    it('ends the sessions of the sid it names, and only those', async () => {
      const e = env();
      const a = await signIn(e, 'erin', 'op-a');
      const b = await signIn(e, 'erin', 'op-b');
      const res = await post(
        e,
        op.sign(logoutClaims(e, { sid: 'op-a', sub: 'erin' }), { typ: 'logout+jwt' }),
      );
      assert.equal(res.statusCode, 200, res.body);
      assert.equal(res.headers['cache-control'], 'no-store');
      assert.equal(await live(e, a.cookie), false, 'the provider session signed out');
      assert.equal(await live(e, b.cookie), true, 'another provider session of the same person stays');
      const audit = await e.store.db
        .selectFrom('audit_log')
        .select('details')
        .where('action', '=', 'staff.sso.session_ended')
        .execute();
      assert.ok(audit.some((x) => /"reason":"backchannel_logout"/.test(String(x.details))));
    });

    it('a token naming only the sub ends every single sign-on session of that person', async () => {
      const e = env();
      const a = await signIn(e, 'fay', 'op-c');
      const b = await signIn(e, 'fay', 'op-d');
      const other = await signIn(e, 'gus', 'op-e');
      const res = await post(e, op.sign(logoutClaims(e, { sub: 'fay' })));
      assert.equal(res.statusCode, 200, res.body);
      assert.deepEqual(
        [await live(e, a.cookie), await live(e, b.cookie), await live(e, other.cookie)],
        [false, false, true],
      );
    });

    it('refuses forged, expired, replayed and ill-formed tokens with a stable reason, ending nothing', async () => {
      const e = env();
      // With a refresh token: the clock moves 7 minutes, past the re-check, which a session without
      // one would spend waiting for its silent re-authentication (sso-silent-reauth.test.ts).
      op.offline = true;
      const s = await signIn(e, 'hal', 'op-f');
      const who = { sub: 'hal', sid: 'op-f' };
      // Signed with a key the provider does not publish, under its key id.
      const { privateKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
      const b64 = (v: unknown) => Buffer.from(JSON.stringify(v)).toString('base64url');
      const data = `${b64({ alg: 'RS256', kid: 'k1' })}.${b64(logoutClaims(e, who))}`;
      const forged = `${data}.${sign('sha256', Buffer.from(data), privateKey).toString('base64url')}`;
      assertRefused(await post(e, forged), 'bad_signature');
      const unsigned = `${b64({ alg: 'none' })}.${b64(logoutClaims(e, who))}.`;
      assertRefused(await post(e, unsigned), 'malformed');
      assertRefused(await post(e, 'not-a-jwt'), 'malformed');
      const missing = await e.app.inject({
        method: 'POST',
        url: '/staff/sso/backchannel-logout',
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
        payload: 'something=else',
      });
      assertRefused(missing, 'malformed');

      const old = logoutClaims(e, who);
      e.clock.advance(7 * 60_000);
      assertRefused(await post(e, op.sign(old)), 'expired');
      const { events: _events, ...noEvent } = logoutClaims(e, who);
      assertRefused(await post(e, op.sign(noEvent)), 'bad_claims');
      assertRefused(await post(e, op.sign({ ...logoutClaims(e, who), events: { other: {} } })), 'bad_claims');
      assertRefused(await post(e, op.sign({ ...logoutClaims(e, who), nonce: 'n' })), 'bad_claims');
      assertRefused(await post(e, op.sign({ ...logoutClaims(e, who), aud: 'another-client' })), 'bad_claims');
      assertRefused(
        await post(e, op.sign({ ...logoutClaims(e, who), iss: 'https://elsewhere.example' })),
        'bad_claims',
      );
      const { sub: _s, sid: _d, ...nobody } = logoutClaims(e, who);
      assertRefused(await post(e, op.sign(nobody)), 'bad_claims');
      assertRefused(await post(e, op.sign(logoutClaims(e, who), { typ: 'at+jwt' })), 'bad_claims');
      assert.equal(await live(e, s.cookie), true, 'none of them ended the session');

      // A good token works once; the same token again is a replay.
      const good = op.sign(logoutClaims(e, { sub: 'nobody-here' }));
      assert.equal((await post(e, good)).statusCode, 200);
      assertRefused(await post(e, good), 'replayed');
      assert.equal(await live(e, s.cookie), true);
    });

    it('no logout_token reaches the logs', async () => {
      const e = env();
      logged.length = 0;
      await signIn(e, 'ivy', 'op-g');
      const tokens = [
        op.sign(logoutClaims(e, { sub: 'ivy' })),
        op.sign({ ...logoutClaims(e, { sub: 'ivy' }), nonce: 'x' }),
      ];
      for (const t of tokens) await post(e, t);
      await post(e, tokens[0]!);
      assert.ok(logged.length > 0);
      for (const line of logged)
        for (const t of tokens) {
          assert.ok(!line.includes(t), 'no token');
          assert.ok(!line.includes(t.split('.')[2]!), 'not even its signature');
        }
    });
  },
  { auth: 'enforced', rateLimits: false, config: ssoConfig(op), logger },
);
