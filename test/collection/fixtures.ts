// Shared bodies and helpers for the subjects and collection tests.
import type { TestEnv } from '../helpers/env.js';

export const address = (line1: string, overrides: Record<string, string> = {}) => ({
  line1,
  city: 'Franklin',
  region: 'WI',
  postal_code: '53132',
  country: 'US',
  ...overrides,
});

let phones = 0;
/** A different valid US number on each call (the same phone would make two buyers one person). */
export function nextPhone(): string {
  phones++;
  return `(608) 265-${String(1000 + phones).slice(-4)}`;
}

export function orderBody(n: number | string, overrides: Record<string, unknown> = {}) {
  return {
    shop_order_id: `SO-${n}`,
    placed_at: '2026-01-15T11:00:00Z',
    currency: 'USD',
    total_cents: 129900,
    items: [{ sku: 'RING-1', quantity: 1, unit_price_cents: 129900 }],
    buyer: {
      name: `Ann Buyer ${n}`,
      email: `ann.buyer${n}@example.com`,
      phone: nextPhone(),
      billing_address: address(`${n} Billing Street`),
      shipping_address: address(`${n} Shipping Street`),
    },
    ...overrides,
  };
}

export function giftRecipient(n: number | string, overrides: Record<string, unknown> = {}) {
  return {
    name: `Greta Gift ${n}`,
    shipping_address: address(`${n} Gift Lane`, { city: 'Madison' }),
    email: `greta.gift${n}@example.com`,
    ...overrides,
  };
}

export function catalogBody(n: number | string, overrides: Record<string, unknown> = {}) {
  return {
    first_name: 'Cara',
    last_name: `Catalog${n}`,
    postal_address: address(`${n} Catalog Road`),
    email: `cara.catalog${n}@example.com`,
    relationship_status: 'engaged',
    jewelry_types: ['engagement_ring', 'wedding_band'],
    budget: '1000_2000',
    age_range: '25_34',
    residence_type: 'suburban',
    ...overrides,
  };
}

export async function post(env: TestEnv, url: string, payload: unknown) {
  return env.app.inject({ method: 'POST', url, payload: payload as object });
}

/**
 * The P14 purge as staff run it, four eyes: customer service proposes over the API (as the test
 * principal), a privacy officer who is another person approves. Answers like an HTTP reply.
 */
/** POST /v1/orders of `payload`, with an Idempotency-Key when `key` is given. */
export function sendOrder(env: TestEnv, payload: unknown, key?: string) {
  return env.app.inject({
    method: 'POST',
    url: '/v1/orders',
    payload: payload as object,
    ...(key ? { headers: { 'idempotency-key': key } } : {}),
  });
}

/** How many orders the store holds with the shop's order id `shopOrderId`. */
export async function ordersWithId(env: TestEnv, shopOrderId: string): Promise<number> {
  const rows = await env.store.db
    .selectFrom('orders')
    .select('id')
    .where('shop_order_id', '=', shopOrderId)
    .execute();
  return rows.length;
}

export async function markUnder13(
  env: TestEnv,
  subjectId: string,
): Promise<{
  statusCode: number;
  json: () => { under13?: boolean; markers?: number; error?: { code: string } };
}> {
  const proposed = await post(env, '/v1/subjects/under13', { subjectId });
  if (proposed.statusCode !== 202) return proposed;
  const out = await env.services.under13.approve(proposed.json().id, 'another-privacy-officer');
  return { statusCode: 200, json: () => ({ ...out, under13: true }) };
}

/** Row counts of every table of the database (migration bookkeeping left out). */
export async function countAllRows(env: TestEnv): Promise<Record<string, number>> {
  const tables = await env.store.db.introspection.getTables();
  const out: Record<string, number> = {};
  for (const t of tables) {
    if (t.name.startsWith('kysely_')) continue;
    const row = await env.store.db
      // biome-ignore lint/suspicious/noExplicitAny: every table, whatever its type
      .selectFrom(t.name as any)
      .select((eb) => eb.fn.countAll().as('n'))
      .executeTakeFirstOrThrow();
    out[t.name] = Number((row as { n: number | string }).n);
  }
  return out;
}

/** Every value of every row of every table, as one text (for "no plaintext anywhere" checks). */
export async function dumpAllRows(env: TestEnv): Promise<string> {
  const tables = await env.store.db.introspection.getTables();
  const parts: string[] = [];
  for (const t of tables) {
    const rows = await env.store.db
      // biome-ignore lint/suspicious/noExplicitAny: every table, whatever its type
      .selectFrom(t.name as any)
      .selectAll()
      .execute();
    parts.push(`${t.name}: ${JSON.stringify(rows)}`);
  }
  return parts.join('\n');
}
