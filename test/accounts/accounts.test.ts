// Shopper accounts (P15): register, confirm by emailed link, log in, "my data", change and reset the
// password, lock-out. Runs with real access control.
import assert from 'node:assert/strict';
import { before, it } from 'node:test';
import { RESET_LINK_JOB } from '../../src/http/pages/account-routes.js';
import { SESSION_COOKIE } from '../../src/modules/identity/sessions.js';
import { cookieFrom, SHOPPER_PASSWORD, serviceCaller } from '../helpers/auth.js';
import { describeEachDialect, type TestEnv } from '../helpers/env.js';

async function lastMail(env: TestEnv, kind: string): Promise<{ to: string; text: string }> {
  const list = await env.services.mail.list({ kind });
  assert.ok(list.length > 0, `no ${kind} mail`);
  const body = await env.services.mail.read(list[list.length - 1]!.id);
  assert.ok(body);
  return body;
}

function linkPath(text: string, prefix: string): string {
  const m = new RegExp(`https?://[^/\\s]+(${prefix}[A-Za-z0-9_.-]+)`).exec(text);
  assert.ok(m, `no ${prefix} link in the mail`);
  return m[1]!;
}

async function login(env: TestEnv, email: string, password: string) {
  return env.app.inject({ method: 'POST', url: '/login', payload: { email, password } });
}

function as(token: string, csrf?: string) {
  return {
    cookie: `${SESSION_COOKIE.shopper}=${encodeURIComponent(token)}`,
    ...(csrf ? { 'x-csrf-token': csrf } : {}),
  };
}

describeEachDialect(
  'shopper accounts',
  (env) => {
    const EMAIL = 'dana.shopper@example.com';
    let token = '';

    before(async () => {
      const service = await serviceCaller(env());
      const res = await env().app.inject({
        method: 'POST',
        url: '/v1/orders',
        headers: service.headers,
        payload: {
          shop_order_id: 'SO-DANA-1',
          placed_at: '2026-01-10T10:00:00Z',
          currency: 'USD',
          total_cents: 50000,
          items: [{ sku: 'RING-1', quantity: 1, unit_price_cents: 50000 }],
          buyer: {
            name: 'Dana Shopper',
            email: 'Dana.Shopper@example.com',
            phone: '(608) 265-7788',
            billing_address: {
              line1: '12 Elm Street',
              city: 'Franklin',
              region: 'WI',
              postal_code: '53132',
              country: 'US',
            },
            shipping_address: {
              line1: '12 Elm Street',
              city: 'Franklin',
              region: 'WI',
              postal_code: '53132',
              country: 'US',
            },
          },
        },
      });
      assert.equal(res.statusCode, 201, res.body);
    });

    it('registers without logging in and mails a confirmation link; a second registration reveals nothing', async () => {
      const first = await env().app.inject({
        method: 'POST',
        url: '/account/register',
        payload: { email: EMAIL, password: SHOPPER_PASSWORD },
      });
      assert.equal(first.statusCode, 202);
      assert.equal(cookieFrom(first, SESSION_COOKIE.shopper), undefined);
      const mail = await lastMail(env(), 'account.verify');
      assert.equal(mail.to, EMAIL);
      const again = await env().app.inject({
        method: 'POST',
        url: '/account/register',
        payload: { email: ` ${EMAIL.toUpperCase()} `, password: 'another long password' },
      });
      assert.equal(again.statusCode, 202);
      assert.deepEqual(again.json(), first.json());
      assert.equal((await env().services.mail.list({ kind: 'account.exists' })).length, 1);
    });

    it('refuses short passwords with VOW_WEAK_PASSWORD and creates nothing', async () => {
      const res = await env().app.inject({
        method: 'POST',
        url: '/account/register',
        payload: { email: 'weak@example.com', password: 'short' },
      });
      assert.equal(res.statusCode, 400);
      assert.equal(res.json().error.code, 'VOW_WEAK_PASSWORD');
      const bad = await login(env(), 'weak@example.com', 'short');
      assert.equal(bad.statusCode, 401);
    });

    it('stores the password as argon2id with m=19 MiB, t=2, p=1 and the email only sealed', async () => {
      const row = await env().store.db.selectFrom('shopper_accounts').selectAll().executeTakeFirstOrThrow();
      assert.match(row.password_hash, /^\$argon2id\$v=19\$m=19456,t=2,p=1\$/);
      assert.doesNotMatch(JSON.stringify(row), /dana/i);
    });

    it('shows only the account until the email is confirmed, then every value held, with source and use', async () => {
      const res = await login(env(), EMAIL, SHOPPER_PASSWORD);
      assert.equal(res.statusCode, 200);
      token = cookieFrom(res, SESSION_COOKIE.shopper)!;
      assert.ok(token);
      const setCookie = String(res.headers['set-cookie']);
      assert.match(setCookie, /HttpOnly/i);
      assert.match(setCookie, /SameSite=Lax/i);
      assert.doesNotMatch(setCookie, /dana/i);
      const unverified = await env().app.inject({
        method: 'GET',
        url: '/v1/account/my-data',
        headers: as(token),
      });
      assert.equal(unverified.statusCode, 200);
      assert.equal(unverified.json().linked, false);
      assert.doesNotMatch(unverified.body, /Elm Street|265/);

      const mail = await lastMail(env(), 'account.verify');
      const form = await env().app.inject({ method: 'GET', url: linkPath(mail.text, '/account/verify/') });
      assert.equal(form.statusCode, 200, 'the link shows the confirmation form');
      const verifyToken = linkPath(mail.text, '/account/verify/').split('/').at(-1)!;
      const confirm = () =>
        env().app.inject({
          method: 'POST',
          url: '/account/verify',
          headers: as(token),
          payload: { token: verifyToken, password: SHOPPER_PASSWORD },
        });
      const verify = await confirm();
      assert.equal(verify.statusCode, 200, verify.body);
      const again = await confirm();
      assert.equal(again.statusCode, 400, 'a link works once');

      const mine = await env().app.inject({ method: 'GET', url: '/v1/account/my-data', headers: as(token) });
      assert.equal(mine.statusCode, 200);
      const report = mine.json();
      assert.equal(report.linked, true);
      const cats = Object.fromEntries(
        report.categories.map((c: { category: string; values: unknown[] }) => [c.category, c.values]),
      );
      assert.ok(cats['contact.postal_address'], `categories: ${Object.keys(cats).join(', ')}`);
      assert.match(JSON.stringify(cats['contact.postal_address']), /12 Elm Street/);
      assert.match(JSON.stringify(cats['contact.phone']), /6082657788/);
      for (const values of Object.values(cats) as { source: string }[][])
        for (const v of values) assert.ok(v.source.length > 0);
      assert.ok(report.sources.length >= 2, 'names the sources it used');

      const page = await env().app.inject({ method: 'GET', url: '/account/my-data', headers: as(token) });
      assert.equal(page.statusCode, 200);
      assert.match(page.body, /12 Elm Street/);
      assert.doesNotMatch(page.body, /<script>|style=/);
      const download = await env().app.inject({
        method: 'GET',
        url: '/account/my-data/download',
        headers: as(token),
      });
      assert.match(String(download.headers['content-disposition']), /attachment/);
      // The download is the page's content in plain words: sections of records, no internal names.
      const plain = JSON.parse(download.body);
      assert.ok(plain.sections.length > 0);
      assert.match(download.body, /12 Elm Street/);
      assert.doesNotMatch(download.body, /subject_identifiers|sealed_value|account\.service/);
    });

    it('sends browsers without a session to the log-in page, API callers get 401', async () => {
      const html = await env().app.inject({
        method: 'GET',
        url: '/account/my-data',
        headers: { accept: 'text/html' },
      });
      assert.equal(html.statusCode, 303);
      assert.equal(html.headers.location, '/login');
      const api = await env().app.inject({ method: 'GET', url: '/v1/account/my-data' });
      assert.equal(api.statusCode, 401);
    });

    it('starts a deletion request from the account, verified by the session', async () => {
      const { csrfTokenFor } = await import('../../src/modules/identity/sessions.js');
      const res = await env().app.inject({
        method: 'POST',
        url: '/account/requests',
        headers: as(token, csrfTokenFor(token)),
        payload: { type: 'deletion', jurisdiction: 'us-ca' },
      });
      assert.equal(res.statusCode, 202, res.body);
      assert.ok(res.json().requestId);
    });

    it('changing the password ends every other session, keeps this one', async () => {
      const { csrfTokenFor } = await import('../../src/modules/identity/sessions.js');
      const other = cookieFrom(await login(env(), EMAIL, SHOPPER_PASSWORD), SESSION_COOKIE.shopper)!;
      const res = await env().app.inject({
        method: 'POST',
        url: '/account/password',
        headers: as(token, csrfTokenFor(token)),
        payload: { current: SHOPPER_PASSWORD, password: 'a second long password' },
      });
      assert.equal(res.statusCode, 200, res.body);
      assert.equal(res.json().sessionsEnded, 1);
      assert.equal(
        (await env().app.inject({ method: 'GET', url: '/v1/account/my-data', headers: as(other) }))
          .statusCode,
        401,
      );
      assert.equal(
        (await env().app.inject({ method: 'GET', url: '/v1/account/my-data', headers: as(token) }))
          .statusCode,
        200,
      );
      assert.equal((await login(env(), EMAIL, SHOPPER_PASSWORD)).statusCode, 401);
      assert.equal((await login(env(), EMAIL, 'a second long password')).statusCode, 200);
    });

    it('resets the password by a single-use emailed link; every session ends', async () => {
      const unknown = await env().app.inject({
        method: 'POST',
        url: '/account/reset-request',
        payload: { email: 'nobody@example.com' },
      });
      const known = await env().app.inject({
        method: 'POST',
        url: '/account/reset-request',
        payload: { email: EMAIL },
      });
      assert.equal(unknown.statusCode, 202);
      assert.deepEqual(unknown.json(), known.json(), 'the answer does not tell who has an account');
      // The link is made and mailed by a job, after the answer (the same work for no account).
      await env().services.jobs.drain(1000, [RESET_LINK_JOB]);
      const mail = await lastMail(env(), 'account.reset');
      assert.equal(mail.to, EMAIL);
      const path = linkPath(mail.text, '/account/reset/');
      const resetToken = path.split('/').pop()!;
      const page = await env().app.inject({ method: 'GET', url: path });
      assert.equal(page.statusCode, 200);
      const done = await env().app.inject({
        method: 'POST',
        url: '/account/reset',
        payload: { token: resetToken, password: 'third long password here' },
      });
      assert.equal(done.statusCode, 200, done.body);
      const reused = await env().app.inject({
        method: 'POST',
        url: '/account/reset',
        payload: { token: resetToken, password: 'fourth long password here' },
      });
      assert.equal(reused.statusCode, 400);
      assert.equal(reused.json().error.code, 'VOW_TOKEN_INVALID');
      assert.equal(
        (await env().app.inject({ method: 'GET', url: '/v1/account/my-data', headers: as(token) }))
          .statusCode,
        401,
      );
      assert.equal((await login(env(), EMAIL, 'third long password here')).statusCode, 200);
    });

    it('expires a reset link after an hour', async () => {
      await env().app.inject({ method: 'POST', url: '/account/reset-request', payload: { email: EMAIL } });
      await env().services.jobs.drain(1000, [RESET_LINK_JOB]);
      const path = linkPath((await lastMail(env(), 'account.reset')).text, '/account/reset/');
      env().clock.advance(61 * 60 * 1000);
      const res = await env().app.inject({
        method: 'POST',
        url: '/account/reset',
        payload: { token: path.split('/').pop(), password: 'too late long password' },
      });
      assert.equal(res.statusCode, 400);
    });

    it('locks an account out after 5 failed log-ins, even with the right password, and backs off', async () => {
      for (let i = 0; i < 5; i++)
        assert.equal((await login(env(), EMAIL, `wrong password ${i}`)).statusCode, 401);
      const locked = await login(env(), EMAIL, 'third long password here');
      assert.equal(locked.statusCode, 429);
      assert.equal(locked.json().error.code, 'VOW_LOCKED_OUT');
      env().clock.advance(61 * 1000);
      // Still guessing after the first lock-out: the second one lasts twice as long.
      for (let i = 0; i < 5; i++)
        assert.equal((await login(env(), EMAIL, `wrong again ${i}`)).statusCode, 401);
      env().clock.advance(61 * 1000);
      assert.equal(
        (await login(env(), EMAIL, 'third long password here')).statusCode,
        429,
        'the second lock-out lasts longer',
      );
      env().clock.advance(60 * 1000);
      assert.equal((await login(env(), EMAIL, 'third long password here')).statusCode, 200);
    });

    it('ends a session after 7 days', async () => {
      const t = cookieFrom(await login(env(), EMAIL, 'third long password here'), SESSION_COOKIE.shopper)!;
      assert.equal(
        (await env().app.inject({ method: 'GET', url: '/v1/account/my-data', headers: as(t) })).statusCode,
        200,
      );
      env().clock.advance(7 * 24 * 60 * 60 * 1000 + 1000);
      assert.equal(
        (await env().app.inject({ method: 'GET', url: '/v1/account/my-data', headers: as(t) })).statusCode,
        401,
      );
    });

    it('logs out: the session ends on the server, not only in the browser', async () => {
      const { csrfTokenFor } = await import('../../src/modules/identity/sessions.js');
      const t = cookieFrom(await login(env(), EMAIL, 'third long password here'), SESSION_COOKIE.shopper)!;
      const out = await env().app.inject({
        method: 'POST',
        url: '/account/logout',
        headers: as(t, csrfTokenFor(t)),
      });
      assert.equal(out.statusCode, 200, out.body);
      assert.equal(
        (await env().app.inject({ method: 'GET', url: '/v1/account/my-data', headers: as(t) })).statusCode,
        401,
      );
    });
  },
  { auth: 'enforced', rateLimits: false },
);
