// Property: for any shop data and any person, the export holds exactly the rows linked to that
// person (by email, case-insensitively, through any depth of links) and a deletion leaves every
// other person's rows exactly as they were; a second deletion changes nothing. (SQLite, in memory.)
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import SQLite from 'better-sqlite3';
import fc from 'fast-check';
import { Kysely, SqliteDialect, sql } from 'kysely';
import { createExampleShopSchema } from '../../examples/shop/shop.js';
import {
  DatasetService,
  EXAMPLE_SHOP_ANNOTATION_PATH,
  loadAnnotationFile,
} from '../../src/modules/datasets/index.js';
import { loadPolicy } from '../../src/modules/policy/index.js';
import { ManualClock } from '../../src/platform/clock.js';

const policy = loadPolicy();
const annotation = loadAnnotationFile(EXAMPLE_SHOP_ANNOTATION_PATH, policy);
const PEOPLE = ['ann@example.com', 'bo@example.com', 'cy@example.com', 'di@example.com'];

const shopArb = fc.record({
  customers: fc.uniqueArray(fc.nat(3), { minLength: 0, maxLength: 4 }),
  orders: fc.array(
    fc.record({
      owner: fc.nat(3),
      guest: fc.boolean(),
      upper: fc.boolean(),
      lines: fc.nat(2),
    }),
    { maxLength: 6 },
  ),
  reviews: fc.array(fc.record({ owner: fc.nat(3), product: fc.constantFrom(10, 11) }), { maxLength: 5 }),
  wishlists: fc.array(fc.record({ owner: fc.nat(3), items: fc.nat(2) }), { maxLength: 4 }),
  who: fc.nat(3),
});

type Shop = typeof shopArb extends fc.Arbitrary<infer T> ? T : never;
// biome-ignore lint/suspicious/noExplicitAny: test schema
type AnyDb = Kysely<any>;

async function build(shop: Shop): Promise<{ db: AnyDb; expected: Set<string>; owners: Map<string, number> }> {
  // biome-ignore lint/suspicious/noExplicitAny: test schema
  const db = new Kysely<any>({ dialect: new SqliteDialect({ database: new SQLite(':memory:') }) });
  await sql`pragma foreign_keys = on`.execute(db);
  await createExampleShopSchema(db);
  await db
    .insertInto('products')
    .values([10, 11].map((id) => ({ id, name: `p${id}`, price_cents: 1 })))
    .execute();
  const expected = new Set<string>();
  const owners = new Map<string, number>();
  const own = (key: string, person: number) => {
    owners.set(key, person);
    if (person === shop.who) expected.add(key);
  };
  const hasAccount = new Set(shop.customers);
  for (const p of shop.customers) {
    await db
      .insertInto('customers')
      .values({ id: p + 1, email: PEOPLE[p], first_name: `F${p}`, created_at: 't', marketing_opt_in: 1 })
      .execute();
    own(`customers:${p + 1}`, p);
  }
  let id = 100;
  for (const o of shop.orders) {
    const asGuest = o.guest || !hasAccount.has(o.owner);
    const email = PEOPLE[o.owner]!;
    const orderId = ++id;
    await db
      .insertInto('orders')
      .values({
        id: orderId,
        customer_id: asGuest ? null : o.owner + 1,
        guest_email: asGuest ? (o.upper ? email.toUpperCase() : email) : null,
        placed_at: 't',
        total_cents: 1,
        currency: 'USD',
        ship_name: `N${o.owner}`,
      })
      .execute();
    own(`orders:${orderId}`, o.owner);
    for (let l = 0; l < o.lines; l++) {
      const lineId = ++id;
      await db
        .insertInto('order_lines')
        .values({ id: lineId, order_id: orderId, product_id: 10, quantity: 1, unit_price_cents: 1 })
        .execute();
      own(`order_lines:${lineId}`, o.owner);
    }
  }
  for (const r of shop.reviews) {
    if (!hasAccount.has(r.owner)) continue;
    const reviewId = ++id;
    await db
      .insertInto('reviews')
      .values({
        id: reviewId,
        customer_id: r.owner + 1,
        product_id: r.product,
        rating: 3,
        body: `B${r.owner}`,
      })
      .execute();
    own(`reviews:${reviewId}`, r.owner);
  }
  for (const w of shop.wishlists) {
    if (!hasAccount.has(w.owner)) continue;
    const listId = ++id;
    await db
      .insertInto('wishlists')
      .values({ id: listId, customer_id: w.owner + 1, name: `W${w.owner}` })
      .execute();
    own(`wishlists:${listId}`, w.owner);
    for (let i = 0; i < w.items; i++) {
      const itemId = ++id;
      await db
        .insertInto('wishlist_items')
        .values({ id: itemId, wishlist_id: listId, product_id: 11 })
        .execute();
      own(`wishlist_items:${itemId}`, w.owner);
    }
  }
  return { db, expected, owners };
}

// biome-ignore lint/suspicious/noExplicitAny: test schema
async function snapshot(db: Kysely<any>): Promise<Map<string, string>> {
  const out = new Map<string, string>();
  for (const t of [
    'customers',
    'addresses',
    'orders',
    'order_lines',
    'reviews',
    'wishlists',
    'wishlist_items',
  ]) {
    const rows = await db.selectFrom(t).selectAll().execute();
    for (const r of rows) out.set(`${t}:${r.id}`, JSON.stringify(r));
  }
  return out;
}

describe('the walker, for any shop data', () => {
  it('exports exactly the person’s rows, and deletion leaves everyone else’s rows as they were', async () => {
    await fc.assert(
      fc.asyncProperty(shopArb, async (shop) => {
        const { db, expected, owners } = await build(shop);
        try {
          const service = new DatasetService({ policy: () => policy, clock: new ManualClock() }, [
            { name: 'shop', annotation, db },
          ]);
          const who = { emails: [PEOPLE[shop.who]!] };
          const e = await service.export(who);
          const got = new Set(e.values.map((v) => `${v.table}:${v.row}`));
          assert.deepEqual([...got].sort(), [...expected].sort());
          const before = await snapshot(db);
          await service.delete(who);
          const after = await snapshot(db);
          for (const [key, row] of before)
            if (owners.get(key) !== shop.who)
              assert.equal(after.get(key), row, `${key} belongs to someone else`);
          assert.equal((await service.delete(who)).changes, 0);
        } finally {
          await db.destroy();
        }
      }),
      { numRuns: 60, seed: 20261125 },
    );
  });
});
