import assert from 'node:assert/strict';
import { before, it } from 'node:test';
import fc from 'fast-check';
import {
  buildGaPayload,
  GA_ALLOWED_PARAMS,
  type GaPayload,
} from '../../src/modules/site-analytics/ga-forwarder.js';
import { describeEachDialect } from '../helpers/env.js';

const email = fc
  .tuple(fc.stringMatching(/^[a-z][a-z0-9._+-]{0,12}$/), fc.stringMatching(/^[a-z][a-z0-9-]{0,10}$/))
  .map(([l, d]) => `${l}@${d}.com`);
const phone = fc.oneof(
  fc.stringMatching(/^\+1 \([2-9]\d\d\) [2-9]\d\d-\d{4}$/),
  fc.stringMatching(/^\+44 7\d{3} \d{6}$/),
  fc.stringMatching(/^[2-9]\d{9}$/),
);
const personName = fc
  .tuple(fc.stringMatching(/^[A-Z][a-z]{2,9}$/), fc.stringMatching(/^[A-Z][a-z]{2,11}$/))
  .map(([f, l]) => `${f} ${l}`);
const contact = fc.oneof(
  email.map((v) => ({ kind: 'email' as const, v })),
  phone.map((v) => ({ kind: 'phone' as const, v })),
  personName.map((v) => ({ kind: 'name' as const, v })),
);

function forms(value: string): string[] {
  const out = [value, encodeURIComponent(value), value.replace(/ /g, '+'), value.toLowerCase()];
  const digits = value.replace(/\D/g, '');
  if (digits.length >= 7) out.push(digits);
  return out;
}
const leaks = (text: string, value: string): boolean => {
  let decoded = text;
  try {
    decoded = decodeURIComponent(text);
  } catch {
    /* keep as is */
  }
  return forms(value).some((f) => text.includes(f) || decoded.includes(f));
};

describeEachDialect('Google Analytics forwarding never carries contact data (P19)', (env) => {
  const sent: GaPayload[] = [];
  let visitor = '';
  before(async () => {
    env().services.siteAnalytics.ga.useSender(async (p) => {
      sent.push(p);
    });
    const res = await env().app.inject({
      method: 'POST',
      url: '/v1/consent/choices',
      payload: {
        categories: { analytics: true, layout_experiments: true, advertising: true },
        source: 'accept_all',
        consentVersion: env().ctx.policy.consentVersion,
      },
    });
    visitor = res.json().visitor;
  });

  it('builds payloads from the allow-list only', () => {
    const p = buildGaPayload('cid', {
      type: 'order_completed',
      area: 'jane@example.com',
      durationMs: null,
      valueCents: 1050,
      currency: 'usd@x',
      browserFamily: 'Jane Doe',
    });
    assert.deepEqual(p, {
      client_id: 'cid',
      non_personalized_ads: true,
      events: [{ name: 'purchase', params: { value: 10.5 } }],
    });
    assert.deepEqual(GA_ALLOWED_PARAMS, [
      'engagement_time_msec',
      'value',
      'currency',
      'page_area',
      'browser_family',
    ]);
  });

  it('feeds emails, phone numbers and names through every field and finds none in what would be sent or stored', async () => {
    await fc.assert(
      fc.asyncProperty(
        contact,
        fc.constantFrom(
          'path-segment',
          'query',
          'query-key',
          'fragment',
          'area',
          'currency',
          'user-agent',
          'all',
        ),
        fc.constantFrom('page_view', 'engagement', 'add_to_cart', 'order_completed'),
        async ({ kind, v }, field, type) => {
          sent.length = 0;
          const enc = encodeURIComponent(v);
          const body: Record<string, unknown> = { visitor, type, path: '/products/ring', area: 'product' };
          if (type === 'engagement') body.durationMs = 1200;
          if (type === 'add_to_cart' || type === 'order_completed') {
            body.valueCents = 4999;
            body.currency = 'USD';
          }
          let ua = 'Mozilla/5.0 Chrome/120.0 Safari/537.36';
          const all = field === 'all';
          if (field === 'path-segment' || all) body.path = `/products/${enc}/ring`;
          if (field === 'query' || all) body.path = `${String(body.path)}?ref=${enc}&utm_source=${enc}`;
          if (field === 'query-key') body.path = `/products/ring?${enc}=1`;
          if (field === 'fragment' || all) body.path = `${String(body.path)}#${v}`;
          if (field === 'area' || all) body.area = v.slice(0, 64);
          if (field === 'currency') body.currency = v;
          if (field === 'user-agent' || all) ua = `${ua} (${v})`;
          const res = await env().app.inject({
            method: 'POST',
            url: '/v1/collect',
            headers: { 'content-type': 'text/plain', 'user-agent': ua },
            payload: JSON.stringify(body),
          });
          assert.ok(res.statusCode === 204 || res.statusCode === 400, `status ${res.statusCode}`);
          const wire = JSON.stringify(sent);
          assert.ok(!leaks(wire, v), `${kind} via ${field} reached GA: ${wire}`);
          if (kind !== 'name') {
            const last = await env()
              .store.db.selectFrom('analytics_events')
              .select(['path', 'area', 'currency', 'browser_family'])
              .orderBy('id', 'desc')
              .limit(1)
              .executeTakeFirst();
            assert.ok(
              !last || !leaks(JSON.stringify(last), v),
              `${kind} via ${field} was stored: ${JSON.stringify(last)}`,
            );
          }
        },
      ),
      { numRuns: 120 },
    );
  });
});
