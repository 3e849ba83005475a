// Collections through the real endpoints, for the consent tests.
import assert from 'node:assert/strict';
import type { TestEnv } from '../helpers/env.js';

const address = { line1: '1 Main St', city: 'Madison', region: 'WI', postal_code: '53703', country: 'US' };
let orderSeq = 0;

async function post(env: TestEnv, url: string, payload: unknown): Promise<Record<string, string>> {
  const res = await env.app.inject({ method: 'POST', url, payload: payload as Record<string, unknown> });
  assert.ok(res.statusCode === 201 || res.statusCode === 200, `${url}: ${res.statusCode} ${res.body}`);
  return res.json();
}

export function order(env: TestEnv, buyerEmail: string, gift?: { email: string; phone?: string }) {
  orderSeq++;
  return post(env, '/v1/orders', {
    shop_order_id: `o-${orderSeq}-${Date.UTC(2026, 0, 1)}`,
    placed_at: env.clock.now().toISOString(),
    currency: 'USD',
    total_cents: 10_000,
    items: [{ sku: 'ring-1', quantity: 1, unit_price_cents: 10_000 }],
    buyer: { name: 'Ann Buyer', email: buyerEmail, billing_address: address, shipping_address: address },
    ...(gift ? { gift_recipient: { name: 'Gil Gift', shipping_address: address, ...gift } } : {}),
  });
}

export function contestEntry(env: TestEnv, email: string) {
  return post(env, '/v1/contest-entries', { email });
}

export function catalogRequest(env: TestEnv, email: string) {
  return post(env, '/v1/catalog-requests', {
    first_name: 'Cat',
    last_name: 'Reader',
    postal_address: address,
    email,
    relationship_status: 'engaged',
    jewelry_types: ['earrings'],
    budget: 'under_500',
    age_range: '25_34',
    residence_type: 'urban',
  });
}

export function smsSignup(env: TestEnv, phone: string) {
  return post(env, '/v1/sms-signups', {
    phone,
    consent_text: 'Yes, send me marketing texts. Msg & data rates may apply. Reply STOP to cancel.',
  });
}

export async function countRows(
  env: TestEnv,
  table: 'consent_events' | 'consent_state' | 'unsubscribe_tokens',
) {
  const r = await env.store.db
    .selectFrom(table)
    .select((eb) => eb.fn.countAll().as('n'))
    .executeTakeFirstOrThrow();
  return Number(r.n);
}
