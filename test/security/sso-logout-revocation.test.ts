// A log-out revokes the single sign-on refresh token at the provider (RFC 7009; security.md #54).
// Before, logging out of the console deleted Vow's sealed copy of the refresh token but left the grant
// alive at the provider: whoever had the token (a copy taken before, a backup of the store with the
// vault's key) could still refresh it there. Now the log-out asks the provider's revocation endpoint,
// through openid-client, when discovery names one; a revocation that fails blocks nothing (the session
// ends here anyway) and is audited without the token. The provider is the test's own (mini-oidc.ts).
import assert from 'node:assert/strict';
import { Writable } from 'node:stream';
import { after, beforeEach, it } from 'node:test';
import pino from 'pino';
import { csrfTokenFor } from '../../src/modules/identity/index.js';
import { cookieFrom } from '../helpers/auth.js';
import { describeEachDialect, type TestEnv } from '../helpers/env.js';
import {
  beginSso,
  finishSso,
  logoutClaims,
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

async function signIn(e: TestEnv) {
  const claims = (nonce: string) => ({ ...signedInAs(op, 'dana', ['admin'])(nonce), sid: 'op-session-1' });
  const res = await finishSso(e.app, await beginSso(e.app, op, claims));
  assert.equal(res.statusCode, 200, res.body);
  const token = cookieFrom(res, 'vow_staff')!;
  return {
    token,
    id: token.split('.')[0]!,
    granted: [...op.refreshTokens.keys()].at(-1)!,
    headers: { cookie: `vow_staff=${encodeURIComponent(token)}` },
  };
}

const logOut = (e: TestEnv, s: { token: string; headers: Record<string, string> }) =>
  e.app.inject({
    method: 'POST',
    url: '/staff/logout',
    headers: { ...s.headers, 'x-csrf-token': csrfTokenFor(s.token), 'sec-fetch-site': 'same-origin' },
  });

/** The refresh token used at the provider directly (as whoever held a copy would): its status. */
async function refreshAtProvider(token: string): Promise<number> {
  const res = await fetch(`${op.issuer}/token`, {
    method: 'POST',
    headers: {
      'content-type': 'application/x-www-form-urlencoded',
      authorization: `Basic ${Buffer.from('vow:secret').toString('base64')}`,
    },
    body: new URLSearchParams({ grant_type: 'refresh_token', refresh_token: token }),
  });
  await res.arrayBuffer();
  return res.status;
}

const ssoRow = (e: TestEnv, session: string) =>
  e.store.db
    .selectFrom('staff_sso_sessions')
    .selectAll()
    .where('session_id', '=', session)
    .executeTakeFirst();

/** The staff member a session is of. */
async function ssoStaffId(e: TestEnv, session: string): Promise<string | undefined> {
  const row = await e.store.db
    .selectFrom('sessions')
    .select('principal_id')
    .where('id', '=', session)
    .executeTakeFirst();
  return row?.principal_id;
}

/** The console user name of the staff member a session is of. */
async function usernameOf(e: TestEnv, session: string): Promise<string> {
  const row = await e.store.db
    .selectFrom('sessions')
    .innerJoin('staff_accounts', 'staff_accounts.id', 'sessions.principal_id')
    .select('staff_accounts.username')
    .where('sessions.id', '=', session)
    .executeTakeFirstOrThrow();
  return row.username;
}

const audited = async (e: TestEnv, action: string) =>
  (await e.store.db.selectFrom('audit_log').select('details').where('action', '=', action).execute()).map(
    (a) => JSON.parse(String(a.details)) as Record<string, unknown>,
  );

describeEachDialect(
  'a single sign-on log-out revokes the refresh token at the provider',
  (env) => {
    beforeEach(() => {
      op.offline = true;
      op.revocation = true;
      op.revoked.length = 0;
      op.down = false;
      logged.length = 0;
    });

    it('the refresh token no longer works at the provider after the log-out', async () => {
      const e = env();
      const s = await signIn(e);
      assert.equal(await refreshAtProvider(s.granted), 200, 'usable before the log-out');
      // That refresh rotated it: the chain's latest is what the session would hold. Sign in afresh.
      const t = await signIn(e);
      const out = await logOut(e, t);
      assert.ok(out.statusCode < 400, out.body);
      assert.deepEqual(op.revoked, [{ token: t.granted, hint: 'refresh_token', client: 'vow' }]);
      assert.equal(await refreshAtProvider(t.granted), 400, 'refused at the provider after the log-out');
      assert.equal(await ssoRow(e, t.id), undefined, 'the sealed token is erased');
      assert.equal(
        (await e.app.inject({ method: 'GET', url: '/v1/staff/me', headers: t.headers })).statusCode,
        401,
      );
      assert.deepEqual(await audited(e, 'staff.sso.revocation_failed'), []);
    });

    it('a revocation the provider fails does not block the log-out, and is recorded without the token', async () => {
      const e = env();
      const s = await signIn(e);
      op.revocation = 'down';
      const logOuts = (await audited(e, 'staff.logout')).length;
      const out = await logOut(e, s);
      assert.ok(out.statusCode < 400, out.body);
      assert.equal(op.revoked.length, 1, 'the provider was asked');
      assert.equal(
        (await e.app.inject({ method: 'GET', url: '/v1/staff/me', headers: s.headers })).statusCode,
        401,
      );
      assert.equal(await ssoRow(e, s.id), undefined, 'the sealed token is erased even so');
      const [failed, ...more] = await audited(e, 'staff.sso.revocation_failed');
      assert.deepEqual(more, []);
      assert.deepEqual(failed, { session: s.id, issuer: op.issuer, error: 'http_503' });
      assert.equal((await audited(e, 'staff.logout')).length, logOuts + 1, 'the log-out is audited as ever');
      assert.ok(logged.some((l) => l.includes('not revoked at the provider')));
      for (const line of logged) assert.ok(!line.includes(s.granted), `no refresh token in: ${line}`);
    });

    it('disabling a staff member revokes every refresh token of theirs at the provider', async () => {
      const e = env();
      const s = await signIn(e);
      const t = await signIn(e);
      const dana = await usernameOf(e, s.id);
      const failures = (await audited(e, 'staff.sso.revocation_failed')).length;
      try {
        await e.services.identity.staff.setDisabled(dana, true, null);
        // Theirs of earlier tests too: every session of theirs ended.
        for (const granted of [s.granted, t.granted]) {
          assert.ok(
            op.revoked.some((r) => r.token === granted && r.hint === 'refresh_token'),
            'revoked',
          );
          assert.equal(await refreshAtProvider(granted), 400, 'refused at the provider');
        }
        const left = await e.store.db
          .selectFrom('staff_sso_sessions')
          .select('session_id')
          .where('staff_id', '=', (await ssoStaffId(e, s.id))!)
          .execute();
        assert.deepEqual(left, [], 'every sealed token of theirs is erased');
        assert.equal((await audited(e, 'staff.sso.revocation_failed')).length, failures);
      } finally {
        await e.services.identity.staff.setDisabled(dana, false, null);
      }
    });

    it("a password reset revokes them too, and the provider's failure blocks nothing and is recorded", async () => {
      const e = env();
      const s = await signIn(e);
      const failures = (await audited(e, 'staff.sso.revocation_failed')).length;
      op.revocation = 'down';
      await e.services.identity.staff.resetPassword(await usernameOf(e, s.id), null);
      assert.ok(
        op.revoked.some((r) => r.token === s.granted),
        'the provider was asked',
      );
      assert.equal(
        (await e.app.inject({ method: 'GET', url: '/v1/staff/me', headers: s.headers })).statusCode,
        401,
        'the session ended here',
      );
      assert.equal(await ssoRow(e, s.id), undefined, 'the sealed token is erased even so');
      const recorded = (await audited(e, 'staff.sso.revocation_failed')).slice(failures);
      assert.ok(recorded.length >= 1);
      assert.deepEqual(
        recorded.find((d) => d.session === s.id),
        {
          session: s.id,
          issuer: op.issuer,
          error: 'http_503',
        },
      );
      for (const line of logged) assert.ok(!line.includes(s.granted), `no refresh token in: ${line}`);
    });

    it('a session past its 12 hours has its refresh token revoked at the next sign-in', async () => {
      const e = env();
      const s = await signIn(e);
      // Its 12 hours are over (the provider's tokens are stamped with the real time, so the row's end
      // is moved rather than the clock).
      await e.store.db
        .updateTable('staff_sso_sessions')
        .set({ expires_at: new Date(e.clock.now().getTime() - 1000).toISOString() })
        .where('session_id', '=', s.id)
        .execute();
      const t = await signIn(e);
      assert.deepEqual(
        op.revoked.map((r) => r.token),
        [s.granted],
        "the lapsed session's, not the new one's",
      );
      assert.equal(await refreshAtProvider(s.granted), 400);
      assert.equal(await ssoRow(e, s.id), undefined);
      assert.ok((await ssoRow(e, t.id))?.refresh_sealed, 'the new session keeps its own');
    });

    it("a provider's back-channel log-out ends the session and revokes its refresh token too", async () => {
      const e = env();
      const claims = (nonce: string) => ({ ...signedInAs(op, 'ivy', ['admin'])(nonce), sid: 'op-ivy' });
      const res = await finishSso(e.app, await beginSso(e.app, op, claims));
      assert.equal(res.statusCode, 200, res.body);
      const granted = [...op.refreshTokens.keys()].at(-1)!;
      const now = Math.floor(e.clock.now().getTime() / 1000);
      const out = await postBackchannelLogout(e.app, op.sign(logoutClaims(op, now, { sid: 'op-ivy' })));
      assert.equal(out.statusCode, 200, out.body);
      assert.deepEqual(
        op.revoked.map((r) => r.token),
        [granted],
      );
      assert.equal(await refreshAtProvider(granted), 400);
    });

    it('a session found lapsed at the idle limit has its refresh token revoked there and then', async () => {
      const e = env();
      const s = await signIn(e);
      // Its last request was longer ago than the idle limit (moved in the store: the provider's
      // tokens are stamped with the real time, so the clock stays).
      const long = new Date(e.clock.now().getTime() - e.ctx.config.staffIdleMs - 1000).toISOString();
      await e.store.db
        .updateTable('sessions')
        .set({ last_seen_at: long, created_at: long })
        .where('id', '=', s.id)
        .execute();
      const me = await e.app.inject({ method: 'GET', url: '/v1/staff/me', headers: s.headers });
      assert.equal(me.statusCode, 401);
      assert.deepEqual(
        op.revoked.map((r) => r.token),
        [s.granted],
      );
      assert.equal(await refreshAtProvider(s.granted), 400);
      assert.equal((await ssoRow(e, s.id))?.refresh_sealed, null, 'its sealed token is forgotten');
    });
  },
  { auth: 'enforced', rateLimits: false, config: ssoConfig(op), logger },
);

// A provider whose discovery names no revocation endpoint (a separate one: discovery is read once).
const plain = await startMiniProvider();
after(() => plain.close());

describeEachDialect(
  'a single sign-on log-out with a provider that revokes nothing',
  (env) => {
    it('the provider is not asked, and the log-out ends the session here', async () => {
      const e = env();
      plain.offline = true;
      const claims = signedInAs(plain, 'dana', ['admin']);
      const res = await finishSso(e.app, await beginSso(e.app, plain, claims));
      const token = cookieFrom(res, 'vow_staff')!;
      const s = { token, headers: { cookie: `vow_staff=${encodeURIComponent(token)}` } };
      const id = token.split('.')[0]!;
      assert.ok((await ssoRow(e, id))?.refresh_sealed);
      const out = await logOut(e, s);
      assert.ok(out.statusCode < 400, out.body);
      assert.deepEqual(plain.revoked, []);
      assert.equal(await ssoRow(e, id), undefined, 'the sealed token is erased');
      assert.deepEqual(await audited(e, 'staff.sso.revocation_failed'), []);
    });
  },
  { auth: 'enforced', rateLimits: false, config: ssoConfig(plain) },
);
