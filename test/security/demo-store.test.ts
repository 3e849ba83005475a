// The demo storefront's forms record contest entries, text-message sign-ups and catalog requests
// through the collection service with no API key: a page for trying Vow out. In production it
// would let any visitor sign any phone number up for text marketing (a `consented` event in the
// ledger) and enrol any address in email marketing, writes the collection API keeps for the
// shop's own backend. Production serves none of it.
import assert from 'node:assert/strict';
import { it } from 'node:test';
import { describeEachDialect, testConfig } from '../helpers/env.js';

describeEachDialect(
  'the demo storefront is not served in production',
  (env) => {
    it('answers 404 for the page, its script and its forms, and records nothing', async () => {
      for (const url of ['/demo/store', '/demo/store.js']) {
        const res = await env().app.inject({ method: 'GET', url });
        assert.equal(res.statusCode, 404, url);
      }
      for (const [form, body] of [
        ['sms', { phone: '+16085550123', consent: 'yes' }],
        ['contest', { email: 'victim@example.com', name: 'Victim' }],
        ['catalog', { first_name: 'V', last_name: 'X', email: 'victim@example.com' }],
      ] as const) {
        const res = await env().app.inject({
          method: 'POST',
          url: `/demo/store/${form}`,
          headers: { 'content-type': 'application/x-www-form-urlencoded', 'sec-fetch-site': 'same-origin' },
          payload: new URLSearchParams(body).toString(),
        });
        assert.equal(res.statusCode, 404, form);
      }
      assert.equal(await env().services.subjects.findByEmail('victim@example.com'), undefined);
      const events = await env().store.db.selectFrom('consent_events').select('id').execute();
      assert.deepEqual(events, []);
    });
  },
  {
    auth: 'enforced',
    config: testConfig({ VOW_ENV: 'production', VOW_PUBLIC_URL: 'https://vow.example' }),
  },
);

describeEachDialect('the demo storefront outside production', (env) => {
  it('is served, for trying Vow out', async () => {
    assert.equal((await env().app.inject({ method: 'GET', url: '/demo/store' })).statusCode, 200);
  });
});
