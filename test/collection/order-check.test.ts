// POST /v1/orders's compiled body check (src/http/api/collection.ts) may only accept what
// orderSchema accepts, unchanged: compared on valid orders and on every single mutation of them a
// caller could send (a key added, removed or retyped at each level, a string too long, empty, with
// spaces Zod would trim or a control character, a number out of range, a phone number invalid in the
// address's country), and over HTTP, where a bad order is still refused by Zod with VOW_VALIDATION.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { orderBodySchema } from '../../src/http/api/collection.js';
import { fastCheckOf } from '../../src/http/fast-validation.js';
import { serviceCaller } from '../helpers/auth.js';
import { describeEachDialect } from '../helpers/env.js';

const VALUES: readonly unknown[] = [
  undefined,
  null,
  true,
  0,
  -1,
  1.5,
  12,
  200,
  10_000,
  10_001,
  1_000_000_001,
  1_000_000_000_001,
  2 ** 53,
  '',
  ' ',
  'a',
  ' padded ',
  'tail ',
  'x'.repeat(20),
  'x'.repeat(21),
  'x'.repeat(100),
  'x'.repeat(101),
  'x'.repeat(201),
  'x'.repeat(255),
  'line\nbreak',
  'nul\u0000',
  'c1\u0085',
  'half\uD800',
  'US',
  'us',
  'GB',
  'USA',
  'USD',
  'ord-1.2:3_4',
  'bad id',
  'a@example.com',
  'A.B+c@example.co.uk',
  'not-an-email',
  'a@b',
  ' a@example.com',
  '2026-11-01T10:00:00Z',
  '2026-11-01T10:00:00.123+02:00',
  '2026-11-01T10:00:00',
  '2026-13-01T10:00:00Z',
  '2026-11-01',
  '2020-02-30',
  '1990-05-17',
  '+1 608 265 9999',
  '(608) 265-7001',
  '020 7946 0958',
  '12',
  '+99 1',
  [],
  [{ sku: 'A', quantity: 1, unit_price_cents: 0 }],
  Array.from({ length: 201 }, () => ({ sku: 'A', quantity: 1, unit_price_cents: 0 })),
  {},
  { line1: '1 Main St', city: 'Madison', postal_code: '53703', country: 'US' },
  { name: 'Sam', shipping_address: { line1: '2 Elm', city: 'Leeds', postal_code: 'LS1', country: 'GB' } },
];

const ADDRESS = { line1: '1 Main St', city: 'Madison', postal_code: '53703', country: 'US' };
const GB_ADDRESS = {
  line1: '2 Elm St',
  line2: 'Flat 3',
  city: 'Leeds',
  region: 'Yorks',
  postal_code: 'LS1 4AP',
  country: 'GB',
};
const ITEM = { sku: 'EAR-PEARL-STUD', quantity: 1, unit_price_cents: 12_900 };
const BUYER = {
  name: 'Ada Buyer',
  email: 'ada@example.com',
  billing_address: ADDRESS,
  shipping_address: ADDRESS,
};
const GIFT = { name: 'Gift Person', shipping_address: GB_ADDRESS };
const ORDER = {
  shop_order_id: 'ord-1',
  placed_at: '2026-01-15T11:00:00Z',
  currency: 'USD',
  total_cents: 12_900,
  items: [ITEM],
  buyer: BUYER,
};
const BASES: readonly Record<string, unknown>[] = [
  ORDER,
  { ...ORDER, buyer: { ...BUYER, phone: '(608) 265-7001', age: 30 }, gift_recipient: GIFT },
  {
    ...ORDER,
    items: [ITEM, { ...ITEM, sku: 'B', quantity: 3 }],
    buyer: { ...BUYER, birth_date: '1990-05-17', shipping_address: GB_ADDRESS },
    gift_recipient: { ...GIFT, email: 'gift@example.com', phone: '020 7946 0958', age: 40 },
  },
];

/** Every object that differs from `base` by one key set to one of VALUES, or one extra key. */
function* mutations(base: Record<string, unknown>, keys: readonly string[]): Generator<unknown> {
  yield base;
  for (const key of [...keys, 'extra']) {
    for (const v of VALUES) {
      const body: Record<string, unknown> = { ...base };
      if (v === undefined) delete body[key];
      else body[key] = v;
      yield body;
    }
  }
  for (const v of VALUES) yield v;
}

/** Every order that differs from `order` at one place: a top-level key or one inside it. */
function* orders(order: Record<string, unknown>): Generator<unknown> {
  yield* mutations(order, Object.keys(ORDER).concat('gift_recipient'));
  const inner = (o: unknown) => (o && typeof o === 'object' ? (o as Record<string, unknown>) : undefined);
  const buyer = inner(order.buyer)!;
  const buyerKeys = ['name', 'email', 'phone', 'billing_address', 'shipping_address', 'birth_date', 'age'];
  for (const b of mutations(buyer, buyerKeys)) yield { ...order, buyer: b };
  for (const where of ['billing_address', 'shipping_address'])
    for (const a of mutations(inner(buyer[where])!, Object.keys(GB_ADDRESS)))
      yield { ...order, buyer: { ...buyer, [where]: a } };
  for (const i of mutations(ITEM, Object.keys(ITEM))) yield { ...order, items: [ITEM, i] };
  const gift = inner(order.gift_recipient);
  if (!gift) return;
  for (const g of mutations(gift, ['name', 'shipping_address', 'email', 'phone', 'birth_date', 'age']))
    yield { ...order, gift_recipient: g };
  for (const a of mutations(inner(gift.shipping_address)!, Object.keys(GB_ADDRESS)))
    yield { ...order, gift_recipient: { ...gift, shipping_address: a } };
}

describe("POST /v1/orders's compiled body check", () => {
  it('accepts only orders that Zod accepts, unchanged, and takes the usual ones', () => {
    const check = fastCheckOf(orderBodySchema);
    assert.ok(check, 'the order schema has a compiled check');
    let fast = 0;
    let zodOnly = 0;
    for (const base of BASES) {
      assert.notEqual(
        check(base),
        undefined,
        `a valid order takes the compiled path: ${JSON.stringify(base)}`,
      );
      for (const body of orders(base)) {
        const value = check(body);
        const zod = orderBodySchema.safeParse(body);
        if (value === undefined) {
          if (zod.success) zodOnly++;
          continue;
        }
        fast++;
        assert.ok(zod.success, `the check accepted what Zod refuses: ${JSON.stringify(body)}`);
        assert.deepEqual(value, zod.data, 'and hands on what Zod would');
      }
    }
    assert.ok(fast > 100, `many valid variants take the compiled path (${fast})`);
    // Those Zod accepts by changing them (trimmed spaces) are left to Zod.
    assert.ok(zodOnly > 0);
  });
});

describeEachDialect('POST /v1/orders refuses bad bodies as before', (env) => {
  it('answers VOW_VALIDATION with the field named, and trims as Zod does', async () => {
    const app = env().app;
    const auth = (await serviceCaller(env())).writeHeaders;
    const bad = await app.inject({
      method: 'POST',
      url: '/v1/orders',
      headers: auth,
      payload: { ...ORDER, buyer: { ...BUYER, email: 'not-an-email' } },
    });
    assert.equal(bad.statusCode, 400);
    assert.equal(bad.json().error.code, 'VOW_VALIDATION');
    assert.match(bad.body, /email/);
    const badPhone = await app.inject({
      method: 'POST',
      url: '/v1/orders',
      headers: auth,
      payload: { ...ORDER, shop_order_id: 'ord-2', buyer: { ...BUYER, phone: '020 7946 0958' } },
    });
    assert.equal(badPhone.statusCode, 400, 'a UK number is not a valid US number');
    const padded = await app.inject({
      method: 'POST',
      url: '/v1/orders',
      headers: auth,
      payload: { ...ORDER, shop_order_id: 'ord-3', buyer: { ...BUYER, name: '  Ada Buyer  ' } },
    });
    assert.equal(padded.statusCode, 201, padded.body);
  });
});
