// A postal address corrected in its parts on the shopper forms: the request form and My data take
// the street, city, region, postal code and country in their own fields, show the address in words
// for confirmation, and send it as one JSON value of its parts, which the rights module keeps whole
// (typed on one line, an address became a street with no city or postal code). The refusals (parts
// for another category, parts without a street) are in test/unit/form-refusals.test.ts.
import assert from 'node:assert/strict';
import { it } from 'node:test';
import { addressInWords, correctedAddress } from '../../src/modules/subjects/index.js';
import { serviceCaller, shopperCaller, staffCaller } from '../helpers/auth.js';
import { describeEachDialect } from '../helpers/env.js';
import { placeOrder } from '../helpers/shopper.js';

const PAGE = { accept: 'text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8' };
const FORM = { ...PAGE, 'content-type': 'application/x-www-form-urlencoded' };
const PARTS = {
  address_line1: '12 New St',
  address_line2: 'Apt 4',
  address_city: 'Springfield',
  address_region: 'IL',
  address_postal_code: '62701',
  address_country: 'us',
};
const WORDS = '12 New St, Apt 4, Springfield, IL 62701, US';
const hiddenValue = (body: string, name: string) =>
  new RegExp(`type="hidden" name="${name}" value="([^"]*)"`).exec(body)?.[1]?.replaceAll('&quot;', '"');

describeEachDialect(
  'a postal address corrected in its parts',
  (env) => {
    it('the request form takes the parts, shows the address in words, and sends it whole', async () => {
      const e = env();
      const form = await e.app.inject({ method: 'GET', url: '/privacy/request', headers: PAGE });
      assert.match(form.body, /data-testid="address-parts">/, 'folded away at first');
      assert.match(form.body, /<label for="address_postal_code">ZIP or postal code<\/label>/);
      assert.match(form.body, /id="address_line1" name="address_line1" autocomplete="address-line1"/);
      const csrf = /name="_csrf" value="([^"]+)"/.exec(form.body)?.[1] ?? '';
      const fields = {
        _csrf: csrf,
        type: 'correction',
        jurisdiction: 'us-il',
        email: 'parts.request@example.com',
        correction_category: 'contact.postal_address',
        ...PARTS,
      };
      const review = await e.app.inject({
        method: 'POST',
        url: '/privacy/request',
        headers: { ...FORM, 'sec-fetch-site': 'same-origin' },
        payload: new URLSearchParams(fields).toString(),
      });
      assert.equal(review.statusCode, 200, review.body.slice(0, 300));
      assert.match(review.body, new RegExp(`<strong><bdi>${WORDS}</bdi></strong>`));
      const value = hiddenValue(review.body, 'correction_value');
      assert.deepEqual(correctedAddress(value ?? ''), {
        line1: '12 New St',
        line2: 'Apt 4',
        city: 'Springfield',
        region: 'IL',
        postal_code: '62701',
        country: 'US',
      });
      // Refused (no street), the parts come back unfolded with what was typed.
      const refused = await e.app.inject({
        method: 'POST',
        url: '/privacy/request',
        headers: { ...FORM, 'sec-fetch-site': 'same-origin' },
        payload: new URLSearchParams({ ...fields, address_line1: '' }).toString(),
      });
      assert.equal(refused.statusCode, 400);
      assert.match(refused.body, /data-testid="address-parts" open>/);
      assert.match(refused.body, /id="address_city"[^>]*value="Springfield"/);
      const csrf2 = /name="_csrf" value="([^"]+)"/.exec(review.body)?.[1] ?? '';
      const sent = await e.app.inject({
        method: 'POST',
        url: '/privacy/request',
        headers: { ...FORM, 'sec-fetch-site': 'same-origin' },
        payload: new URLSearchParams({
          _csrf: csrf2,
          confirm: 'yes',
          type: 'correction',
          jurisdiction: 'us-il',
          email: 'parts.request@example.com',
          correction_category: 'contact.postal_address',
          correction_value: value ?? '',
        }).toString(),
      });
      assert.equal(sent.statusCode, 303, sent.body.slice(0, 300));
      // Staff read it in words on the request's page too.
      const officer = await staffCaller(e, ['privacy_officer']);
      const row = await e.store.db
        .selectFrom('rights_requests')
        .select('id')
        .where('type', '=', 'correction')
        .orderBy('created_at', 'desc')
        .executeTakeFirstOrThrow();
      const staffPage = await e.app.inject({
        method: 'GET',
        url: `/staff/requests/${row.id}`,
        headers: officer.headers,
      });
      assert.equal(staffPage.statusCode, 200);
      assert.ok(
        staffPage.body.includes(`<strong><bdi>${WORDS}</bdi></strong>`),
        'the console shows the address in words',
      );
      assert.doesNotMatch(staffPage.body, /&quot;line1&quot;/);
    });

    it('writes an address given in its parts as people do, and leaves any other value as typed', () => {
      assert.equal(
        addressInWords('{"line1":"1 A St","city":"Madison","country":"us"}'),
        '1 A St, Madison, US',
      );
      assert.equal(addressInWords('1 A St, Madison'), undefined);
      assert.equal(addressInWords('{"line1":"1 A St","colour":"red"}'), undefined, 'not an address');
    });

    it('My data takes the parts too, in Spanish as in English', async () => {
      const e = env();
      const email = 'parts.mydata@example.com';
      await placeOrder(e, (await serviceCaller(e)).headers, {
        shopOrderId: 'SO-PARTS-1',
        name: 'Pat Parts',
        email,
      });
      const shopper = await shopperCaller(e, email);
      const my = await e.app.inject({
        method: 'GET',
        url: '/account/my-data',
        headers: { ...shopper.headers, 'accept-language': 'es' },
      });
      assert.match(my.body, /<summary id="address-parts-h">¿Corrige su dirección postal\?<\/summary>/);
      const review = await e.app.inject({
        method: 'POST',
        url: '/account/requests',
        headers: { ...shopper.writeHeaders, ...FORM },
        payload: new URLSearchParams({
          type: 'correction',
          category: 'contact.postal_address',
          ...PARTS,
        }).toString(),
      });
      assert.equal(review.statusCode, 200, review.body.slice(0, 300));
      assert.ok(review.body.includes(WORDS), 'the address in words');
      assert.equal(correctedAddress(hiddenValue(review.body, 'value') ?? '')?.city, 'Springfield');
      // An API client may send the parts as well as a JSON value.
      const json = await e.app.inject({
        method: 'POST',
        url: '/account/requests',
        headers: shopper.writeHeaders,
        payload: { type: 'correction', category: 'contact.email', address_city: 'Springfield' },
      });
      assert.equal(json.statusCode, 400);
      assert.equal(json.json().error.code, 'VOW_VALIDATION');
    });
  },
  { auth: 'enforced', rateLimits: false },
);
