// A name typed right to left (Arabic, Hebrew) is isolated wherever a page shows it inline: in <bdi>
// (layout.ts `personal`), so it takes its direction from its own letters and neither pulls the words
// and numbers beside it into its run nor is reordered by them (the classic bug: "سارة 2" shown next
// to a number reads as another number). Console: the request queue, a request's page, a person's
// names and the values held; shopper: My data and "Signed in as".
import assert from 'node:assert/strict';
import { before, it } from 'node:test';
import { serviceCaller, shopperCaller, staffCaller } from '../helpers/auth.js';
import { describeEachDialect } from '../helpers/env.js';
import { placeOrder } from '../helpers/shopper.js';

const ARABIC = 'سارة 2';
const HEBREW = 'שרה 3';
const EMAIL = 'sara.rtl@example.com';
const FORM = { 'content-type': 'application/x-www-form-urlencoded', accept: 'text/html' };

/** The text of every <bdi> of a page. */
function isolated(body: string): string[] {
  return [...body.matchAll(/<bdi>([^<]*)<\/bdi>/g)].map((m) => m[1]!);
}

describeEachDialect(
  'right-to-left names are isolated',
  (env) => {
    let requestId = '';
    before(async () => {
      const service = await serviceCaller(env());
      await placeOrder(env(), service.headers, { shopOrderId: 'SO-RTL-A', name: ARABIC, email: EMAIL });
      await placeOrder(env(), service.headers, { shopOrderId: 'SO-RTL-H', name: HEBREW, email: EMAIL });
      const filed = await env().app.inject({
        method: 'POST',
        url: '/v1/requests',
        payload: { type: 'deletion', jurisdiction: 'us-ca', email: EMAIL, name: ARABIC },
      });
      assert.equal(filed.statusCode < 300, true, filed.body);
      const staff = await staffCaller(env(), ['customer_service']);
      const queue = await env().app.inject({ method: 'GET', url: '/staff/requests', headers: staff.headers });
      requestId = /href="\/staff\/requests\/([^"?]+)"/.exec(queue.body)?.[1] ?? '';
      assert.ok(requestId, 'the request in the queue');
    });

    it('the console isolates the requester’s name and email, a person’s names and the values held', async () => {
      const staff = await staffCaller(env(), ['customer_service']);
      const queue = await env().app.inject({ method: 'GET', url: '/staff/requests', headers: staff.headers });
      assert.equal(queue.statusCode, 200);
      assert.ok(isolated(queue.body).includes(ARABIC), 'the queue’s requester name');
      assert.ok(isolated(queue.body).includes(EMAIL), 'the queue’s requester email');

      const page = await env().app.inject({
        method: 'GET',
        url: `/staff/requests/${requestId}`,
        headers: staff.headers,
      });
      assert.equal(page.statusCode, 200, page.body);
      assert.match(
        page.body,
        new RegExp(`data-testid="requester"><bdi>${ARABIC}</bdi><br><bdi>${EMAIL}</bdi>`),
      );

      const person = await env().app.inject({
        method: 'POST',
        url: '/staff/people',
        headers: { ...staff.writeHeaders, ...FORM },
        payload: new URLSearchParams({ email: EMAIL }).toString(),
      });
      assert.equal(person.statusCode, 200, person.body);
      // Two names side by side, each in its own isolate: "سارة 2 · שרה 3", never "2 · 3" joined up.
      const names = /data-testid="person-name">(.*?)<\/dd>/.exec(person.body)?.[1] ?? '';
      assert.match(names, /^<bdi>[^<]+<\/bdi> · <bdi>[^<]+<\/bdi>$/, names);
      assert.deepEqual(isolated(names).sort(), [ARABIC, HEBREW].sort());
      assert.ok(isolated(person.body).includes(EMAIL), 'the email held');
    });

    it('the shopper’s My data and "Signed in as" isolate the values', async () => {
      const shopper = await shopperCaller(env(), EMAIL);
      const my = await env().app.inject({
        method: 'GET',
        url: '/account/my-data',
        headers: { ...shopper.headers, accept: 'text/html' },
      });
      assert.equal(my.statusCode, 200, my.body);
      const held = isolated(my.body);
      assert.ok(held.includes(ARABIC) && held.includes(HEBREW), `names held: ${held.join(' | ')}`);
      assert.match(my.body, new RegExp(`<strong><bdi>${EMAIL.replace(/\./g, '\\.')}</bdi></strong>`));
    });
  },
  { auth: 'enforced' },
);
