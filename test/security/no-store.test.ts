// Answers holding personal data are never kept by a browser's or a proxy's cache: every page and
// JSON answer a shopper or a staff member reaches with their credentials, and a request's status by
// its link, say `Cache-Control: no-store`. The JSON API (/v1/...) used to say nothing: the shopper's
// whole record at GET /v1/account/my-data, a request's status and every staff look-up could be
// stored by a shared cache or left in a shared computer's browser cache.
import assert from 'node:assert/strict';
import { it } from 'node:test';
import { declaredRoutes } from '../../src/http/access.js';
import { serviceCaller, shopperCaller, staffCaller } from '../helpers/auth.js';
import { describeEachDialect } from '../helpers/env.js';

describeEachDialect(
  'no cache keeps personal answers',
  (env) => {
    it("answers the shopper's own data and a request's status with no-store", async () => {
      const shopper = await shopperCaller(env(), 'cache.me@example.com');
      const mine = await env().app.inject({
        method: 'GET',
        url: '/v1/account/my-data',
        headers: shopper.headers,
      });
      assert.equal(mine.statusCode, 200, mine.body);
      assert.match(mine.body, /cache\.me@example\.com/);
      assert.equal(mine.headers['cache-control'], 'no-store', 'GET /v1/account/my-data');
      const made = await env().app.inject({
        method: 'POST',
        url: '/v1/requests',
        payload: { type: 'access', jurisdiction: 'eea', email: 'cache.me@example.com' },
      });
      assert.equal(made.statusCode, 202, made.body);
      const status = await env().app.inject({
        method: 'GET',
        url: `/v1/requests/status/${made.json().statusToken}`,
      });
      assert.equal(status.statusCode, 200, status.body);
      assert.equal(status.headers['cache-control'], 'no-store', 'GET /v1/requests/status/:token');
    });

    it('answers every GET a staff member, a shopper or the shop backend reaches with no-store', async () => {
      const officer = await staffCaller(env(), ['privacy_officer']);
      const shopper = await shopperCaller(env(), 'cache.all@example.com');
      const service = await serviceCaller(env());
      const callers: Record<string, Record<string, string>> = {
        shopper: shopper.headers,
        service: service.headers,
      };
      const checked: string[] = [];
      for (const r of declaredRoutes(env().app)) {
        if (r.method !== 'GET' || r.url.includes(':') || r.url.includes('*')) continue;
        // Prometheus' counters: route patterns and totals, no one's data.
        if (r.url === '/metrics') continue;
        const headers = r.access.startsWith('staff:') ? officer.headers : callers[r.access];
        if (!headers) continue;
        const res = await env().app.inject({ method: 'GET', url: r.url, headers });
        if (res.statusCode !== 200) continue;
        checked.push(r.url);
        assert.equal(res.headers['cache-control'], 'no-store', `GET ${r.url} (${r.access})`);
      }
      for (const url of ['/v1/account/my-data', '/account/my-data', '/staff/people', '/v1/audit'])
        assert.ok(checked.includes(url), `${url} was checked (${checked.length} routes)`);
    });
  },
  { auth: 'enforced' },
);
