// Several requests at once for the same new person, or the same order: one person, one order.
import assert from 'node:assert/strict';
import { it } from 'node:test';
import { orderBody, post } from '../collection/fixtures.js';
import { describeEachDialect } from '../helpers/env.js';

describeEachDialect('identity resolution under concurrency', (env) => {
  it('makes one person of five simultaneous entries with the same new email', async () => {
    const results = await Promise.all(
      Array.from({ length: 5 }, (_, i) =>
        post(env(), '/v1/contest-entries', {
          email: i % 2 ? 'Same.Person@example.com' : 'same.person@example.com',
        }),
      ),
    );
    for (const r of results) assert.equal(r.statusCode, 201, r.body);
    const ids = new Set(results.map((r) => r.json().subjectId));
    assert.equal(ids.size, 1);
    const lookups = await env()
      .store.db.selectFrom('subject_lookup')
      .selectAll()
      .where('subject_id', '=', [...ids][0]!)
      .execute();
    assert.equal(lookups.length, 1);
    const subjects = await env().store.db.selectFrom('subjects').select('id').execute();
    const entries = await env().store.db.selectFrom('contest_entries').select('subject_id').execute();
    assert.equal(entries.length, 5);
    assert.ok(entries.every((e) => e.subject_id === [...ids][0]));
    assert.ok(subjects.some((s) => s.id === [...ids][0]));
  });

  it('records one order when the same order arrives three times at once', async () => {
    const body = orderBody('race');
    const results = await Promise.all([1, 2, 3].map(() => post(env(), '/v1/orders', body)));
    const statuses = results.map((r) => r.statusCode).sort();
    assert.deepEqual(statuses, [200, 200, 201], results.map((r) => r.body).join('\n'));
    assert.equal(new Set(results.map((r) => r.json().id)).size, 1);
    const orders = await env()
      .store.db.selectFrom('orders')
      .selectAll()
      .where('shop_order_id', '=', 'SO-race')
      .execute();
    assert.equal(orders.length, 1);
  });
});
