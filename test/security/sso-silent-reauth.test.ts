// Single sign-on sessions without a refresh token are bounded too (security.md #54). Before, a
// provider that grants no refresh token (no offline_access) left its sessions unchecked until the idle
// limit or the 12 hours: a person disabled there, or whose roles were removed, kept the console. Now,
// once such a session's last check is VOW_SSO_RECHECK_MINUTES (5) old, a console page goes through
// the provider with prompt=none (silent re-authentication): the same subject comes back with fresh
// roles and the session goes on for another window; login_required, any other error, another subject
// or no roles end it. API calls get 401 VOW_UNAUTHENTICATED meanwhile, not a redirect. The test's clock
// is moved by hand; the provider is the test's own (mini-oidc.ts), its answers written by the test.
import assert from 'node:assert/strict';
import { after, beforeEach, it } from 'node:test';
import { createServices } from '../../src/app/services.js';
import { buildApp } from '../../src/http/app.js';
import { csrfTokenFor, SSO_COOKIE } from '../../src/modules/identity/index.js';
import { cookieFrom } from '../helpers/auth.js';
import { describeEachDialect, type TestEnv, testLookup } from '../helpers/env.js';
import { beginSso, finishSso, signedInAs, ssoConfig, startMiniProvider } from '../helpers/mini-oidc.js';

const MINUTE = 60_000;
const op = await startMiniProvider();
after(() => op.close());

async function signIn(e: TestEnv, roles: string[] = ['admin']) {
  const res = await finishSso(e.app, await beginSso(e.app, op, signedInAs(op, 'dana', roles)));
  assert.equal(res.statusCode, 200, res.body);
  const token = cookieFrom(res, 'vow_staff')!;
  return { id: token.split('.')[0]!, headers: { cookie: `vow_staff=${encodeURIComponent(token)}` } };
}

const api = (e: TestEnv, headers: Record<string, string>, url = '/v1/staff/me') =>
  e.app.inject({ method: 'GET', url, headers });
/** A console page as a browser asks for it (a top-level navigation). */
const page = (e: TestEnv, headers: Record<string, string>, url: string) =>
  e.app.inject({ method: 'GET', url, headers: { ...headers, accept: 'text/html' } });

/**
 * The log-in page asked for with a session waiting for its re-authentication: it must send the
 * browser to the provider with prompt=none; the callback the provider would answer, and the flow cookie.
 */
async function throughProvider(
  e: TestEnv,
  headers: Record<string, string>,
  url = '/staff/login?next=%2Fstaff',
) {
  const res = await page(e, headers, url);
  assert.equal(res.statusCode, 303, res.body);
  const to = new URL(String(res.headers.location));
  assert.equal(to.origin + to.pathname, `${op.issuer}/auth`);
  assert.equal(to.searchParams.get('prompt'), 'none', 'silent: the provider shows no page');
  op.nonce = to.searchParams.get('nonce') ?? '';
  const state = to.searchParams.get('state');
  return {
    callback: (answer = 'code=the-code') => `/staff/sso/callback?${answer}&state=${state}`,
    cookie: `${SSO_COOKIE}=${encodeURIComponent(cookieFrom(res, SSO_COOKIE) ?? '')}`,
  };
}

const revoked = async (e: TestEnv, id: string) =>
  (await e.store.db.selectFrom('sessions').select('revoked_at').where('id', '=', id).executeTakeFirst())
    ?.revoked_at ?? null;

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
  'single sign-on sessions without a refresh token re-authenticate silently',
  (env) => {
    beforeEach(() => {
      op.offline = false;
      op.disabled.clear();
      op.unreachable = false;
    });

    // A Vow restarted while the provider is out of reach has not discovered it: the
    // re-authentication cannot start, so the log-in page answers instead of an error or a redirect
    // to nowhere; the session is not ended (the provider refused nothing) and serves nothing meanwhile.
    it('with the provider out of reach after a restart: the log-in page, nothing ended, no API call served', async () => {
      const e = env();
      const { headers, id } = await signIn(e);
      op.unreachable = true;
      // The restarted Vow: new services on the same store, nothing of the provider discovered.
      const restarted = await buildApp(
        e.ctx,
        { logger: false, rateLimits: false },
        createServices(e.ctx, { webhookResolver: { lookup: testLookup } }),
      );
      try {
        e.clock.advance(5 * MINUTE);
        const login = await restarted.inject({
          method: 'GET',
          url: '/staff/login?next=%2Fstaff',
          headers: { ...headers, accept: 'text/html' },
        });
        assert.equal(login.statusCode, 200, 'the log-in page, not a redirect to a provider out of reach');
        assert.match(login.body, /name="password"/, 'password sign-in is offered');
        const call = await restarted.inject({ method: 'GET', url: '/v1/staff/me', headers });
        assert.equal(call.statusCode, 401);
        assert.equal(call.json().error.code, 'VOW_UNAUTHENTICATED');
        assert.equal(await revoked(e, id), null, 'not ended: the provider refused nothing');
        assert.deepEqual(await ended(e, id), []);
      } finally {
        op.unreachable = false;
        await restarted.close();
      }
    });

    it('serves until the re-check is due; then API calls get 401 and pages go through the provider', async () => {
      const e = env();
      const { headers } = await signIn(e);
      e.clock.advance(4 * MINUTE);
      assert.equal((await api(e, headers)).statusCode, 200);
      assert.equal((await page(e, headers, '/staff')).statusCode, 200);
      e.clock.advance(MINUTE);
      const refused = await api(e, headers);
      assert.equal(refused.statusCode, 401, 'an API call is not redirected');
      assert.equal(refused.json().error.code, 'VOW_UNAUTHENTICATED');
      const xhr = await e.app.inject({
        method: 'GET',
        url: '/staff/session',
        headers: { ...headers, accept: 'application/json' },
      });
      assert.equal(xhr.statusCode, 200, 'the idle warning may still ask how long is left');
      const stay = await e.app.inject({
        method: 'POST',
        url: '/staff/session',
        headers: {
          ...headers,
          accept: 'application/json',
          'x-csrf-token': csrfTokenFor(decodeURIComponent(headers.cookie.slice('vow_staff='.length))),
          'sec-fetch-site': 'same-origin',
        },
      });
      assert.equal(stay.statusCode, 200, '“Stay signed in” still keeps it (it serves nothing meanwhile)');
      assert.equal((await api(e, headers)).statusCode, 401, 'kept, still waiting for the provider');
      const console = await page(e, headers, '/staff/incidents');
      assert.equal(console.statusCode, 303);
      assert.equal(console.headers.location, '/staff/login?next=%2Fstaff%2Fincidents');
      await throughProvider(e, headers, console.headers.location);
    });

    it('the same subject comes back with fresh roles: the session goes on, checked again 5 minutes later', async () => {
      const e = env();
      const { headers, id } = await signIn(e, ['admin']);
      e.clock.advance(5 * MINUTE);
      const flow = await throughProvider(e, headers);
      op.idToken = signedInAs(op, 'dana', ['auditor']);
      const back = await finishSso(e.app, { callback: flow.callback(), cookie: flow.cookie });
      assert.equal(back.statusCode, 200, back.body);
      assert.match(back.body, /content="0;url=\/staff"/, 'back to the page asked for');
      assert.equal(cookieFrom(back, 'vow_staff'), undefined, 'the same session: no new cookie');
      assert.equal((await api(e, headers)).statusCode, 200);
      assert.equal((await api(e, headers, '/v1/staff/accounts')).statusCode, 403, 'the new roles count');
      assert.equal(await revoked(e, id), null);
      e.clock.advance(4 * MINUTE);
      assert.equal((await api(e, headers)).statusCode, 200);
      e.clock.advance(MINUTE);
      assert.equal((await api(e, headers)).statusCode, 401, 'due again after another window');
    });

    it('login_required (signed out or disabled at the provider) ends the session', async () => {
      const e = env();
      const { headers, id } = await signIn(e);
      e.clock.advance(5 * MINUTE);
      const flow = await throughProvider(e, headers);
      const back = await finishSso(e.app, {
        callback: flow.callback('error=login_required'),
        cookie: flow.cookie,
      });
      assert.equal(back.statusCode, 303);
      assert.equal(back.headers.location, '/staff/login');
      assert.notEqual(await revoked(e, id), null, 'ended');
      assert.deepEqual(
        (await ended(e, id)).map((d) => [d.reason, d.error]),
        [['reauth_refused', 'login_required']],
      );
      const login = await page(e, headers, '/staff/login?next=%2Fstaff');
      assert.equal(login.statusCode, 200, 'the log-in page now, not the provider again');
    });

    it('another subject, or no roles left, ends the session', async () => {
      const e = env();
      const first = await signIn(e);
      e.clock.advance(5 * MINUTE);
      let flow = await throughProvider(e, first.headers);
      op.idToken = signedInAs(op, 'erin', ['admin']);
      let back = await finishSso(e.app, { callback: flow.callback(), cookie: flow.cookie });
      assert.equal(back.headers.location, '/staff/login');
      assert.equal((await ended(e, first.id))[0]?.error, 'subject_changed');
      assert.equal((await api(e, first.headers)).statusCode, 401);

      const second = await signIn(e);
      e.clock.advance(5 * MINUTE);
      flow = await throughProvider(e, second.headers);
      op.idToken = signedInAs(op, 'dana', []);
      back = await finishSso(e.app, { callback: flow.callback(), cookie: flow.cookie });
      assert.equal(back.headers.location, '/staff/login');
      assert.equal((await ended(e, second.id))[0]?.reason, 'no_roles');
      assert.notEqual(await revoked(e, second.id), null);
    });

    it('a list asked for with its filters goes through the provider and comes back with them', async () => {
      const e = env();
      const { headers } = await signIn(e);
      e.clock.advance(5 * MINUTE);
      const flow = await throughProvider(e, headers, '/staff/requests?status=open');
      op.idToken = signedInAs(op, 'dana', ['admin']);
      const back = await finishSso(e.app, { callback: flow.callback(), cookie: flow.cookie });
      assert.equal(back.statusCode, 200, back.body);
      assert.match(back.body, /content="0;url=\/staff\/requests\?status=open"/);
    });

    it('a console form sent meanwhile is kept for its owner, as after the idle limit', async () => {
      const e = env();
      const { headers } = await signIn(e);
      e.clock.advance(5 * MINUTE);
      const sent = await e.app.inject({
        method: 'POST',
        url: '/staff/incidents',
        headers: {
          ...headers,
          accept: 'text/html',
          'content-type': 'application/x-www-form-urlencoded',
          'sec-fetch-site': 'same-origin',
        },
        payload: new URLSearchParams([
          ['_csrf', 'x'],
          ['summary', 'A laptop was left on a train'],
        ]).toString(),
      });
      assert.equal(sent.statusCode, 401);
      assert.match(sent.body, /data-testid="form-kept"/, 'kept for its owner');
      assert.match(sent.body, /name="draft"/, 'the log-in page carries the kept form');
    });
  },
  { auth: 'enforced', rateLimits: false, config: ssoConfig(op) },
);
