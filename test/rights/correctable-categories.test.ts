// What a person may ask to correct is the policy's `correctable` flag (P16, P21): the correction
// lists offer only those categories, and a correction naming another (consent history, the cookie
// id, credentials) is refused with VOW_NOT_CORRECTABLE by the API, the account's route and the
// public form (which names it at its field, before any confirmation); nothing is stored.
import assert from 'node:assert/strict';
import { it } from 'node:test';
import { serviceCaller, shopperCaller } from '../helpers/auth.js';
import { describeEachDialect } from '../helpers/env.js';
import { placeOrder } from '../helpers/shopper.js';

const PAGE = { accept: 'text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8' };
const FORM = { ...PAGE, 'content-type': 'application/x-www-form-urlencoded' };
const NEVER = ['consent.history', 'device.cookie_id', 'account.credentials', 'identity.collection_trace'];

describeEachDialect(
  'corrections only of what the policy marks correctable',
  (env) => {
    const corrections = async () =>
      (
        await env()
          .store.db.selectFrom('rights_requests')
          .select('id')
          .where('type', '=', 'correction')
          .execute()
      ).length;

    it('the public request form lists names and addresses, never consent history, the cookie id or the password hash', async () => {
      const page = await env().app.inject({ method: 'GET', url: '/privacy/request', headers: PAGE });
      const offered = [...page.body.matchAll(/<option value="([a-z_.]+)"/g)].map((m) => m[1]);
      for (const id of ['identity.name', 'contact.email', 'contact.postal_address', 'contact.phone'])
        assert.ok(offered.includes(id), `${id} offered`);
      for (const id of NEVER) assert.ok(!offered.includes(id), `${id} not offered`);
    });

    it('POST /v1/requests: a correction of consent history or the cookie id is refused with VOW_NOT_CORRECTABLE', async () => {
      const before = await corrections();
      for (const category of NEVER) {
        const res = await env().app.inject({
          method: 'POST',
          url: '/v1/requests',
          payload: {
            type: 'correction',
            jurisdiction: 'us-ca',
            email: 'not.correctable@example.com',
            correction: { category, value: 'something else' },
          },
        });
        assert.equal(res.statusCode, 400, res.body);
        assert.equal(res.json().error.code, 'VOW_NOT_CORRECTABLE', category);
        assert.equal(res.json().error.details.category, category);
      }
      assert.equal(await corrections(), before, 'nothing stored');
    });

    it('the public form names a category that cannot be corrected at its field, before the confirmation step', async () => {
      const form = await env().app.inject({ method: 'GET', url: '/privacy/request', headers: PAGE });
      const csrf = /name="_csrf" value="([^"]+)"/.exec(form.body)?.[1] ?? '';
      const res = await env().app.inject({
        method: 'POST',
        url: '/privacy/request',
        headers: { ...FORM, 'sec-fetch-site': 'same-origin' },
        payload: new URLSearchParams({
          _csrf: csrf,
          type: 'correction',
          jurisdiction: 'us-ca',
          email: 'not.correctable@example.com',
          correction_category: 'consent.history',
          correction_value: 'never enrolled',
        }).toString(),
      });
      assert.equal(res.statusCode, 400);
      assert.match(res.body, /id="correction_category-error">This kind of information cannot be corrected/);
      assert.match(res.body, /id="correction_value"[^>]*value="never enrolled"/);
      assert.doesNotMatch(res.body, /request-review/);
    });

    it('the account route refuses it too, as JSON for an API client and at its field for a browser', async () => {
      const e = env();
      const email = 'correctable.account@example.com';
      await placeOrder(e, (await serviceCaller(e)).headers, {
        shopOrderId: 'SO-CORR-1',
        name: 'Cor Rect',
        email,
      });
      const shopper = await shopperCaller(e, email);
      const before = await corrections();
      const json = await e.app.inject({
        method: 'POST',
        url: '/account/requests',
        headers: shopper.writeHeaders,
        payload: { type: 'correction', category: 'device.cookie_id', value: 'another id' },
      });
      assert.equal(json.statusCode, 400, json.body);
      assert.equal(json.json().error.code, 'VOW_NOT_CORRECTABLE');
      for (const confirm of [{}, { confirm: 'yes' }] as Record<string, string>[]) {
        const page = await e.app.inject({
          method: 'POST',
          url: '/account/requests',
          headers: { ...shopper.writeHeaders, ...FORM },
          payload: new URLSearchParams({
            type: 'correction',
            category: 'consent.history',
            value: 'never enrolled',
            ...confirm,
          }).toString(),
        });
        assert.equal(page.statusCode, 400);
        assert.match(page.body, /id="category-error">This kind of information cannot be corrected/);
      }
      const my = await e.app.inject({ method: 'GET', url: '/account/my-data', headers: shopper.headers });
      const offered = [...my.body.matchAll(/<option value="([a-z_.]+)"/g)].map((m) => m[1]);
      assert.ok(offered.includes('identity.name'), offered.join(' '));
      for (const id of NEVER) assert.ok(!offered.includes(id), `${id} not offered on My data`);
      assert.equal(await corrections(), before, 'nothing stored');
    });
  },
  { auth: 'enforced', rateLimits: false },
);
