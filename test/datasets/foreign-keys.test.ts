// Deletion never breaks a foreign key: children go before parents, and a parent whose children
// are retained stays (its values cleared) instead. On SQLite, PostgreSQL and MariaDB, all of which
// enforce the example shop's foreign keys.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { after, before, describe, it, type TestContext } from 'node:test';
import { sql } from 'kysely';
import { EXAMPLE_PEOPLE } from '../../examples/shop/shop.js';
import {
  connectDataset,
  type DatasetConnection,
  DatasetService,
  EXAMPLE_SHOP_ANNOTATION_PATH,
  parseAnnotation,
  verifyAgainstDatabase,
} from '../../src/modules/datasets/index.js';
import { loadPolicy } from '../../src/modules/policy/index.js';
import { ManualClock } from '../../src/platform/clock.js';
import { datasetEngines, exampleShopDatabase, type ScratchDb } from './engines.js';

const policy = loadPolicy();
const shopYaml = readFileSync(EXAMPLE_SHOP_ANNOTATION_PATH, 'utf8');

function variant(transform: (yaml: string) => string) {
  const r = parseAnnotation(transform(shopYaml), policy, 'variant.yaml');
  if (!r.ok) throw new Error(JSON.stringify(r.problems));
  return r.annotation;
}
// Every retained column turned into `delete_row`: nothing exempt.
const nothingExempt = variant((y) =>
  y
    .replaceAll('on_delete: retain, exemption: service_customers', 'on_delete: delete_row')
    .replaceAll('on_delete: mask, mask_with: "deleted-{pk}@invalid.example"', 'on_delete: delete_row'),
);
// Only order lines are exempt: the orders above them and the customer above those must stay.
const onlyLinesExempt = variant((y) => {
  const [head, lines] = y.split('  order_lines:');
  return `${head!
    .replace(
      'id: { category: account.profile, on_delete: retain, exemption: service_customers }',
      'id: { category: account.profile, on_delete: delete_row }',
    )
    .replaceAll('on_delete: retain, exemption: service_customers', 'on_delete: delete_row, mask_with: "0"')
    .replace(
      'on_delete: mask, mask_with: "deleted-{pk}@invalid.example"',
      'on_delete: delete_row, mask_with: "gone-{pk}@invalid.example"',
    )}  order_lines:${lines}`;
});

const alice = { accountIds: [EXAMPLE_PEOPLE.alice.accountId] };
const bob = { accountIds: [EXAMPLE_PEOPLE.bob.accountId] };

for (const engine of datasetEngines()) {
  describe(`deletion keeps foreign keys intact [${engine}]`, () => {
    let scratch: ScratchDb | 'skip';
    let raw: DatasetConnection;
    const clock = new ManualClock();
    const skipped = (t: TestContext) => {
      if (scratch === 'skip') t.skip('MariaDB is not reachable');
      return scratch === 'skip';
    };
    const row = async (table: string, id: number) =>
      (await sql<Record<string, unknown>>`select * from ${sql.table(table)} where id = ${id}`.execute(raw.db))
        .rows[0];

    before(async () => {
      scratch = await exampleShopDatabase(engine);
      if (scratch !== 'skip') raw = connectDataset(scratch.url);
    });
    after(async () => {
      if (scratch === 'skip') return;
      await raw.close();
      await scratch.drop();
    });

    it('the example annotation matches the database, and a missing column is named', async (t) => {
      if (skipped(t)) return;
      const annotation = variant((y) => y);
      assert.deepEqual(await verifyAgainstDatabase(raw.db, annotation), []);
      const wrong = variant((y) =>
        y.replace('      phone: { category: contact.phone', '      mobile: { category: contact.phone'),
      );
      assert.deepEqual(await verifyAgainstDatabase(raw.db, wrong), [
        {
          path: ['tables', 'customers', 'columns', 'mobile'],
          message: 'the database table "customers" has no column "mobile"',
        },
      ]);
    });

    it('with nothing exempt, removes every row of the person, children before parents', async (t) => {
      if (skipped(t)) return;
      const service = new DatasetService({ policy: () => policy, clock }, [
        { name: 'shop', annotation: nothingExempt, db: raw.db },
      ]);
      const report = await service.delete(alice);
      assert.deepEqual(report.retained, []);
      for (const [table, id] of [
        ['customers', 1],
        ['orders', 1000],
        ['orders', 1001],
        ['order_lines', 5000],
        ['wishlist_items', 900],
      ] as const)
        assert.equal(await row(table, id), undefined, `${table} ${id} is gone`);
      assert.equal((await row('customers', 2))?.first_name, 'Bob');
      assert.equal((await row('reviews', 701))?.display_name, 'Bob B.');
      assert.equal((await service.delete(alice)).changes, 0);
    });

    it('keeps a parent whose children are retained, clearing its values instead', async (t) => {
      if (skipped(t)) return;
      const service = new DatasetService({ policy: () => policy, clock }, [
        { name: 'shop', annotation: onlyLinesExempt, db: raw.db },
      ]);
      const preview = await service.delete(bob, { dryRun: true });
      assert.equal(preview.tables.find((x) => x.table === 'customers')?.rowsDeleted, 0);
      assert.equal(preview.tables.find((x) => x.table === 'addresses')?.rowsDeleted, 1);
      const report = await service.delete(bob);
      assert.deepEqual(
        report.tables.map((x) => [x.table, x.rowsDeleted]),
        preview.tables.map((x) => [x.table, x.rowsDeleted]),
        'the dry run predicted the deletion',
      );
      const customer = await row('customers', 2);
      assert.equal(customer?.email, 'gone-2@invalid.example', 'a NOT NULL column is masked');
      assert.equal(customer?.first_name, null);
      const order = await row('orders', 1002);
      assert.equal(Number(order?.total_cents), 0, 'the order stays for its retained lines, values cleared');
      assert.equal(order?.ship_name, null);
      assert.equal(Number((await row('order_lines', 5002))?.quantity), 1);
      assert.equal(await row('addresses', 102), undefined);
      assert.deepEqual(report.retained.map((r) => `${r.table}.${r.column}`).sort(), [
        'order_lines.product_id',
        'order_lines.quantity',
        'order_lines.unit_price_cents',
      ]);
      assert.equal((await service.delete(bob)).changes, 0);
    });
  });
}
