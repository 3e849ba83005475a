// Session cookies a sibling subdomain cannot plant (security.md, "__Host- cookies"). Before, the
// staff and shopper session cookies and the single sign-on flow cookie had plain names, so a page
// on another subdomain of the same site could set one for Vow's host (cookie tossing, Domain=) and
// sign a browser in as the planter's own account. Served over https (VOW_PUBLIC_URL), Vow now sets
// them as `__Host-` cookies (Secure, Path=/, no Domain: a browser keeps those only from this host)
// and reads only those names: a cookie under the plain name is ignored. Over http (development) the
// plain names stay, and the prefixed ones are not read.
import assert from 'node:assert/strict';
import { after, describe, it } from 'node:test';
import type { LightMyRequestResponse } from 'fastify';
import { authCookies, SESSION_COOKIE, SSO_COOKIE } from '../../src/modules/identity/index.js';
import { LOCALE_COOKIE } from '../../src/platform/i18n/index.js';
import { cookieFrom, csrfOf, SHOPPER_PASSWORD, STAFF_PASSWORD, shopperCaller } from '../helpers/auth.js';
import { describeEachDialect, type TestEnv, testConfig } from '../helpers/env.js';
import { beginSso, signedInAs, ssoConfig, startMiniProvider } from '../helpers/mini-oidc.js';

const op = await startMiniProvider();
after(() => op.close());

const HTTPS = 'https://privacy.shop.example';
const STAFF = '__Host-vow_staff';
const SHOPPER = '__Host-vow_session';
const SSO = '__Host-vow_sso';

/** The Set-Cookie line of `name` (undefined when none sets it). */
function setCookieLine(res: LightMyRequestResponse, name: string): string | undefined {
  const raw = res.headers['set-cookie'];
  const list = Array.isArray(raw) ? raw : raw ? [raw] : [];
  return list.find((c) => c.startsWith(`${name}=`));
}

/** The attributes of a Set-Cookie line, lower-cased names (Secure, Path, Domain ...). */
function attributes(line: string): Map<string, string> {
  const out = new Map<string, string>();
  for (const part of line.split(';').slice(1)) {
    const [k, ...v] = part.trim().split('=');
    out.set(k!.toLowerCase(), v.join('='));
  }
  return out;
}

function assertHostCookie(line: string | undefined, what: string): Map<string, string> {
  assert.ok(line, `${what} is set`);
  const a = attributes(line);
  assert.ok(a.has('secure'), `${what} is Secure`);
  assert.equal(a.get('path'), '/', `${what} has Path=/`);
  assert.ok(!a.has('domain'), `${what} names no Domain`);
  assert.ok(a.has('httponly'), `${what} is HttpOnly`);
  return a;
}

const cookieHeader = (name: string, value: string) => ({ cookie: `${name}=${encodeURIComponent(value)}` });

async function addStaff(e: TestEnv, username: string): Promise<void> {
  const { id, password } = await e.services.identity.staff.add(username, ['auditor'], null);
  await e.services.identity.staff.changePassword(id, password, STAFF_PASSWORD);
}

/** GET /v1/staff/me with the session `token` under the cookie `name`. */
const staffMe = (e: TestEnv, name: string, token: string) =>
  e.app.inject({ method: 'GET', url: '/v1/staff/me', headers: cookieHeader(name, token) });

/** A new auditor `username` (past the first password change), logged in with the form: the answer. */
async function newStaffLogin(e: TestEnv, username: string) {
  await addStaff(e, username);
  return e.app.inject({
    method: 'POST',
    url: '/staff/login',
    payload: { username, password: STAFF_PASSWORD },
  });
}

/** GET /staff/sso: the answer, and the callback URL the provider would send the browser back to. */
const startSso = (e: TestEnv, sub: string) => beginSso(e.app, op, signedInAs(op, sub));

describe('the authentication cookie names of each mode', () => {
  it('prefixes __Host- only when the public address is https', () => {
    const plain = authCookies('http://127.0.0.1:3000');
    assert.deepEqual(
      { hostOnly: plain.hostOnly, ...plain.session, sso: plain.sso, ssoPath: plain.ssoPath },
      { hostOnly: false, staff: 'vow_staff', shopper: 'vow_session', sso: 'vow_sso', ssoPath: '/staff/sso' },
    );
    const secure = authCookies('HTTPS://Privacy.Shop.Example');
    assert.deepEqual(
      { hostOnly: secure.hostOnly, ...secure.session, sso: secure.sso, ssoPath: secure.ssoPath },
      { hostOnly: true, staff: STAFF, shopper: SHOPPER, sso: SSO, ssoPath: '/' },
    );
  });
});

describeEachDialect(
  'session cookies served over https',
  (env) => {
    it('signs staff in with a __Host- cookie (Secure, Path=/, no Domain) and sets no plain one', async () => {
      const e = env();
      const res = await newStaffLogin(e, 'hostann');
      assert.equal(res.statusCode, 200, res.body);
      const a = assertHostCookie(setCookieLine(res, STAFF), STAFF);
      assert.equal(a.get('samesite')?.toLowerCase(), 'strict');
      assert.equal(setCookieLine(res, SESSION_COOKIE.staff), undefined, 'no plain vow_staff');
      const token = cookieFrom(res, STAFF)!;
      const me = await staffMe(e, STAFF, token);
      assert.equal(me.statusCode, 200, me.body);
    });

    it('ignores a staff session planted under the plain name (cookie tossing)', async () => {
      const e = env();
      await addStaff(e, 'hostmallory');
      // The attacker's own live cookie session, planted in the victim's browser from a sibling subdomain.
      const { token: attacker } = await e.services.identity.staff.login(
        { username: 'hostmallory', password: STAFF_PASSWORD },
        'cookie',
        '203.0.113.9',
      );
      const tossed = cookieHeader(SESSION_COOKIE.staff, attacker);
      const me = await staffMe(e, SESSION_COOKIE.staff, attacker);
      assert.equal(me.statusCode, 401, 'not signed in by a tossed vow_staff');
      const real = await staffMe(e, STAFF, attacker);
      assert.equal(real.statusCode, 200, 'the session itself is live');
      const page = await e.app.inject({
        method: 'GET',
        url: '/staff',
        headers: { ...tossed, accept: 'text/html' },
      });
      assert.equal(page.statusCode, 303);
      assert.equal(page.headers.location, '/staff/login');
      const write = await e.app.inject({
        method: 'POST',
        url: '/staff/logout',
        headers: { ...tossed, 'x-csrf-token': csrfOf(attacker) },
      });
      assert.equal(write.statusCode, 401);
    });

    it('embeds the session form token in console pages and logs out with the __Host- cookie', async () => {
      const e = env();
      const token = cookieFrom(await newStaffLogin(e, 'hostbea'), STAFF)!;
      const page = await e.app.inject({
        method: 'GET',
        url: '/staff',
        headers: { ...cookieHeader(STAFF, token), accept: 'text/html' },
      });
      assert.equal(page.statusCode, 200);
      assert.ok(
        page.body.includes(`name="_csrf" value="${csrfOf(token)}"`),
        'the form token of this session',
      );
      const refused = await e.app.inject({
        method: 'POST',
        url: '/staff/logout',
        headers: cookieHeader(STAFF, token),
      });
      assert.equal(refused.statusCode, 403, 'a write without the token is refused');
      assert.equal(refused.json().error.code, 'VOW_CSRF');
      const out = await e.app.inject({
        method: 'POST',
        url: '/staff/logout',
        headers: { ...cookieHeader(STAFF, token), 'x-csrf-token': csrfOf(token) },
      });
      assert.equal(out.statusCode, 200, out.body);
      const cleared = assertHostCookie(setCookieLine(out, STAFF), 'the cleared cookie');
      assert.ok(cleared.has('expires') || cleared.get('max-age') === '0');
      const after = await staffMe(e, STAFF, token);
      assert.equal(after.statusCode, 401);
    });

    it('signs a shopper in with __Host-vow_session and ignores a planted vow_session', async () => {
      const e = env();
      // A confirmed account (the helper's own cookie headers use the plain name, so log in again).
      await shopperCaller(e, 'host-cy@example.com');
      const login = await e.app.inject({
        method: 'POST',
        url: '/login',
        payload: { email: 'host-cy@example.com', password: SHOPPER_PASSWORD },
      });
      assert.equal(login.statusCode, 200, login.body);
      assertHostCookie(setCookieLine(login, SHOPPER), SHOPPER);
      assert.equal(setCookieLine(login, SESSION_COOKIE.shopper), undefined, 'no plain vow_session');
      const token = cookieFrom(login, SHOPPER)!;
      const mine = await e.app.inject({
        method: 'GET',
        url: '/v1/account/my-data',
        headers: cookieHeader(SHOPPER, token),
      });
      assert.equal(mine.statusCode, 200, mine.body);
      const tossed = await e.app.inject({
        method: 'GET',
        url: '/v1/account/my-data',
        headers: cookieHeader(SESSION_COOKIE.shopper, token),
      });
      assert.equal(tossed.statusCode, 401, 'not signed in by a tossed vow_session');
      const out = await e.app.inject({
        method: 'POST',
        url: '/account/logout',
        headers: { ...cookieHeader(SHOPPER, token), 'x-csrf-token': csrfOf(token) },
      });
      assert.equal(out.statusCode, 200, out.body);
      assertHostCookie(setCookieLine(out, SHOPPER), 'the cleared shopper cookie');
    });

    it('carries single sign-on in __Host-vow_sso (Path=/) and refuses the flow under the plain name', async () => {
      const e = env();
      const started = await startSso(e, 'host-dee');
      const a = assertHostCookie(setCookieLine(started.res, SSO), SSO);
      assert.equal(a.get('samesite')?.toLowerCase(), 'lax', 'the provider sends the browser back cross-site');
      assert.equal(setCookieLine(started.res, SSO_COOKIE), undefined, 'no plain vow_sso');
      const flow = cookieFrom(started.res, SSO)!;
      const planted = await e.app.inject({
        method: 'GET',
        url: started.callback,
        headers: cookieHeader(SSO_COOKIE, flow),
      });
      assert.equal(planted.statusCode, 403, 'a flow cookie under the plain name is not read');
      assert.equal(setCookieLine(planted, STAFF), undefined);
      const again = await startSso(e, 'host-dee');
      const done = await e.app.inject({
        method: 'GET',
        url: again.callback,
        headers: cookieHeader(SSO, cookieFrom(again.res, SSO)!),
      });
      assert.equal(done.statusCode, 200, done.body);
      assertHostCookie(setCookieLine(done, SSO), 'the cleared flow cookie');
      const token = cookieFrom(done, STAFF)!;
      assert.ok(token, 'signed in with __Host-vow_staff');
      const me = await staffMe(e, STAFF, token);
      assert.equal(me.statusCode, 200, me.body);
    });
  },
  { auth: 'enforced', rateLimits: false, config: ssoConfig(op, { VOW_PUBLIC_URL: HTTPS }) },
);

describeEachDialect(
  'session cookies in http development',
  (env) => {
    it('keeps the plain names, not Secure, and reads no __Host- cookie', async () => {
      const e = env();
      const res = await newStaffLogin(e, 'plainann');
      assert.equal(res.statusCode, 200, res.body);
      const line = setCookieLine(res, SESSION_COOKIE.staff);
      assert.ok(line, 'vow_staff is set');
      const a = attributes(line);
      assert.ok(!a.has('secure') && a.get('path') === '/');
      assert.equal(setCookieLine(res, STAFF), undefined);
      const token = cookieFrom(res, SESSION_COOKIE.staff)!;
      const plain = await staffMe(e, SESSION_COOKIE.staff, token);
      assert.equal(plain.statusCode, 200);
      const prefixed = await staffMe(e, STAFF, token);
      assert.equal(prefixed.statusCode, 401, 'only the name of its mode is read');
      const sso = await e.app.inject({ method: 'GET', url: '/staff/sso' });
      const flow = setCookieLine(sso, SSO_COOKIE);
      assert.ok(flow, 'vow_sso is set');
      assert.equal(attributes(flow).get('path'), '/staff/sso');
    });
  },
  { auth: 'enforced', rateLimits: false, config: ssoConfig(op) },
);

describeEachDialect(
  'a public address with its scheme in capitals',
  (env) => {
    it('is https all the same: the language cookie is Secure, the staff session a __Host- cookie', async () => {
      const e = env();
      const lang = await e.app.inject({ method: 'GET', url: '/language?to=es-US&back=/privacy' });
      assert.equal(lang.statusCode, 303);
      const line = setCookieLine(lang, LOCALE_COOKIE);
      assert.ok(line, `${LOCALE_COOKIE} is set`);
      assert.ok(attributes(line).has('secure'), `${LOCALE_COOKIE} is Secure over https`);
      assertHostCookie(setCookieLine(await newStaffLogin(e, 'capsann'), STAFF), STAFF);
    });
  },
  {
    auth: 'enforced',
    rateLimits: false,
    config: testConfig({ VOW_PUBLIC_URL: 'HTTPS://Privacy.Shop.Example' }),
  },
);
