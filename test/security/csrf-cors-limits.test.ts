// Web hardening: CSRF tokens on cookie-authenticated writes and log-in forms, CORS only for the
// configured shop origins on collection and consent endpoints, per-address rate limits, CSP.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import Fastify from 'fastify';
import { registerCrossOriginScope } from '../../src/http/cors.js';
import { SESSION_COOKIE } from '../../src/modules/identity/sessions.js';
import { cookieFrom, SHOPPER_PASSWORD, serviceCaller, shopperCaller, staffCaller } from '../helpers/auth.js';
import { describeEachDialect, testConfig } from '../helpers/env.js';

const SHOP = 'https://shop.example';

describeEachDialect(
  'CSRF, CORS, rate limits and headers',
  (env) => {
    it('refuses a cookie-authenticated form post without its token with VOW_CSRF, and changes nothing', async () => {
      const shopper = await shopperCaller(env(), 'erin.csrf@example.com');
      const form = (fields: Record<string, string>) => new URLSearchParams(fields).toString();
      const formHeaders = { ...shopper.headers, 'content-type': 'application/x-www-form-urlencoded' };
      const noToken = await env().app.inject({
        method: 'POST',
        url: '/account/password',
        headers: formHeaders,
        payload: form({ current: SHOPPER_PASSWORD, password: 'stolen by a forged form' }),
      });
      assert.equal(noToken.statusCode, 403);
      assert.equal(noToken.json().error.code, 'VOW_CSRF');
      const wrongToken = await env().app.inject({
        method: 'POST',
        url: '/account/password',
        headers: formHeaders,
        payload: form({
          current: SHOPPER_PASSWORD,
          password: 'stolen by a forged form',
          _csrf: 'x'.repeat(43),
        }),
      });
      assert.equal(wrongToken.statusCode, 403);
      const logout = await env().app.inject({
        method: 'POST',
        url: '/account/logout',
        headers: shopper.headers,
      });
      assert.equal(logout.statusCode, 403, 'JSON writes by cookie need the header too');
      // Nothing changed: the old password still works.
      const login = await env().app.inject({
        method: 'POST',
        url: '/login',
        payload: { email: 'erin.csrf@example.com', password: SHOPPER_PASSWORD },
      });
      assert.equal(login.statusCode, 200);
      // The page embeds the token; posting it back works.
      const page = await env().app.inject({
        method: 'GET',
        url: '/account/my-data',
        headers: shopper.headers,
      });
      const token = /name="_csrf" value="([^"]+)"/.exec(page.body)?.[1];
      assert.ok(token);
      const ok = await env().app.inject({
        method: 'POST',
        url: '/account/password',
        headers: formHeaders,
        payload: form({ current: SHOPPER_PASSWORD, password: 'a legitimate new password', _csrf: token }),
      });
      assert.equal(ok.statusCode, 200, ok.body);
    });

    it('refuses staff console form posts without the token', async () => {
      const admin = await staffCaller(env(), ['admin']);
      const res = await env().app.inject({
        method: 'POST',
        url: '/v1/staff/accounts',
        headers: admin.headers,
        payload: { username: 'forged', roles: ['privacy_officer'] },
      });
      assert.equal(res.statusCode, 403);
      assert.equal(res.json().error.code, 'VOW_CSRF');
      const viaBearer = await env().app.inject({
        method: 'POST',
        url: '/v1/staff/accounts',
        headers: admin.bearer.writeHeaders,
        payload: { username: 'legit', roles: ['auditor'] },
      });
      assert.equal(viaBearer.statusCode, 201, 'bearer tokens cannot be forged by a page: no token needed');
      const list = (await env().services.identity.staff.list()).map((s) => s.username);
      assert.ok(!list.includes('forged'));
    });

    it('protects the log-in form with a signed form token, no cookie needed', async () => {
      const page = await env().app.inject({ method: 'GET', url: '/login' });
      assert.equal(page.headers['set-cookie'], undefined, 'the log-in page sets no cookie');
      const token = /name="_csrf" value="([^"]+)"/.exec(page.body)?.[1];
      assert.ok(token);
      const body = new URLSearchParams({
        email: 'erin.csrf@example.com',
        password: 'a legitimate new password',
      });
      const forged = await env().app.inject({
        method: 'POST',
        url: '/login',
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
        payload: body.toString(),
      });
      assert.equal(forged.statusCode, 403);
      assert.equal(forged.json().error.code, 'VOW_CSRF');
      body.set('_csrf', token);
      const ok = await env().app.inject({
        method: 'POST',
        url: '/login',
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
        payload: body.toString(),
      });
      assert.equal(ok.statusCode, 303, ok.body);
      assert.equal(ok.headers.location, '/account/my-data');
      assert.ok(cookieFrom(ok, SESSION_COOKIE.shopper));
    });

    it('answers CORS only for the configured shop origin, and only on collection and consent endpoints', async () => {
      const preflight = (origin: string, url: string) =>
        env().app.inject({
          method: 'OPTIONS',
          url,
          headers: {
            origin,
            'access-control-request-method': 'POST',
            'access-control-request-headers': 'content-type',
          },
        });
      const allowed = await preflight(SHOP, '/v1/collect');
      assert.equal(allowed.headers['access-control-allow-origin'], SHOP);
      const evil = await preflight('https://evil.example', '/v1/collect');
      assert.equal(evil.headers['access-control-allow-origin'], undefined);
      const staffRoute = await preflight(SHOP, '/v1/staff/accounts');
      assert.equal(staffRoute.headers['access-control-allow-origin'], undefined);
      const simple = await env().app.inject({ method: 'GET', url: '/v1/policy', headers: { origin: SHOP } });
      assert.equal(simple.headers['access-control-allow-origin'], undefined);
      // An actual cross-origin call from the shop (not only its preflight) is answered for the shop.
      const state = await env().app.inject({
        method: 'GET',
        url: '/v1/consent/config',
        headers: { origin: SHOP },
      });
      assert.equal(state.headers['access-control-allow-origin'], SHOP);
      assert.match(String(state.headers.vary), /origin/i);
      // The shop backend's API runs no CORS hook at all.
      const decision = await env().app.inject({
        method: 'POST',
        url: '/v1/decisions',
        headers: { origin: SHOP, ...(await serviceCaller(env())).headers },
        payload: {
          subject: { kind: 'customer' },
          purpose: 'order.fulfilment',
          categories: ['contact.email'],
        },
      });
      assert.equal(decision.statusCode, 200);
      assert.equal(decision.headers['access-control-allow-origin'], undefined);
      assert.equal(decision.headers.vary, undefined);
    });

    it('grants a preflight only what the shop needs, and varies cross-origin answers by origin', async () => {
      const preflight = (method: string, url = '/v1/collect', origin = SHOP) =>
        env().app.inject({
          method: 'OPTIONS',
          url,
          headers: { origin, 'access-control-request-method': method },
        });
      const granted = await preflight('POST', '/v1/consent/choices?x=1');
      assert.equal(granted.statusCode, 204);
      assert.equal(granted.headers['access-control-allow-origin'], SHOP);
      assert.equal(granted.headers['access-control-allow-methods'], 'GET, POST');
      assert.equal(granted.headers['access-control-allow-headers'], 'content-type, authorization');
      assert.equal(granted.headers['access-control-max-age'], '600');
      assert.equal(granted.headers['access-control-allow-credentials'], undefined);
      assert.match(String(granted.headers.vary), /origin/i);
      // Refused: no grant. A path that exists answers 405 with what it allows (RFC 9110), one that
      // does not 404; either way the browser sends nothing.
      for (const [refused, status] of [
        [await preflight('DELETE'), 405],
        [await preflight('POST', '/v1/collectx'), 404],
        [await preflight('POST', '/v1/collect', 'https://shop.example.evil'), 405],
      ] as const) {
        assert.equal(refused.statusCode, status);
        assert.equal(refused.headers['access-control-allow-origin'], undefined);
        assert.equal(refused.headers['access-control-allow-methods'], undefined);
      }
      // An actual call from another origin: no grant, but the answer still varies by origin, so a
      // cache cannot hand it to the shop's pages (or the shop's answer to anyone else).
      const other = await env().app.inject({
        method: 'GET',
        url: '/v1/consent/config',
        headers: { origin: 'https://evil.example' },
      });
      assert.equal(other.statusCode, 200);
      assert.equal(other.headers['access-control-allow-origin'], undefined);
      assert.match(String(other.headers.vary), /origin/i);
      // A route of the cross-origin modules that is not itself cross-origin gets neither.
      const staffPage = await env().app.inject({
        method: 'GET',
        url: '/v1/experiments',
        headers: { origin: SHOP },
      });
      assert.equal(staffPage.headers['access-control-allow-origin'], undefined);
      assert.equal(staffPage.headers.vary, undefined);
    });

    it('sends a CSP without unsafe-inline and the other security headers', async () => {
      const res = await env().app.inject({ method: 'GET', url: '/login' });
      const csp = String(res.headers['content-security-policy']);
      assert.match(csp, /script-src 'self'/);
      assert.doesNotMatch(csp, /unsafe-inline|unsafe-eval/);
      assert.match(csp, /frame-ancestors 'none'/);
      assert.equal(res.headers['x-content-type-options'], 'nosniff');
      assert.equal(res.headers['referrer-policy'], 'no-referrer');
    });

    it('sends the JSON API the API set: a CSP that allows nothing, nosniff, no framing, no referrer', async () => {
      const res = await env().app.inject({ method: 'GET', url: '/v1/policy' });
      assert.equal(res.statusCode, 200);
      assert.equal(res.headers['content-security-policy'], "default-src 'none';frame-ancestors 'none'");
      assert.equal(res.headers['x-content-type-options'], 'nosniff');
      assert.equal(res.headers['x-frame-options'], 'DENY');
      assert.equal(res.headers['referrer-policy'], 'no-referrer');
      assert.match(String(res.headers['strict-transport-security']), /max-age=\d+/);
      // Headers that only mean something to a rendered page are left to pages.
      assert.equal(res.headers['x-dns-prefetch-control'], undefined);
      const page = await env().app.inject({ method: 'GET', url: '/privacy' });
      assert.equal(page.headers['x-dns-prefetch-control'], 'off');
    });

    it('limits requests per identifier whatever the address: no mail-bombing one email with reset links', async () => {
      const statuses: number[] = [];
      for (let i = 0; i < 7; i++) {
        const res = await env().app.inject({
          method: 'POST',
          url: '/account/reset-request',
          remoteAddress: `198.18.0.${i + 1}`,
          payload: { email: i % 2 ? 'Victim@Example.com' : ' victim@example.com' },
        });
        statuses.push(res.statusCode);
      }
      assert.deepEqual(statuses, [202, 202, 202, 202, 202, 429, 429]);
      const other = await env().app.inject({
        method: 'POST',
        url: '/account/reset-request',
        remoteAddress: '198.18.0.99',
        payload: { email: 'someone.else@example.com' },
      });
      assert.equal(other.statusCode, 202);
    });

    it('rate-limits log-ins per address: the 11th attempt in a minute is refused, a minute later allowed', async () => {
      const attempt = (i: number) =>
        env().app.inject({
          method: 'POST',
          url: '/v1/staff/tokens',
          remoteAddress: '203.0.113.9',
          payload: { username: `nobody${i}`, password: 'guess guess guess' },
        });
      for (let i = 0; i < 10; i++) assert.equal((await attempt(i)).statusCode, 401);
      const limited = await attempt(10);
      assert.equal(limited.statusCode, 429);
      assert.equal(limited.json().error.code, 'VOW_RATE_LIMITED');
      const other = await env().app.inject({
        method: 'POST',
        url: '/v1/staff/tokens',
        remoteAddress: '198.51.100.7',
        payload: { username: 'nobody', password: 'guess guess guess' },
      });
      assert.equal(other.statusCode, 401, 'another address has its own budget');
      env().clock.advance(61_000);
      assert.equal((await attempt(11)).statusCode, 401);
    });
  },
  { auth: 'enforced', rateLimits: true, config: testConfig({ VOW_ALLOWED_ORIGINS: SHOP }) },
);

describeEachDialect('limit classes of public writes', () => {
  it('gives code entry, request intake and collection their classes; other public writes the default', async () => {
    const { limitClassOf } = await import('../../src/http/rate-limits.js');
    assert.equal(limitClassOf('/v1/requests/verify', 'public', ['POST']), 'code');
    assert.equal(limitClassOf('/privacy/request/status/:token', 'public', ['POST']), 'code');
    assert.equal(limitClassOf('/v1/requests', 'public', ['POST']), 'request');
    assert.equal(limitClassOf('/v1/collect', 'public', ['POST']), 'collection');
    assert.equal(limitClassOf('/u/:token', 'public', ['POST']), 'write');
    assert.equal(limitClassOf('/login', 'public', ['POST'], 'login'), 'login');
    assert.equal(limitClassOf('/v1/orders', 'service', ['POST']), undefined);
    assert.equal(limitClassOf('/privacy', 'public', ['GET']), undefined);
  });
});

describeEachDialect(
  'cookies behind https',
  (env) => {
    it('marks the session cookie Secure when VOW_PUBLIC_URL is https (forms set none)', async () => {
      const page = await env().app.inject({ method: 'GET', url: '/login' });
      assert.equal(page.headers['set-cookie'], undefined);
      await env().app.inject({
        method: 'POST',
        url: '/account/register',
        payload: { email: 'sam.secure@example.com', password: SHOPPER_PASSWORD },
      });
      const login = await env().app.inject({
        method: 'POST',
        url: '/login',
        payload: { email: 'sam.secure@example.com', password: SHOPPER_PASSWORD },
      });
      const cookie = String(login.headers['set-cookie']);
      assert.match(cookie, /vow_session=/);
      assert.match(cookie, /Secure/);
      assert.match(cookie, /HttpOnly/);
    });
  },
  {
    auth: 'enforced',
    rateLimits: false,
    config: testConfig({ VOW_PUBLIC_URL: 'https://privacy.shop.example' }),
  },
);

describe('the CORS scope', () => {
  it('refuses to start when a cross-origin route is registered outside the CORS scope', async () => {
    const app = Fastify({ logger: false });
    await registerCrossOriginScope(app, [SHOP], async (scope) => {
      scope.post('/v1/collect', async () => ({}));
    });
    app.post('/v1/consent/elsewhere', async () => ({}));
    await assert.rejects(async () => app.ready(), /outside the CORS scope.*POST \/v1\/consent\/elsewhere/);
  });

  it("refuses to start when a cross-origin route declares csrf: 'form', naming the route", async () => {
    for (const [url, config] of [
      ['/v1/consent/choices', { access: 'public', csrf: 'form' }],
      ['/v1/experiments/assign', { access: 'public', csrf: 'form', cors: true }],
    ] as const) {
      const app = Fastify({ logger: false });
      await assert.rejects(
        async () => {
          await registerCrossOriginScope(app, [SHOP], async (scope) => {
            scope.post(url, { config }, async () => ({}));
          });
          await app.ready();
        },
        new RegExp(
          `Route POST ${url} is open to the shop's pages cross-origin and cannot declare csrf: 'form'`,
        ),
      );
    }
  });

  it('starts when every cross-origin route is inside it', async () => {
    const app = Fastify({ logger: false });
    await registerCrossOriginScope(app, [SHOP], async (scope) => {
      scope.post('/v1/collect', async () => ({}));
    });
    app.post('/v1/decisions', async () => ({}));
    await app.ready();
    await app.close();
  });
});
