// Standard Webhooks signatures: HMAC-SHA256 over `${id}.${timestamp}.${body}` with the base64
// secret after its `whsec_` prefix, sent as space-separated `v1,<base64>` values. Vow signs with
// every live secret (the new one and, during a rotation, the old one), so a receiver holding either
// verifies; acknowledgements from receivers are checked the same way, in constant time, with the
// injected clock.
import { createHmac, timingSafeEqual } from 'node:crypto';
import type { Random } from '../../platform/clock.js';

/** Receivers reject timestamps further than this from their clock (the specification's 5 minutes). */
export const TOLERANCE_SECONDS = 5 * 60;

export function newSecret(random: Random): string {
  return `whsec_${random.bytes(24).toString('base64')}`;
}

function hmac(secret: string, id: string, timestamp: number, body: string): Buffer {
  const key = Buffer.from(secret.replace(/^whsec_/, ''), 'base64');
  return createHmac('sha256', key).update(`${id}.${timestamp}.${body}`).digest();
}

export interface SignedHeaders {
  readonly 'webhook-id': string;
  readonly 'webhook-timestamp': string;
  readonly 'webhook-signature': string;
}

export function sign(secrets: readonly string[], id: string, at: Date, body: string): SignedHeaders {
  const timestamp = Math.floor(at.getTime() / 1000);
  return {
    'webhook-id': id,
    'webhook-timestamp': String(timestamp),
    'webhook-signature': secrets
      .map((s) => `v1,${hmac(s, id, timestamp, body).toString('base64')}`)
      .join(' '),
  };
}

/** Whether one of the `v1` signatures was made with one of `secrets`, at a time within the tolerance. */
export function verify(
  secrets: readonly string[],
  headers: { id?: string | undefined; timestamp?: string | undefined; signature?: string | undefined },
  body: string,
  now: Date,
): boolean {
  const { id, timestamp, signature } = headers;
  if (!id || !timestamp || !signature || !/^\d{1,12}$/.test(timestamp)) return false;
  const ts = Number(timestamp);
  if (Math.abs(now.getTime() / 1000 - ts) > TOLERANCE_SECONDS) return false;
  const given = signature
    .split(' ')
    .filter((s) => s.startsWith('v1,'))
    .map((s) => Buffer.from(s.slice(3), 'base64'));
  let ok = false;
  for (const secret of secrets) {
    const expected = hmac(secret, id, ts, body);
    for (const g of given) if (g.length === expected.length && timingSafeEqual(g, expected)) ok = true;
  }
  return ok;
}
