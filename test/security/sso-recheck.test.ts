// Single sign-on sessions re-checked at the provider (security.md #54). Before, Vow asked the
// provider once per sign-in and kept no refresh token: a staff member whose roles the provider's
// administrator removed, or who was disabled there, kept an open console session until the idle
// limit (30 minutes) or the 12 hours. Now a sign-in keeps the provider's refresh token sealed per
// session, and a request to a session whose last check is VOW_SSO_RECHECK_MINUTES (5) old refreshes
// it: the new roles replace the account's (none: the session ends), a refused refresh ends the
// session, an unreachable provider keeps it for VOW_SSO_OUTAGE_GRACE_MINUTES (30) past the due check.
// The test's clock is moved by hand; the provider is the test's own (mini-oidc.ts).
import assert from 'node:assert/strict';
import { Writable } from 'node:stream';
import { after, beforeEach, it } from 'node:test';
import pino from 'pino';
import { csrfTokenFor } from '../../src/modules/identity/index.js';
import { loadConfig } from '../../src/platform/config.js';
import { VowError } from '../../src/platform/errors.js';
import { cookieFrom } from '../helpers/auth.js';
import { describeEachDialect, type TestEnv } from '../helpers/env.js';
import { beginSso, finishSso, signedInAs, ssoConfig, startMiniProvider } from '../helpers/mini-oidc.js';

const MINUTE = 60_000;
const op = await startMiniProvider();
after(() => op.close());

/** Everything the app logs, to look for tokens in. */
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

async function signIn(e: TestEnv, roles: string[] = ['admin'], sub = 'dana', sid = 'op-session-1') {
  const claims = (nonce: string) => ({ ...signedInAs(op, sub, roles)(nonce), sid });
  const res = await finishSso(e.app, await beginSso(e.app, op, claims));
  assert.equal(res.statusCode, 200, res.body);
  op.idToken = claims;
  const token = cookieFrom(res, 'vow_staff')!;
  return { token, id: token.split('.')[0]!, headers: { cookie: `vow_staff=${encodeURIComponent(token)}` } };
}

const get = (e: TestEnv, headers: Record<string, string>, url = '/v1/staff/me') =>
  e.app.inject({ method: 'GET', url, headers });

const ssoRow = (e: TestEnv, session: string) =>
  e.store.db
    .selectFrom('staff_sso_sessions')
    .selectAll()
    .where('session_id', '=', session)
    .executeTakeFirst();

/** The audited ends of one session. */
const ended = async (e: TestEnv, session: string) =>
  (
    await e.store.db
      .selectFrom('audit_log')
      .select('details')
      .where('action', '=', 'staff.sso.session_ended')
      .execute()
  )
    .map((a) => JSON.parse(String(a.details)) as Record<string, unknown>)
    .filter((d) => d.session === session);

describeEachDialect(
  'single sign-on sessions re-checked at the provider',
  (env) => {
    beforeEach(() => {
      op.offline = true;
      op.disabled.clear();
      op.down = false;
      op.refreshCalls = 0;
    });

    it('asks for offline_access when discovery lists it, and keeps the refresh token sealed', async () => {
      const e = env();
      const started = await e.app.inject({ method: 'GET', url: '/staff/sso' });
      assert.equal(
        new URL(String(started.headers.location)).searchParams.get('scope'),
        'openid offline_access',
      );
      const { id } = await signIn(e);
      const row = await ssoRow(e, id);
      assert.ok(row?.refresh_sealed, 'a refresh token is kept');
      const granted = [...op.refreshTokens.keys()].at(-1)!;
      assert.ok(!row.refresh_sealed.includes(granted), 'sealed, not in the clear');
      assert.equal(row.sid, 'op-session-1');
      const session = await e.store.db
        .selectFrom('sessions')
        .select('sso_checked_at')
        .where('id', '=', id)
        .executeTakeFirst();
      assert.equal(session?.sso_checked_at, e.clock.now().toISOString());
    });

    it('a role removed at the provider reaches the open session within the re-check window', async () => {
      const e = env();
      const { headers, id } = await signIn(e, ['admin']);
      const accounts = () => get(e, headers, '/v1/staff/accounts');
      assert.equal((await accounts()).statusCode, 200);
      const before = (await ssoRow(e, id))!.refresh_sealed;
      op.idToken = signedInAs(op, 'dana', ['auditor']);
      e.clock.advance(4 * MINUTE);
      assert.equal((await accounts()).statusCode, 200, 'not re-checked before 5 minutes');
      assert.equal(op.refreshCalls, 0);
      e.clock.advance(MINUTE);
      const after5 = await accounts();
      assert.equal(after5.statusCode, 403, 'the administrator role is gone at 5 minutes');
      assert.equal(after5.json().error.code, 'VOW_FORBIDDEN');
      assert.equal(op.refreshCalls, 1);
      assert.equal((await get(e, headers)).statusCode, 200, 'the session goes on as an auditor');
      const row = (await ssoRow(e, id))!;
      assert.notEqual(row.refresh_sealed, before, 'the rotated refresh token replaced the old one');
      e.clock.advance(5 * MINUTE);
      assert.equal((await get(e, headers)).statusCode, 200, 'the rotated token refreshes again');
      assert.equal(op.refreshCalls, 2);
    });

    it('one refresh at a time: requests racing at the due check make one call', async () => {
      const e = env();
      const { headers } = await signIn(e, ['auditor']);
      e.clock.advance(5 * MINUTE);
      const answers = await Promise.all([get(e, headers), get(e, headers), get(e, headers)]);
      assert.deepEqual(
        answers.map((a) => a.statusCode),
        [200, 200, 200],
      );
      assert.equal(op.refreshCalls, 1);
    });

    it('roles removed down to none end the session', async () => {
      const e = env();
      const { headers, id } = await signIn(e, ['admin']);
      op.idToken = signedInAs(op, 'dana', []);
      e.clock.advance(5 * MINUTE);
      assert.equal((await get(e, headers)).statusCode, 401);
      assert.deepEqual(
        (await ended(e, id)).map((d) => d.reason),
        ['no_roles'],
      );
      assert.equal(await ssoRow(e, id), undefined, 'the sealed token is deleted with the session');
    });

    it('a person disabled at the provider (refresh refused) loses the session at the next check', async () => {
      const e = env();
      const { headers, id } = await signIn(e, ['admin']);
      op.disabled.add('dana');
      e.clock.advance(5 * MINUTE);
      assert.equal((await get(e, headers)).statusCode, 401);
      const [audit] = await ended(e, id);
      assert.equal(audit?.reason, 'refresh_refused');
      assert.equal(audit?.error, 'invalid_grant');
      assert.equal(await ssoRow(e, id), undefined);
      op.disabled.clear();
      e.clock.advance(MINUTE);
      assert.equal((await get(e, headers)).statusCode, 401, 'ended for good');
    });

    it('an outage keeps the session within the grace, retried each minute; then it ends', async () => {
      const e = env();
      const { headers, id } = await signIn(e, ['admin']);
      op.down = 'socket';
      e.clock.advance(5 * MINUTE);
      assert.equal((await get(e, headers)).statusCode, 200, 'kept while the provider is unreachable');
      assert.equal((await get(e, headers)).statusCode, 200);
      assert.equal(op.refreshCalls, 0, 'the connection was dropped before the grant was read');
      op.down = 'http';
      const calls = op.tokenCalls;
      for (let m = 1; m <= 29; m++) {
        e.clock.advance(MINUTE);
        assert.equal((await get(e, headers)).statusCode, 200, `minute ${m} of the grace`);
        assert.equal((await get(e, headers)).statusCode, 200);
      }
      assert.equal(op.tokenCalls - calls, 29, 'tried again once a minute, not at every request');
      e.clock.advance(MINUTE);
      assert.equal((await get(e, headers)).statusCode, 401, '30 minutes past the due check: ended');
      assert.equal((await ended(e, id))[0]?.reason, 'provider_unreachable');
    });

    it('a provider back within the grace keeps the session and checks again', async () => {
      const e = env();
      const { headers, id } = await signIn(e, ['admin']);
      op.down = 'http';
      e.clock.advance(5 * MINUTE);
      assert.equal((await get(e, headers)).statusCode, 200);
      op.down = false;
      op.idToken = signedInAs(op, 'dana', ['auditor']);
      e.clock.advance(MINUTE);
      assert.equal((await get(e, headers, '/v1/staff/accounts')).statusCode, 403, 'the retry a minute later');
      assert.equal(op.refreshCalls, 1);
      assert.deepEqual(await ended(e, id), []);
    });

    it('without a refresh token the session is not refreshed: it waits for a silent re-authentication', async () => {
      const e = env();
      op.offline = false;
      const { headers, id } = await signIn(e, ['admin']);
      assert.equal((await ssoRow(e, id))?.refresh_sealed, null);
      e.clock.advance(4 * MINUTE);
      assert.equal((await get(e, headers)).statusCode, 200);
      e.clock.advance(2 * MINUTE);
      // Refused until the provider re-authenticates it (prompt=none: sso-silent-reauth.test.ts), not ended.
      assert.equal((await get(e, headers)).statusCode, 401);
      assert.equal(op.refreshCalls, 0);
      assert.ok(await ssoRow(e, id), 'still there: the session has not ended');
    });

    it('logging out, or the account disabled in Vow, deletes the sealed token', async () => {
      const e = env();
      const first = await signIn(e, ['admin']);
      const out = await e.app.inject({
        method: 'POST',
        url: '/staff/logout',
        headers: {
          ...first.headers,
          'x-csrf-token': csrfTokenFor(first.token),
          'sec-fetch-site': 'same-origin',
        },
      });
      assert.ok(out.statusCode < 400, out.body);
      assert.equal(await ssoRow(e, first.id), undefined, 'logged out: gone');
      const { id } = await signIn(e, ['admin']);
      const row = (await ssoRow(e, id))!;
      await e.services.identity.sessions.endAll('staff', row.staff_id);
      assert.equal(await ssoRow(e, id), undefined, 'every session ended: gone');
    });

    it('no refresh or access token reaches the logs', async () => {
      const e = env();
      logged.length = 0;
      const { headers } = await signIn(e, ['admin']);
      const granted = [...op.refreshTokens.keys()];
      op.idToken = signedInAs(op, 'dana', ['auditor']);
      e.clock.advance(5 * MINUTE);
      await get(e, headers);
      op.down = 'http';
      e.clock.advance(5 * MINUTE);
      await get(e, headers);
      op.down = false;
      op.disabled.add('dana');
      e.clock.advance(MINUTE);
      await get(e, headers);
      const all = [...granted, ...op.refreshTokens.keys()];
      assert.ok(logged.length > 0, 'something was logged');
      for (const line of logged) {
        assert.ok(!/rt-[0-9a-f]{32}/.test(line), `no refresh token in: ${line}`);
        assert.ok(!line.includes('at-refreshed'), 'no access token');
        for (const t of all) assert.ok(!line.includes(t));
      }
    });

    it('VOW_SSO_RECHECK_MINUTES and VOW_SSO_OUTAGE_GRACE_MINUTES are bounded; VOW_SSO_OFFLINE_ACCESS is a choice', () => {
      const base = {
        VOW_DATA_DIR: '.tmp/test-data',
        VOW_OIDC_ISSUER: op.issuer,
        VOW_OIDC_CLIENT_ID: 'vow',
        VOW_OIDC_CLIENT_SECRET: 'secret',
      };
      assert.equal(loadConfig(base).oidc?.recheckMs, 5 * MINUTE);
      assert.equal(loadConfig(base).oidc?.outageGraceMs, 30 * MINUTE);
      assert.equal(loadConfig(base).oidc?.offlineAccess, 'auto');
      assert.equal(loadConfig({ ...base, VOW_SSO_RECHECK_MINUTES: '2' }).oidc?.recheckMs, 2 * MINUTE);
      const bad: [string, string][] = [
        ['VOW_SSO_RECHECK_MINUTES', '0'],
        ['VOW_SSO_RECHECK_MINUTES', '61'],
        ['VOW_SSO_RECHECK_MINUTES', 'often'],
        ['VOW_SSO_RECHECK_MINUTES', '2.5'],
        ['VOW_SSO_OUTAGE_GRACE_MINUTES', '-1'],
        ['VOW_SSO_OUTAGE_GRACE_MINUTES', '241'],
        ['VOW_SSO_OFFLINE_ACCESS', 'yes'],
      ];
      for (const [key, value] of bad)
        assert.throws(
          () => loadConfig({ ...base, [key]: value }),
          (err: unknown) =>
            err instanceof VowError && err.code === 'VOW_CONFIG_INVALID' && err.message.includes(key),
          `${key}=${value}`,
        );
    });
  },
  { auth: 'enforced', rateLimits: false, config: ssoConfig(op), logger },
);

describeEachDialect(
  'single sign-on with VOW_SSO_OFFLINE_ACCESS=off',
  (env) => {
    it('asks for openid alone, even when the provider lists offline_access', async () => {
      op.offline = true;
      const started = await env().app.inject({ method: 'GET', url: '/staff/sso' });
      assert.equal(new URL(String(started.headers.location)).searchParams.get('scope'), 'openid');
    });
  },
  { auth: 'enforced', rateLimits: false, config: ssoConfig(op, { VOW_SSO_OFFLINE_ACCESS: 'off' }) },
);
