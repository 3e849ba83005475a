// A group that loses the race for an order id twice: one of its orders stored by another request
// while the group was prepared, another stored while it was prepared again after that loss (the
// retailer's retries arriving elsewhere, one after the other). Each loss prepares the group again
// with the stored orders read, until every order stored elsewhere answers as its replay; the write
// used to try again once only and then fail with the database's unique violation.
import assert from 'node:assert/strict';
import { it } from 'node:test';
import { orderSchema } from '../../src/modules/collection/index.js';
import { describeEachDialect } from '../helpers/env.js';
import { orderBody } from './fixtures.js';

describeEachDialect('a group losing two order ids, one after the other', (env) => {
  it('prepares the group again after each loss and answers both orders as replays', async () => {
    const { collection, subjects } = env().services;
    // A known buyer: the orders are the only rows the writes contend for.
    const known = orderSchema.parse(orderBody('twice-known'));
    await collection.order(known);
    const x = { ...known, shop_order_id: 'SO-twice-x' };
    const y = { ...known, shop_order_id: 'SO-twice-y', total_cents: known.total_cents + 100 };

    const group = await collection.prepare([
      { type: 'order', body: x },
      { type: 'order', body: y },
    ]);
    const storedX = await collection.order(x);
    // Y arrives elsewhere once the group, having lost X, is being prepared again.
    let storedY: Awaited<ReturnType<typeof collection.order>> | undefined;
    const prepareAll = subjects.prepareAll.bind(subjects);
    subjects.prepareAll = async (requests) => {
      if (!storedY) {
        subjects.prepareAll = prepareAll;
        storedY = await collection.order(y);
      }
      return prepareAll(requests);
    };
    try {
      const { results } = await collection.writePrepared(group);
      assert.ok(storedY, 'the group was prepared again');
      assert.deepEqual(
        results.map((r) => r.status),
        [200, 200],
      );
      assert.deepEqual(results[0]!.body, storedX.body);
      assert.deepEqual(results[1]!.body, storedY.body);
    } finally {
      subjects.prepareAll = prepareAll;
    }
    const rows = await env()
      .store.db.selectFrom('orders')
      .select('id')
      .where('shop_order_id', 'in', [x.shop_order_id, y.shop_order_id])
      .execute();
    assert.equal(rows.length, 2);
    const verified = await env().ctx.audit.verify();
    assert.ok(verified.ok, JSON.stringify(verified));
  });
});
