// A shopper made the way the shop and the person make one (through the API), for the tests that visit
// the shopper's pages: an order, the export an account's access request mails, and a marketing
// email's unsubscribe link.
import assert from 'node:assert/strict';
import type { OutgoingMessage } from '../../src/platform/mail/index.js';
import type { TestEnv } from './env.js';

type Headers = Record<string, string>;

const LONG_MEADOW = {
  line1: '4 Long Meadow Road',
  city: 'Franklin',
  region: 'WI',
  postal_code: '53132',
  country: 'US',
};

/** An order of one pair of studs, billed and shipped to 4 Long Meadow Road, placed by the shop (201). */
export async function placeOrder(
  env: TestEnv,
  headers: Headers,
  buyer: { shopOrderId: string; name: string; email: string },
): Promise<void> {
  const order = await env.app.inject({
    method: 'POST',
    url: '/v1/orders',
    headers,
    payload: {
      shop_order_id: buyer.shopOrderId,
      placed_at: '2026-01-10T10:00:00Z',
      currency: 'USD',
      total_cents: 49900,
      items: [{ sku: 'STUDS-1', quantity: 1, unit_price_cents: 49900 }],
      buyer: {
        name: buyer.name,
        email: buyer.email,
        billing_address: { ...LONG_MEADOW },
        shipping_address: { ...LONG_MEADOW },
      },
    },
  });
  assert.equal(order.statusCode, 201, order.body);
}

/**
 * An access request from the account (202); once the jobs ran, the path of the export whose link was
 * mailed (asserted to be among `sent`).
 */
export async function accessExportPath(
  env: TestEnv,
  writeHeaders: Headers,
  sent: readonly OutgoingMessage[],
): Promise<string> {
  const access = await env.app.inject({
    method: 'POST',
    url: '/v1/me/requests',
    headers: writeHeaders,
    payload: { type: 'access', jurisdiction: 'us-ca' },
  });
  assert.equal(access.statusCode, 202, access.body);
  await env.services.jobs.drain();
  let exportPath = '';
  for (const m of sent) exportPath ||= /\/privacy\/request\/export\/[A-Za-z0-9_-]+/.exec(m.text)?.[0] ?? '';
  assert.ok(exportPath, 'the export link was mailed');
  return exportPath;
}

/** A contest entrant (enrolled in email marketing) and the unsubscribe path of a marketing email to them. */
export async function marketingUnsubscribePath(
  env: TestEnv,
  headers: Headers,
  email: string,
  mail: { subject: string; text: string },
): Promise<string> {
  const entry = await env.app.inject({
    method: 'POST',
    url: '/v1/contest-entries',
    headers,
    payload: { email },
  });
  const rendered = await env.app.inject({
    method: 'POST',
    url: '/v1/emails/render',
    headers,
    payload: { subjectId: entry.json().subjectId, ...mail },
  });
  return new URL(rendered.json().unsubscribeUrl as string).pathname;
}
