// The collection endpoints follow the policy in force, are described in /openapi.json, and refuse
// callers without the declared access.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { it } from 'node:test';
import { parsePolicy } from '../../src/modules/policy/load-policy.js';
import { describeEachDialect } from '../helpers/env.js';
import { catalogBody, countAllRows, orderBody, post } from './fixtures.js';

const source = readFileSync(new URL('../../policies/default.yaml', import.meta.url), 'utf8');
const budgetLine = 'values: [under_500, 500_1000, 1000_2000, 2000_5000, over_5000]';
assert.ok(source.includes(budgetLine), 'the default policy lists the catalog budgets');
const parsed = parsePolicy(source.replace(budgetLine, 'values: [under_250, 250_plus]'));
if (!parsed.ok) throw new Error(JSON.stringify(parsed.problems));
const retailerPolicy = parsed.policy;

describeEachDialect(
  "a retailer's own catalog form",
  (env) => {
    it("accepts exactly the answers of the retailer's policy", async () => {
      const ok = await post(env(), '/v1/catalog-requests', catalogBody('p1', { budget: 'under_250' }));
      assert.equal(ok.statusCode, 201);
      const old = await post(env(), '/v1/catalog-requests', catalogBody('p2', { budget: 'under_500' }));
      assert.equal(old.statusCode, 400);
      assert.equal(old.json().error.code, 'VOW_VALIDATION');
    });
  },
  { policy: retailerPolicy },
);

describeEachDialect('collection endpoints in the API description', (env) => {
  it('describes every collection, subject and disclosure endpoint with its body schema', async () => {
    const res = await env().app.inject({ method: 'GET', url: '/openapi.json' });
    const doc = res.json();
    for (const path of [
      '/v1/orders',
      '/v1/registrations',
      '/v1/contest-entries',
      '/v1/catalog-requests',
      '/v1/sms-signups',
      '/v1/inbound-messages',
      '/v1/subjects/search',
      '/v1/subjects/under13',
      '/v1/disclosures',
      '/v1/disclosures/search',
    ]) {
      const op = doc.paths?.[path]?.post;
      assert.ok(op, `${path} is described`);
      assert.ok(op.requestBody?.content?.['application/json']?.schema, `${path} has a body schema`);
    }
    const budget = JSON.stringify(doc.paths['/v1/catalog-requests'].post.requestBody);
    assert.match(budget, /over_5000/);
  });
});

describeEachDialect(
  'collection endpoints with access control enforced',
  (env) => {
    it('refuses unauthenticated callers and changes nothing', async () => {
      const before = await countAllRows(env());
      for (const [url, body] of [
        ['/v1/orders', orderBody('acc1')],
        ['/v1/catalog-requests', catalogBody('acc1')],
        ['/v1/contest-entries', { email: 'acc@example.com' }],
        ['/v1/subjects/under13', { subjectId: '00000000-0000-4000-8000-000000000000' }],
        ['/v1/subjects/search', { email: 'acc@example.com' }],
        ['/v1/disclosures', { recipient: 'carrier', purpose: 'order.fulfilment', orderId: 'SO-acc1' }],
        ['/v1/disclosures/search', { subjectId: '00000000-0000-4000-8000-000000000000' }],
      ] as const) {
        const res = await post(env(), url, body);
        assert.ok(res.statusCode === 401 || res.statusCode === 403, `${url} answered ${res.statusCode}`);
      }
      assert.deepEqual(await countAllRows(env()), before);
    });
  },
  { auth: 'enforced' },
);
