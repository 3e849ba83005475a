// The per-person walker over the example shop, on SQLite, PostgreSQL and MariaDB: export holds all
// of one person's annotated values and nothing of anyone else; deletion removes what is not exempt,
// reports what stays and why, and changes nothing the second time; corrections reach every copy.
import assert from 'node:assert/strict';
import { after, before, describe, it, type TestContext } from 'node:test';
import { sql } from 'kysely';
import { EXAMPLE_PEOPLE } from '../../examples/shop/shop.js';
import {
  connectDataset,
  type DatasetConnection,
  DatasetService,
  EXAMPLE_SHOP_ANNOTATION_PATH,
  exportToCsv,
  loadAnnotationFile,
  type PersonExport,
  type PersonIdentity,
} from '../../src/modules/datasets/index.js';
import { loadPolicy } from '../../src/modules/policy/index.js';
import { ManualClock } from '../../src/platform/clock.js';
import { VowError } from '../../src/platform/errors.js';
import { datasetEngines, exampleShopDatabase, type ScratchDb } from './engines.js';

const policy = loadPolicy();
const annotation = loadAnnotationFile(EXAMPLE_SHOP_ANNOTATION_PATH, policy);

const alice: PersonIdentity = {
  emails: [EXAMPLE_PEOPLE.alice.email],
  accountIds: [EXAMPLE_PEOPLE.alice.accountId],
};
const bob: PersonIdentity = { emails: [EXAMPLE_PEOPLE.bob.email], phones: [EXAMPLE_PEOPLE.bob.phone] };
const carol: PersonIdentity = { emails: [EXAMPLE_PEOPLE.carol.email] };

/** The (table, row) pairs of the example data that belong to each person. */
const ALICE_ROWS = [
  'customers:1',
  'addresses:100',
  'addresses:101',
  'orders:1000',
  'orders:1001',
  'order_lines:5000',
  'order_lines:5001',
  'reviews:700',
  'wishlists:800',
  'wishlist_items:900',
  'wishlist_items:901',
];
const BOB_STRINGS = [
  'bob.baker@example.org',
  'Bob',
  'Baker',
  'Bob B.',
  'Lovely, the band runs small.',
  '5 Mill Street',
  'pay_B1002',
  'For later',
];

function rowsOf(e: PersonExport): string[] {
  return [...new Set(e.values.map((v) => `${v.table}:${v.row}`))].sort();
}

for (const engine of datasetEngines()) {
  describe(`the per-person walker on the example shop [${engine}]`, () => {
    let scratch: ScratchDb | 'skip';
    let service: DatasetService;
    let raw: DatasetConnection;
    const clock = new ManualClock();
    const skipped = (t: TestContext): boolean => {
      if (scratch === 'skip') {
        t.skip('MariaDB is not reachable');
        return true;
      }
      return false;
    };
    const q = async (text: string, table: string, id: number) => {
      const r = await sql<
        Record<string, unknown>
      >`select * from ${sql.table(table)} where id = ${id}`.execute(raw.db);
      void text;
      return r.rows[0];
    };

    before(async () => {
      scratch = await exampleShopDatabase(engine);
      if (scratch === 'skip') return;
      service = new DatasetService({ policy: () => policy, clock }, [
        { name: 'shop', annotation, url: scratch.url },
      ]);
      raw = connectDataset(scratch.url);
    });
    after(async () => {
      if (scratch === 'skip') return;
      await service.close();
      await raw.close();
      await scratch.drop();
    });

    it('exports every annotated value of a customer, found through links at any depth', async (t) => {
      if (skipped(t)) return;
      const e = await service.export(alice);
      assert.deepEqual(rowsOf(e), [...ALICE_ROWS].sort());
      // Every annotated column of every one of her rows is there, with its category.
      for (const key of ALICE_ROWS) {
        const [table, row] = key.split(':');
        const cols = annotation.tables
          .find((x) => x.name === table)!
          .columns.map((c) => c.name)
          .sort();
        const got = e.values
          .filter((v) => v.table === table && v.row === row)
          .map((v) => v.column)
          .sort();
        assert.deepEqual(got, cols, `${key} holds every annotated column`);
      }
      const email = e.values.find((v) => v.table === 'customers' && v.column === 'email');
      assert.equal(email?.value, 'Alice.Archer@example.com');
      assert.equal(email?.category, 'contact.email');
      assert.equal(email?.dataset, 'shop');
      assert.ok(email?.purposes.includes('order.fulfilment'));
      assert.ok(
        !email?.purposes.includes('analytics.aggregate_reporting'),
        'a never/aggregate purpose is not listed',
      );
      const total = e.values.find(
        (v) => v.table === 'orders' && v.row === '1000' && v.column === 'total_cents',
      );
      assert.equal(Number(total?.value), 129900);
      assert.equal(e.tables['shop.wishlist_items']?.length, 2);
    });

    it("holds nothing of anyone else, even Bob's review of the same product", async (t) => {
      if (skipped(t)) return;
      const e = await service.export(alice);
      const text = JSON.stringify(e);
      for (const s of BOB_STRINGS) assert.ok(!text.includes(s), `the export must not contain "${s}"`);
      assert.ok(!rowsOf(e).includes('reviews:701'));
      const b = await service.export(bob);
      assert.deepEqual(rowsOf(b), [
        'addresses:102',
        'customers:2',
        'order_lines:5002',
        'orders:1002',
        'reviews:701',
        'wishlist_items:902',
        'wishlists:801',
      ]);
      assert.ok(!JSON.stringify(b).includes('Alice'));
    });

    it('finds a guest by the email on their order, case-insensitively', async (t) => {
      if (skipped(t)) return;
      const e = await service.export({ emails: [' CAROL.Cooper@Example.net '] });
      assert.deepEqual(rowsOf(e), ['order_lines:5003', 'orders:1003']);
      const nobody = await service.export({ emails: ['nobody@example.com'] });
      assert.equal(nobody.values.length, 0);
    });

    it('an identifier of another shape matches nothing and breaks nothing', async (t) => {
      if (skipped(t)) return;
      const e = await service.export({
        accountIds: ['acc-7', '1 OR 1=1'],
        phones: ['not a phone'],
        subjectIds: ['x'],
      });
      assert.equal(e.values.length, 0);
    });

    it('renders the export as one CSV per table with a header row', async (t) => {
      if (skipped(t)) return;
      const csv = exportToCsv(await service.export(alice));
      const reviews = csv['shop.reviews']!.split('\r\n');
      assert.equal(reviews[0], '"id","display_name","body","rating","created_at"');
      assert.ok(reviews[1]!.startsWith('"700","Alice A.","Sparkles like the real thing.","5",'));
      assert.equal(csv['shop.addresses']!.trim().split('\r\n').length, 3);
    });

    it('a dry run of a deletion reports what would happen and changes nothing', async (t) => {
      if (skipped(t)) return;
      const before = await service.export(alice);
      const report = await service.delete(alice, { dryRun: true });
      assert.equal(report.dryRun, true);
      assert.ok(report.changes > 0);
      const addresses = report.tables.find((x) => x.table === 'addresses');
      assert.equal(addresses?.rowsDeleted, 2);
      const after = await service.export(alice);
      assert.deepEqual(after.values, before.values);
    });

    it('deletes a chosen category only', async (t) => {
      if (skipped(t)) return;
      const report = await service.delete(bob, { categories: ['interest'] });
      assert.equal(report.tables.find((x) => x.table === 'wishlists')?.rowsDeleted, 1);
      assert.equal(report.tables.find((x) => x.table === 'wishlist_items')?.rowsDeleted, 1);
      assert.equal(await q('', 'wishlists', 801), undefined);
      assert.equal(await q('', 'wishlist_items', 902), undefined);
      assert.equal((await q('', 'reviews', 701))?.body, 'Lovely, the band runs small.');
      assert.equal((await q('', 'customers', 2))?.first_name, 'Bob');
      assert.deepEqual(report.retained, []);
    });

    it('corrects a field in every row that holds it, and a second time changes nothing', async (t) => {
      if (skipped(t)) return;
      const first = await service.correct(bob, { category: 'contact.phone', value: '+14155550199' });
      assert.equal(first.changes, 1);
      assert.equal((await q('', 'customers', 2))?.phone, '+14155550199');
      const again = await service.correct(bob, { category: 'contact.phone', value: '+14155550199' });
      assert.equal(again.changes, 0);
      const ship = await service.correct(bob, {
        category: 'contact.postal_address',
        column: 'ship_city',
        value: 'Springfield',
      });
      assert.equal(ship.changes, 1);
      assert.equal((await q('', 'orders', 1002))?.ship_city, 'Springfield');
      assert.equal(
        (await q('', 'orders', 1000))?.ship_city,
        'Springfield',
        "Alice's own order is untouched (it was Springfield already)",
      );
      assert.equal((await q('', 'orders', 1003))?.ship_city, 'North Haverbrook');
      await assert.rejects(
        service.correct(bob, { category: 'demographic.gender', value: 'x' }),
        (err: unknown) => err instanceof VowError && err.code === 'VOW_DATASET_UNKNOWN_FIELD',
      );
    });

    it('a whole-name correction is split where the name is kept in parts, as the old one was; a named column is set exactly', async (t) => {
      if (skipped(t)) return;
      const whole = await service.correct(bob, { category: 'identity.name', value: 'Robert James Baker' });
      const customer = await q('', 'customers', 2);
      assert.equal(customer?.first_name, 'Robert James', 'the given part: every word but the family one');
      assert.equal(customer?.last_name, 'Baker', 'the family part: as many words as before (one)');
      assert.equal((await q('', 'orders', 1002))?.ship_name, 'Robert James Baker', 'a whole-name column');
      assert.ok(whole.changes >= 3, JSON.stringify(whole));
      // The family part had one word: a two-word family name is given by naming its column.
      const family = await service.correct(bob, {
        category: 'identity.name',
        column: 'last_name',
        value: 'Baker Smith',
      });
      assert.equal(family.changes, 1);
      assert.equal((await q('', 'customers', 2))?.first_name, 'Robert James');
      assert.equal((await q('', 'customers', 2))?.last_name, 'Baker Smith');
      // Now two words: the next whole name keeps two for the family part.
      await service.correct(bob, { category: 'identity.name', value: 'Rob Baker Jones' });
      assert.equal((await q('', 'customers', 2))?.first_name, 'Rob');
      assert.equal((await q('', 'customers', 2))?.last_name, 'Baker Jones');
      // One word: all given name, the family part emptied.
      await service.correct(bob, { category: 'identity.name', value: 'Bob' });
      assert.equal((await q('', 'customers', 2))?.first_name, 'Bob');
      assert.equal((await q('', 'customers', 2))?.last_name, '');
    });

    it('deletes all non-exempt data, keeps order history and account under their exemption, and leaves others alone', async (t) => {
      if (skipped(t)) return;
      const bobBefore = await service.export(bob);
      const report = await service.delete(alice);
      assert.equal(report.dryRun, false);
      // Gone: addresses, review, wishlist and its items.
      for (const [table, id] of [
        ['addresses', 100],
        ['addresses', 101],
        ['reviews', 700],
        ['wishlists', 800],
        ['wishlist_items', 900],
        ['wishlist_items', 901],
      ] as const)
        assert.equal(await q('', table, id), undefined, `${table} ${id} is deleted`);
      // Kept, scrubbed: the customer row (orders still point at it) and the orders.
      const customer = await q('', 'customers', 1);
      assert.equal(customer?.email, 'deleted-1@invalid.example');
      assert.equal(customer?.first_name, null);
      assert.equal(customer?.phone, null);
      assert.equal(customer?.created_at, '2025-03-01T10:00:00.000Z');
      const order = await q('', 'orders', 1001);
      assert.equal(Number(order?.total_cents), 24900);
      assert.equal(order?.ship_name, null);
      assert.equal(order?.ship_line1, null);
      assert.equal(order?.gift_message, null);
      assert.equal(order?.payment_ref, null);
      assert.equal(Number((await q('', 'order_lines', 5001))?.quantity), 1);
      // The report names what stayed and why, with counts and no values.
      const kept = report.retained.map((r) => `${r.table}.${r.column}:${r.exemption}:${r.rows}`).sort();
      assert.ok(kept.includes('orders.total_cents:service_customers:2'));
      assert.ok(kept.includes('order_lines.quantity:service_customers:2'));
      assert.ok(kept.includes('customers.created_at:service_customers:1'));
      assert.ok(!JSON.stringify(report).includes('Alice'));
      assert.ok(!JSON.stringify(report).includes('Orchard'));
      // Bob is untouched.
      assert.deepEqual((await service.export(bob)).values, bobBefore.values);
      // What remains of Alice is exempt data only.
      const rest = await service.export(alice);
      for (const v of rest.values) {
        const col = annotation.tables
          .find((x) => x.name === v.table)!
          .columns.find((c) => c.name === v.column)!;
        if (col.onDelete !== 'retain')
          assert.ok(
            v.value === null || String(v.value).startsWith('deleted-') || v.value === '0' || v.value === 0,
            `${v.table}.${v.column} was cleared`,
          );
      }
    });

    it('a second run of the same deletion changes nothing', async (t) => {
      if (skipped(t)) return;
      const again = await service.delete(alice);
      assert.equal(again.changes, 0);
      for (const table of again.tables) {
        assert.equal(table.rowsDeleted, 0);
        assert.ok(
          table.columns.every((c) => c.action === 'retained'),
          `${table.table}: only retained columns`,
        );
      }
      const guest = await service.delete(carol);
      assert.ok(guest.changes > 0);
      assert.equal((await service.delete(carol)).changes, 0);
      assert.equal((await q('', 'orders', 1003))?.guest_email, null);
    });
  });
}
