// A person with more rows than one `in (…)` list holds: the walker finds them all, in chunks.
import assert from 'node:assert/strict';
import { after, before, describe, it, type TestContext } from 'node:test';
import { EXAMPLE_PEOPLE } from '../../examples/shop/shop.js';
import {
  connectDataset,
  type DatasetConnection,
  DatasetService,
  EXAMPLE_SHOP_ANNOTATION_PATH,
  loadAnnotationFile,
} from '../../src/modules/datasets/index.js';
import { IN_LIST_CHUNK } from '../../src/modules/datasets/rows.js';
import { loadPolicy } from '../../src/modules/policy/index.js';
import { ManualClock } from '../../src/platform/clock.js';
import { datasetEngines, exampleShopDatabase, type ScratchDb } from './engines.js';

const policy = loadPolicy();
const annotation = loadAnnotationFile(EXAMPLE_SHOP_ANNOTATION_PATH, policy);
const EXTRA = IN_LIST_CHUNK * 2 + 37;

for (const engine of datasetEngines()) {
  describe(`a person with many rows [${engine}]`, () => {
    let scratch: ScratchDb | 'skip';
    let raw: DatasetConnection;
    const skipped = (t: TestContext) => {
      if (scratch === 'skip') t.skip('MariaDB is not reachable');
      return scratch === 'skip';
    };
    before(async () => {
      scratch = await exampleShopDatabase(engine);
      if (scratch === 'skip') return;
      raw = connectDataset(scratch.url);
      const orders = Array.from({ length: EXTRA }, (_, i) => ({
        id: 20000 + i,
        customer_id: 2,
        guest_email: null,
        placed_at: '2025-09-01T00:00:00.000Z',
        total_cents: 100,
        currency: 'USD',
        ship_name: 'Bob Baker',
        ship_line1: '5 Mill Street',
        ship_city: 'Ogdenville',
        ship_postcode: '33333',
        ship_country: 'US',
        gift_message: null,
        payment_ref: `pay_${i}`,
      }));
      for (let i = 0; i < orders.length; i += 200)
        await raw.db
          .insertInto('orders')
          .values(orders.slice(i, i + 200))
          .execute();
      const lines = orders.map((o, i) => ({
        id: 30000 + i,
        order_id: o.id,
        product_id: 10,
        quantity: 1,
        unit_price_cents: 100,
      }));
      for (let i = 0; i < lines.length; i += 200)
        await raw.db
          .insertInto('order_lines')
          .values(lines.slice(i, i + 200))
          .execute();
    });
    after(async () => {
      if (scratch === 'skip') return;
      await raw.close();
      await scratch.drop();
    });

    it('exports and scrubs every one of them', async (t) => {
      if (skipped(t)) return;
      const service = new DatasetService({ policy: () => policy, clock: new ManualClock() }, [
        { name: 'shop', annotation, db: raw.db },
      ]);
      const who = { accountIds: [EXAMPLE_PEOPLE.bob.accountId] };
      const e = await service.export(who);
      assert.equal(e.tables['shop.orders']?.length, EXTRA + 1);
      assert.equal(e.tables['shop.order_lines']?.length, EXTRA + 1);
      const report = await service.delete(who);
      const orders = report.tables.find((x) => x.table === 'orders');
      assert.equal(orders?.columns.find((c) => c.column === 'ship_name')?.rows, EXTRA + 1);
      assert.equal(
        report.retained.find((r) => r.table === 'order_lines' && r.column === 'quantity')?.rows,
        EXTRA + 1,
      );
      const left = await raw.db
        .selectFrom('orders')
        .select('id')
        .where('ship_name', 'is not', null)
        .execute();
      assert.deepEqual(
        left.map((r) => Number(r.id)).sort(),
        [1000, 1001, 1003],
        'only the other people’s orders keep a name',
      );
    });
  });
}
