// One order id sent to two Vow processes at once (a retailer's retry over a flaky network reaching
// another process while the first request is still being written), on one PostgreSQL database. The
// stored orders are not read before a write: the second process's insert waits on the first's
// unique shop_order_id, fails once it commits, and the group is written again with the stored
// order read. The same body must answer as a replay with the first answer (one order), another
// body VOW_ORDER_CONFLICT, and an order beside them in the same group be stored as usual.
import assert from 'node:assert/strict';
import { it } from 'node:test';
import { orderSchema } from '../../src/modules/collection/index.js';
import { isVowError } from '../../src/platform/errors.js';
import { deferred } from '../helpers/deferred.js';
import { orderBody } from './fixtures.js';
import { describeOnProcesses, type Writer, waitUntilBlockedOnLock } from './processes.js';

describeOnProcesses('one order id sent to two processes at once', [31, 32], (writers) => {
  const [a, b] = writers as [Writer, Writer];

  it('answers a retry in flight elsewhere as its replay, another body 409, the group beside them stored', async () => {
    const body = orderSchema.parse(orderBody('race-order'));
    // Process B writes the order; its transaction is held open once its rows are written.
    const { promise: held, resolve: release } = deferred();
    const { promise: rowsWritten, resolve: written } = deferred();
    const prepared = await b.services.collection.prepare([{ type: 'order', body }]);
    const first = b.services.collection.writePrepared(prepared, undefined, async () => {
      written();
      await held;
    });
    await rowsWritten;
    // Process A receives the retry, the same id with another body, and another order, at once.
    const other = orderSchema.parse(orderBody('race-order-beside'));
    const answers = Promise.allSettled([
      a.services.collection.order(body),
      a.services.collection.order({ ...body, total_cents: body.total_cents + 1 }),
      a.services.collection.order(other),
    ]);
    await waitUntilBlockedOnLock(a);
    release();
    const stored = (await first).results[0]!;
    assert.equal(stored.status, 201);
    const [retry, changed, beside] = await answers;
    assert.equal(retry.status, 'fulfilled');
    assert.deepEqual(retry.value, { status: 200, body: stored.body }, 'the first answer again');
    assert.equal(changed.status, 'rejected');
    assert.ok(
      isVowError(changed.reason) && changed.reason.code === 'VOW_ORDER_CONFLICT',
      String(changed.reason),
    );
    assert.equal(beside.status, 'fulfilled');
    assert.equal(beside.value.status, 201);
    const rows = await a.store.db
      .selectFrom('orders')
      .select(['shop_order_id', 'id'])
      .where('shop_order_id', 'in', [body.shop_order_id, other.shop_order_id])
      .execute();
    assert.equal(rows.length, 2);
    assert.equal(rows.find((r) => r.shop_order_id === body.shop_order_id)!.id, stored.body.id);
    const verified = await a.ctx.audit.verify();
    assert.ok(verified.ok, JSON.stringify(verified));
  });
});
