// The hot routes' compiled body checks (src/http/fast-validation.ts) may only accept what the
// routes' Zod schemas accept, unchanged: compared here on valid bodies, on every single mutation of
// them that a caller could send (a key added, removed or retyped, a string too long, too short or
// with a control character, a number out of range or not an integer), and over HTTP, where a bad
// body is still refused by Zod with VOW_VALIDATION.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { z } from 'zod';
import { decisionRequestSchema } from '../../src/http/api/decisions.js';
import { collectBodySchema } from '../../src/http/api/site-analytics.js';
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
  10_000_000_001,
  2 ** 53,
  '',
  'a',
  'x'.repeat(64),
  'x'.repeat(65),
  'x'.repeat(129),
  'x'.repeat(2049),
  'line\nbreak',
  'nul\u0000',
  'c1\u0085',
  'USD',
  'usd',
  'page_view',
  'engagement',
  'customer',
  'contact.email',
  [],
  ['contact.email'],
  ['bad\u0007'],
  [''],
  Array.from({ length: 65 }, () => 'a'),
  {},
  { kind: 'customer' },
  { kind: 'customer', id: 'x' },
  { kinds: [] },
  { id: '' },
];

/** Every body that differs from `base` by one key set to one of VALUES, or one extra key. */
function* mutations(base: Record<string, unknown>, keys: readonly string[]): Generator<unknown> {
  yield base;
  for (const key of [...keys, 'extra', '__proto__x']) {
    for (const v of VALUES) {
      const body: Record<string, unknown> = { ...base };
      if (v === undefined) delete body[key];
      else body[key] = v;
      yield body;
    }
  }
  for (const v of VALUES) yield v;
}

function compare(schema: z.ZodType, bodies: Iterable<unknown>): { fast: number; total: number } {
  const check = fastCheckOf(schema);
  assert.ok(check, 'the schema has a compiled check');
  let fast = 0;
  let total = 0;
  for (const body of bodies) {
    total++;
    const value = check(body);
    const zod = schema.safeParse(body);
    if (value === undefined) continue;
    fast++;
    assert.ok(zod.success, `the check accepted what Zod refuses: ${JSON.stringify(body)}`);
    assert.deepEqual(value, zod.data, 'and hands on what Zod would');
  }
  return { fast, total };
}

describe('compiled body checks of the hot routes', () => {
  it('accept only decision requests that Zod accepts, unchanged', () => {
    const keys = ['subject', 'purpose', 'categories', 'recipient'];
    const bases = [
      { subject: { kind: 'customer' }, purpose: 'order.fulfilment', categories: ['contact.email'] },
      {
        subject: { kinds: ['customer', 'gift_recipient'] },
        purpose: 'marketing.email',
        categories: ['a', 'b'],
      },
      { subject: { id: 'sub-1' }, purpose: 'p', categories: ['c'], recipient: 'carrier' },
    ];
    let accepted = 0;
    for (const base of bases) {
      const { fast } = compare(decisionRequestSchema, mutations(base, keys));
      accepted += fast;
      // Mutations inside the subject, too.
      compare(
        decisionRequestSchema,
        [...mutations(base.subject as Record<string, unknown>, ['kind', 'kinds', 'id'])].map((subject) => ({
          ...base,
          subject,
        })),
      );
    }
    assert.ok(accepted >= bases.length, 'valid requests take the compiled path');
  });

  it('accept only measurements that Zod accepts, unchanged', () => {
    const keys = ['visitor', 'type', 'path', 'area', 'durationMs', 'valueCents', 'currency'];
    const bases = [
      { visitor: 'v'.repeat(22), type: 'page_view', path: '/rings', area: 'catalog' },
      { type: 'engagement', path: '/', durationMs: 1200 },
      { visitor: 'abc', type: 'order_completed', path: '/thanks', valueCents: 12_900, currency: 'USD' },
    ];
    let accepted = 0;
    for (const base of bases) accepted += compare(collectBodySchema, mutations(base, keys)).fast;
    assert.ok(accepted >= bases.length, 'valid measurements take the compiled path');
  });
});

describeEachDialect('hot routes refuse bad bodies as before', (env) => {
  it('answers VOW_VALIDATION with the field named, for both routes', async () => {
    const shop = await serviceCaller(env());
    const decision = await env().app.inject({
      method: 'POST',
      url: '/v1/decisions',
      headers: shop.writeHeaders,
      payload: {
        subject: { kind: 'customer', extra: 1 },
        purpose: 'order.fulfilment',
        categories: ['contact.email'],
      },
    });
    assert.equal(decision.statusCode, 400, decision.body);
    assert.equal(decision.json().error.code, 'VOW_VALIDATION');
    const control = await env().app.inject({
      method: 'POST',
      url: '/v1/decisions',
      headers: shop.writeHeaders,
      payload: {
        subject: { kind: 'customer' },
        purpose: 'order.fulfilment\u0000',
        categories: ['contact.email'],
      },
    });
    assert.equal(control.statusCode, 400);
    assert.match(control.body, /control characters/);
    const measurement = await env().app.inject({
      method: 'POST',
      url: '/v1/collect',
      payload: { type: 'page_view', path: '/rings', durationMs: 1.5 },
    });
    assert.equal(measurement.statusCode, 400, measurement.body);
    assert.equal(measurement.json().error.code, 'VOW_VALIDATION');
    const ok = await env().app.inject({
      method: 'POST',
      url: '/v1/decisions',
      headers: shop.writeHeaders,
      payload: { subject: { kind: 'customer' }, purpose: 'order.fulfilment', categories: ['contact.email'] },
    });
    assert.equal(ok.statusCode, 200, ok.body);
    assert.equal(ok.json().decision, 'allow');
  });
});

describeEachDialect(
  'security headers on refusals',
  (env) => {
    it('sends the API set on a refused call too (set before the access check decides)', async () => {
      const refused = await env().app.inject({
        method: 'POST',
        url: '/v1/decisions',
        payload: {
          subject: { kind: 'customer' },
          purpose: 'order.fulfilment',
          categories: ['contact.email'],
        },
      });
      assert.equal(refused.statusCode, 401, refused.body);
      assert.equal(refused.headers['content-security-policy'], "default-src 'none';frame-ancestors 'none'");
      assert.equal(refused.headers['x-frame-options'], 'DENY');
      assert.equal(refused.headers['x-content-type-options'], 'nosniff');
      const page = await env().app.inject({ method: 'GET', url: '/no/such/page' });
      assert.equal(page.statusCode, 404);
      assert.match(String(page.headers['content-security-policy']), /default-src 'self'/);
    });
  },
  { auth: 'enforced' },
);
