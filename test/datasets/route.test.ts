// GET /v1/datasets: the data map for staff, structure only; refused to anyone who is not staff.
import assert from 'node:assert/strict';
import { it } from 'node:test';
import { describeEachDialect } from '../helpers/env.js';

describeEachDialect('GET /v1/datasets', (env) => {
  it('describes Vow’s own tables: categories, strategies and exemptions, no values', async () => {
    const res = await env().app.inject({ method: 'GET', url: '/v1/datasets' });
    assert.equal(res.statusCode, 200, res.body);
    const body = res.json() as {
      datasets: {
        name: string;
        tables: {
          name: string;
          columns: { name: string; onDelete: string; exemption?: string; fields?: unknown[] }[];
        }[];
      }[];
    };
    assert.deepEqual(
      body.datasets.map((d) => d.name),
      ['vow'],
    );
    const orders = body.datasets[0]!.tables.find((t) => t.name === 'orders')!;
    const total = orders.columns.find((c) => c.name === 'total_cents');
    assert.deepEqual([total?.onDelete, total?.exemption], ['retain', 'service_customers']);
    assert.equal(orders.columns.find((c) => c.name === 'buyer_sealed')?.fields?.length, 3);
  });
});

describeEachDialect(
  'GET /v1/datasets without a staff session',
  (env) => {
    it('is refused', async () => {
      const res = await env().app.inject({ method: 'GET', url: '/v1/datasets' });
      assert.ok(res.statusCode === 401 || res.statusCode === 403, `${res.statusCode} ${res.body}`);
    });
  },
  { auth: 'enforced' },
);
