// The example shop database: a small jewelry shop's customers, addresses, orders with their lines,
// reviews and wishlists. `createExampleShop` creates the tables and fills them on SQLite,
// PostgreSQL or MariaDB/MySQL; its annotation is datasets/example-shop.yaml. Used by the tests and
// by `vow datasets seed-example --url …`.
import type { Kysely } from 'kysely';

/** The people in the example data (fictitious). Alice and Bob share nothing; Carol ordered as a guest. */
export const EXAMPLE_PEOPLE = {
  alice: { accountId: '1', email: 'alice.archer@example.com', phone: '+14155550101' },
  bob: { accountId: '2', email: 'bob.baker@example.org', phone: '+14155550102' },
  carol: { email: 'carol.cooper@example.net' },
} as const;

const customers = [
  {
    id: 1,
    email: 'Alice.Archer@example.com',
    first_name: 'Alice',
    last_name: 'Archer',
    phone: '+14155550101',
    created_at: '2025-03-01T10:00:00.000Z',
    marketing_opt_in: 1,
  },
  {
    id: 2,
    email: 'bob.baker@example.org',
    first_name: 'Bob',
    last_name: 'Baker',
    phone: '+14155550102',
    created_at: '2025-04-02T11:00:00.000Z',
    marketing_opt_in: 0,
  },
];

const products = [
  { id: 10, name: 'Solitaire ring', price_cents: 129900 },
  { id: 11, name: 'Tennis bracelet', price_cents: 89900 },
  { id: 12, name: 'Pearl earrings', price_cents: 24900 },
];

const addresses = [
  { id: 100, customer_id: 1, line1: '1 Orchard Lane', city: 'Springfield', postcode: '11111', country: 'US' },
  { id: 101, customer_id: 1, line1: '9 Harbour Road', city: 'Shelbyville', postcode: '22222', country: 'US' },
  { id: 102, customer_id: 2, line1: '5 Mill Street', city: 'Ogdenville', postcode: '33333', country: 'US' },
];

const orders = [
  {
    // Alice's own order.
    id: 1000,
    customer_id: 1,
    guest_email: null,
    placed_at: '2025-05-01T09:30:00.000Z',
    total_cents: 129900,
    currency: 'USD',
    ship_name: 'Alice Archer',
    ship_line1: '1 Orchard Lane',
    ship_city: 'Springfield',
    ship_postcode: '11111',
    ship_country: 'US',
    gift_message: null,
    payment_ref: 'pay_A1000',
  },
  {
    // Alice's gift, shipped to someone else.
    id: 1001,
    customer_id: 1,
    guest_email: null,
    placed_at: '2025-06-12T15:00:00.000Z',
    total_cents: 24900,
    currency: 'USD',
    ship_name: 'Dora Dunn',
    ship_line1: '7 Elm Court',
    ship_city: 'Capital City',
    ship_postcode: '44444',
    ship_country: 'US',
    gift_message: 'Happy birthday, Dora!',
    payment_ref: 'pay_A1001',
  },
  {
    id: 1002,
    customer_id: 2,
    guest_email: null,
    placed_at: '2025-07-03T12:00:00.000Z',
    total_cents: 89900,
    currency: 'USD',
    ship_name: 'Bob Baker',
    ship_line1: '5 Mill Street',
    ship_city: 'Ogdenville',
    ship_postcode: '33333',
    ship_country: 'US',
    gift_message: null,
    payment_ref: 'pay_B1002',
  },
  {
    // Carol ordered without an account.
    id: 1003,
    customer_id: null,
    guest_email: 'carol.cooper@example.net',
    placed_at: '2025-08-09T08:00:00.000Z',
    total_cents: 24900,
    currency: 'USD',
    ship_name: 'Carol Cooper',
    ship_line1: '3 Birch Way',
    ship_city: 'North Haverbrook',
    ship_postcode: '55555',
    ship_country: 'US',
    gift_message: null,
    payment_ref: 'pay_C1003',
  },
];

const orderLines = [
  { id: 5000, order_id: 1000, product_id: 10, quantity: 1, unit_price_cents: 129900 },
  { id: 5001, order_id: 1001, product_id: 12, quantity: 1, unit_price_cents: 24900 },
  { id: 5002, order_id: 1002, product_id: 11, quantity: 1, unit_price_cents: 89900 },
  { id: 5003, order_id: 1003, product_id: 12, quantity: 1, unit_price_cents: 24900 },
];

const reviews = [
  // Alice and Bob both review the solitaire ring: Alice's export must not hold Bob's review.
  {
    id: 700,
    customer_id: 1,
    product_id: 10,
    rating: 5,
    display_name: 'Alice A.',
    body: 'Sparkles like the real thing.',
    created_at: '2025-05-20T10:00:00.000Z',
  },
  {
    id: 701,
    customer_id: 2,
    product_id: 10,
    rating: 4,
    display_name: 'Bob B.',
    body: 'Lovely, the band runs small.',
    created_at: '2025-07-20T10:00:00.000Z',
  },
];

const wishlists = [
  { id: 800, customer_id: 1, name: 'Anniversary ideas', created_at: '2025-05-02T10:00:00.000Z' },
  { id: 801, customer_id: 2, name: 'For later', created_at: '2025-07-04T10:00:00.000Z' },
];

const wishlistItems = [
  { id: 900, wishlist_id: 800, product_id: 11, added_at: '2025-05-02T10:01:00.000Z' },
  { id: 901, wishlist_id: 800, product_id: 12, added_at: '2025-05-02T10:02:00.000Z' },
  { id: 902, wishlist_id: 801, product_id: 12, added_at: '2025-07-04T10:01:00.000Z' },
];

export const EXAMPLE_SHOP_TABLES = [
  'wishlist_items',
  'wishlists',
  'reviews',
  'order_lines',
  'orders',
  'addresses',
  'products',
  'customers',
] as const;

/** Creates the example shop's tables (any of the three engines) and fills them. */
// biome-ignore lint/suspicious/noExplicitAny: the example schema is created here, not typed
export async function createExampleShop(db: Kysely<any>): Promise<void> {
  await createExampleShopSchema(db);
  await db.insertInto('customers').values(customers).execute();
  await db.insertInto('products').values(products).execute();
  await db.insertInto('addresses').values(addresses).execute();
  await db.insertInto('orders').values(orders).execute();
  await db.insertInto('order_lines').values(orderLines).execute();
  await db.insertInto('reviews').values(reviews).execute();
  await db.insertInto('wishlists').values(wishlists).execute();
  await db.insertInto('wishlist_items').values(wishlistItems).execute();
}

/** Creates the example shop's empty tables, with their foreign keys. */
// biome-ignore lint/suspicious/noExplicitAny: the example schema is created here, not typed
export async function createExampleShopSchema(db: Kysely<any>): Promise<void> {
  const s = db.schema;
  const text = 'varchar(255)';
  const ts = 'varchar(32)';
  await s
    .createTable('customers')
    .addColumn('id', 'integer', (c) => c.primaryKey())
    .addColumn('email', text, (c) => c.notNull().unique())
    .addColumn('first_name', text)
    .addColumn('last_name', text)
    .addColumn('phone', text)
    .addColumn('created_at', ts, (c) => c.notNull())
    .addColumn('marketing_opt_in', 'integer', (c) => c.notNull().defaultTo(0))
    .execute();
  await s
    .createTable('products')
    .addColumn('id', 'integer', (c) => c.primaryKey())
    .addColumn('name', text, (c) => c.notNull())
    .addColumn('price_cents', 'integer', (c) => c.notNull())
    .execute();
  await s
    .createTable('addresses')
    .addColumn('id', 'integer', (c) => c.primaryKey())
    .addColumn('customer_id', 'integer', (c) => c.notNull().references('customers.id'))
    .addColumn('line1', text)
    .addColumn('city', text)
    .addColumn('postcode', text)
    .addColumn('country', 'varchar(2)')
    .execute();
  await s
    .createTable('orders')
    .addColumn('id', 'integer', (c) => c.primaryKey())
    .addColumn('customer_id', 'integer', (c) => c.references('customers.id'))
    .addColumn('guest_email', text)
    .addColumn('placed_at', ts, (c) => c.notNull())
    .addColumn('total_cents', 'integer', (c) => c.notNull())
    .addColumn('currency', 'varchar(3)', (c) => c.notNull())
    .addColumn('ship_name', text)
    .addColumn('ship_line1', text)
    .addColumn('ship_city', text)
    .addColumn('ship_postcode', text)
    .addColumn('ship_country', 'varchar(2)')
    .addColumn('gift_message', text)
    .addColumn('payment_ref', text)
    .execute();
  await s
    .createTable('order_lines')
    .addColumn('id', 'integer', (c) => c.primaryKey())
    .addColumn('order_id', 'integer', (c) => c.notNull().references('orders.id'))
    .addColumn('product_id', 'integer', (c) => c.notNull().references('products.id'))
    .addColumn('quantity', 'integer', (c) => c.notNull())
    .addColumn('unit_price_cents', 'integer', (c) => c.notNull())
    .execute();
  await s
    .createTable('reviews')
    .addColumn('id', 'integer', (c) => c.primaryKey())
    .addColumn('customer_id', 'integer', (c) => c.notNull().references('customers.id'))
    .addColumn('product_id', 'integer', (c) => c.notNull().references('products.id'))
    .addColumn('rating', 'integer')
    .addColumn('display_name', text)
    .addColumn('body', 'text')
    .addColumn('created_at', ts)
    .execute();
  await s
    .createTable('wishlists')
    .addColumn('id', 'integer', (c) => c.primaryKey())
    .addColumn('customer_id', 'integer', (c) => c.notNull().references('customers.id'))
    .addColumn('name', text)
    .addColumn('created_at', ts)
    .execute();
  await s
    .createTable('wishlist_items')
    .addColumn('id', 'integer', (c) => c.primaryKey())
    .addColumn('wishlist_id', 'integer', (c) => c.notNull().references('wishlists.id'))
    .addColumn('product_id', 'integer', (c) => c.notNull().references('products.id'))
    .addColumn('added_at', ts)
    .execute();
}

/** Drops the example shop's tables (children first), for re-seeding. */
// biome-ignore lint/suspicious/noExplicitAny: the example schema is created here, not typed
export async function dropExampleShop(db: Kysely<any>): Promise<void> {
  for (const t of EXAMPLE_SHOP_TABLES) await db.schema.dropTable(t).ifExists().execute();
}
