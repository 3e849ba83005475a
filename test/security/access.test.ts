// Route access enforcement: every registered route is walked with every kind of caller.
import assert from 'node:assert/strict';
import { before, it } from 'node:test';
import { declaredRoutes } from '../../src/http/access.js';
import { type Caller, serviceCaller, shopperCaller, staffCaller } from '../helpers/auth.js';
import { describeEachDialect, type TestEnv } from '../helpers/env.js';

const ACCESS =
  /^(public|service|shopper|staff:(privacy_officer|customer_service|marketing|auditor|admin|any))$/;

function routesOf(env: TestEnv) {
  return declaredRoutes(env.app).filter((r) => r.method !== 'HEAD' && r.url !== '*');
}

/** A concrete URL for a route pattern: every parameter filled with `value`. */
function fill(url: string, value: string): string {
  return url.replace(/:[A-Za-z_]+/g, encodeURIComponent(value)).replace(/\*$/, 'x');
}

async function call(env: TestEnv, method: string, url: string, caller?: Caller) {
  const write = method !== 'GET';
  return env.app.inject({
    method: method as 'GET',
    url,
    headers: caller ? (write ? caller.writeHeaders : caller.headers) : {},
    ...(write ? { payload: {} } : {}),
  });
}

describeEachDialect(
  'route access enforcement',
  (env) => {
    let ann: Awaited<ReturnType<typeof shopperCaller>>;
    let bob: Awaited<ReturnType<typeof shopperCaller>>;
    let marketing: Awaited<ReturnType<typeof staffCaller>>;
    let service: Awaited<ReturnType<typeof serviceCaller>>;
    const BOB_EMAIL = 'bob.other@example.com';

    before(async () => {
      service = await serviceCaller(env());
      // Two people Vow knows (registered by the shop), each with an account of their own.
      for (const [n, email] of [
        ['ann', 'ann.owner@example.com'],
        ['bob', BOB_EMAIL],
      ] as const) {
        const res = await env().app.inject({
          method: 'POST',
          url: '/v1/registrations',
          headers: service.writeHeaders,
          payload: { account_id: `shop-${n}`, name: `${n} Person`, email },
        });
        assert.equal(res.statusCode, 201, res.body);
      }
      ann = await shopperCaller(env(), 'ann.owner@example.com');
      bob = await shopperCaller(env(), BOB_EMAIL);
      marketing = await staffCaller(env(), ['marketing']);
    });

    it('collects every route with its declared access, and each is one the enforcement knows', () => {
      const routes = routesOf(env());
      assert.ok(routes.length > 30, `only ${routes.length} routes collected`);
      for (const r of routes) assert.match(r.access, ACCESS, `${r.method} ${r.url} declares "${r.access}"`);
    });

    it('links each account to the person with the same verified email', () => {
      assert.ok(ann.subjectId && bob.subjectId);
      assert.notEqual(ann.subjectId, bob.subjectId);
    });

    it('refuses anonymous calls to every non-public route with 401', async () => {
      for (const r of routesOf(env()).filter((r) => r.access !== 'public')) {
        const res = await call(env(), r.method, fill(r.url, bob.subjectId!));
        assert.equal(res.statusCode, 401, `${r.method} ${r.url} answered ${res.statusCode}`);
        assert.equal(res.json().error.code, 'VOW_UNAUTHENTICATED');
      }
    });

    it('refuses a shopper on every staff and service route with 403', async () => {
      for (const r of routesOf(env()).filter(
        (r) => r.access === 'service' || r.access.startsWith('staff:'),
      )) {
        const res = await call(env(), r.method, fill(r.url, bob.subjectId!), ann);
        assert.equal(res.statusCode, 403, `${r.method} ${r.url} answered ${res.statusCode}`);
      }
    });

    it('refuses a marketing user every route but marketing ones: never a person record', async () => {
      const denied = routesOf(env()).filter(
        (r) => r.access !== 'public' && r.access !== 'staff:marketing' && r.access !== 'staff:any',
      );
      assert.ok(denied.some((r) => r.access === 'staff:customer_service'));
      for (const r of denied) {
        for (const caller of [marketing, marketing.bearer]) {
          const res = await call(env(), r.method, fill(r.url, bob.subjectId!), caller);
          assert.equal(res.statusCode, 403, `${r.method} ${r.url} answered ${res.statusCode}`);
          assert.doesNotMatch(res.body, /bob\.other/);
        }
      }
    });

    it("never lets one shopper read or change another's data through any id-taking route", async () => {
      const before = await env().app.inject({
        method: 'GET',
        url: '/v1/account/my-data',
        headers: bob.headers,
      });
      assert.equal(before.statusCode, 200);
      assert.match(before.body, /bob\.other@example\.com/);
      const idRoutes = routesOf(env()).filter((r) => /:[A-Za-z_]+/.test(r.url));
      assert.ok(idRoutes.length > 5);
      for (const r of idRoutes) {
        for (const id of [bob.subjectId!, bob.accountId, BOB_EMAIL, 'shop-bob']) {
          const res = await call(env(), r.method, fill(r.url, id), ann);
          assert.doesNotMatch(res.body, /bob\.other|bob Person/i, `${r.method} ${r.url} leaked Bob's data`);
          if (r.access !== 'public')
            assert.ok(
              res.statusCode === 403 || res.statusCode === 404,
              `${r.method} ${r.url}: ${res.statusCode}`,
            );
        }
      }
      // Ann's own "my data" shows her, never Bob.
      const mine = await env().app.inject({
        method: 'GET',
        url: '/v1/account/my-data',
        headers: ann.headers,
      });
      assert.equal(mine.statusCode, 200);
      assert.match(mine.body, /ann\.owner@example\.com/);
      assert.doesNotMatch(mine.body, /bob\.other/);
      // Bob's data is as it was, and Bob is still logged in.
      const after = await env().app.inject({
        method: 'GET',
        url: '/v1/account/my-data',
        headers: bob.headers,
      });
      assert.equal(after.statusCode, 200);
      assert.deepEqual(
        { ...(after.json() as object), generatedAt: '' },
        { ...(before.json() as object), generatedAt: '' },
      );
    });

    it('gives each role its own routes: auditors read the audit trail, customer service does not', async () => {
      const auditor = await staffCaller(env(), ['auditor']);
      const cs = await staffCaller(env(), ['customer_service']);
      const po = await staffCaller(env(), ['privacy_officer']);
      assert.equal((await call(env(), 'GET', '/v1/audit', auditor)).statusCode, 200);
      assert.equal((await call(env(), 'GET', '/v1/audit', po)).statusCode, 200);
      assert.equal((await call(env(), 'GET', '/v1/audit', cs)).statusCode, 403);
      assert.equal((await call(env(), 'GET', '/v1/staff/accounts', cs)).statusCode, 403);
      assert.equal((await call(env(), 'GET', '/v1/staff/accounts', po)).statusCode, 200);
    });

    it('needs a valid API key for service routes; a revoked or made-up key is refused', async () => {
      const body = {
        subject: { kind: 'customer' },
        purpose: 'order.fulfilment',
        categories: ['contact.email'],
      };
      const ok = await env().app.inject({
        method: 'POST',
        url: '/v1/decisions',
        headers: service.headers,
        payload: body,
      });
      assert.equal(ok.statusCode, 200);
      const forged = `${service.key.slice(0, -4)}AAAA`;
      const bad = await env().app.inject({
        method: 'POST',
        url: '/v1/decisions',
        headers: { authorization: `Bearer ${forged}` },
        payload: body,
      });
      assert.equal(bad.statusCode, 401);
      const staffToken = await env().app.inject({
        method: 'POST',
        url: '/v1/decisions',
        headers: marketing.bearer.headers,
        payload: body,
      });
      assert.equal(staffToken.statusCode, 403);
      const other = await serviceCaller(env());
      await env().services.identity.apiKeys.revoke(other.keyId, null);
      const revoked = await env().app.inject({
        method: 'POST',
        url: '/v1/decisions',
        headers: other.headers,
        payload: body,
      });
      assert.equal(revoked.statusCode, 401);
    });

    it('remembers a verified API key for VOW_API_KEY_CACHE_SECONDS only: a revocation made elsewhere holds after that', async () => {
      const body = {
        subject: { kind: 'customer' },
        purpose: 'order.fulfilment',
        categories: ['contact.email'],
      };
      const post = (headers: Record<string, string>) =>
        env().app.inject({ method: 'POST', url: '/v1/decisions', headers, payload: body });
      const caller = await serviceCaller(env());
      assert.equal((await post(caller.headers)).statusCode, 200);
      // The remembered key still needs its secret: the same id with another secret is refused.
      const forged = `${caller.key.slice(0, -4)}AAAA`;
      assert.equal((await post({ authorization: `Bearer ${forged}` })).statusCode, 401);
      // Another process (or the CLI) revokes the key: this process notices once the entry expires.
      await env()
        .ctx.store.db.updateTable('api_keys')
        .set({ revoked_at: env().clock.now().toISOString() })
        .where('id', '=', caller.keyId)
        .execute();
      assert.equal(env().ctx.config.apiKeyCacheSeconds, 5);
      env().clock.advance(4_000);
      assert.equal((await post(caller.headers)).statusCode, 200, 'still remembered within the 5 seconds');
      env().clock.advance(1_001);
      assert.equal((await post(caller.headers)).statusCode, 401, 'read again after 5 seconds: revoked');
    });

    it('refuses a remembered key id presented with a malformed secret, as an unknown key, remembered or not', async () => {
      const body = {
        subject: { kind: 'customer' },
        purpose: 'order.fulfilment',
        categories: ['contact.email'],
      };
      const post = (key: string) =>
        env().app.inject({
          method: 'POST',
          url: '/v1/decisions',
          headers: { authorization: `Bearer ${key}` },
          payload: body,
        });
      const caller = await serviceCaller(env());
      assert.equal((await post(caller.key)).statusCode, 200);
      const unknown = await post(`vow_sk_${'A'.repeat(16)}.${'B'.repeat(43)}`);
      assert.equal(unknown.statusCode, 401);
      // The key is remembered now: its id with a secret of the right length but characters no
      // secret holds, with a wider character, one character short or long, or a second dot.
      const last = caller.key.length - 1;
      const malformed = [
        `${caller.key.slice(0, last)}!`,
        `${caller.key.slice(0, last)}.`,
        `${caller.key.slice(0, last)}${String.fromCharCode(0x100 + caller.key.charCodeAt(last))}`,
        caller.key.slice(0, last),
        `${caller.key}A`,
      ];
      for (const key of malformed) {
        const refused = await post(key);
        assert.equal(refused.statusCode, 401, key);
        assert.equal(refused.body, unknown.body);
      }
      // Once the memory of the key has expired too (its row is read again): refused, not an error.
      env().clock.advance(env().ctx.config.apiKeyCacheSeconds * 1000 + 1);
      for (const key of malformed) assert.equal((await post(key)).statusCode, 401, key);
      assert.equal((await post(caller.key)).statusCode, 200);
    });

    it('keeps a staff member on the password change until the one-time password is replaced', async () => {
      const { staff } = env().services.identity;
      const { password } = await staff.add('newcomer', ['auditor'], null);
      const login = await env().app.inject({
        method: 'POST',
        url: '/v1/staff/tokens',
        payload: { username: 'newcomer', password },
      });
      assert.equal(login.statusCode, 201);
      assert.equal(login.json().mustChangePassword, true);
      const headers = { authorization: `Bearer ${login.json().token}` };
      const blocked = await env().app.inject({ method: 'GET', url: '/v1/audit', headers });
      assert.equal(blocked.statusCode, 403);
      assert.equal(blocked.json().error.code, 'VOW_PASSWORD_CHANGE_REQUIRED');
      const changed = await env().app.inject({
        method: 'POST',
        url: '/v1/staff/password',
        headers,
        payload: { current: password, password: 'a brand new long passphrase' },
      });
      assert.equal(changed.statusCode, 200, changed.body);
      assert.equal((await env().app.inject({ method: 'GET', url: '/v1/audit', headers })).statusCode, 200);
    });

    it('ends a disabled staff member at once', async () => {
      const cs = await staffCaller(env(), ['customer_service']);
      assert.equal((await call(env(), 'GET', '/v1/staff/me', cs)).statusCode, 200);
      await env().services.identity.staff.setDisabled(cs.username, true, null);
      assert.equal((await call(env(), 'GET', '/v1/staff/me', cs)).statusCode, 401);
      assert.equal((await call(env(), 'GET', '/v1/staff/me', cs.bearer)).statusCode, 401);
    });
  },
  { auth: 'enforced', rateLimits: false },
);

describeEachDialect('access declarations', () => {
  it('refuses to start an app with a route that declares no access', async () => {
    const Fastify = (await import('fastify')).default;
    const { requireAccessDeclarations } = await import('../../src/http/access.js');
    const app = Fastify();
    requireAccessDeclarations(app);
    app.get('/declared', { config: { access: 'public' } }, async () => 'ok');
    assert.throws(() => app.get('/forgotten', async () => 'oops'), /declares no access/);
    assert.deepEqual(
      declaredRoutes(app).map((r) => `${r.method} ${r.url} ${r.access}`),
      ['GET /declared public', 'HEAD /declared public'],
    );
    await app.close();
  });
});
