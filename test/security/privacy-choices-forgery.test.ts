// "Do Not Sell or Share" (`POST /v1/privacy-choices/opt-out`) is public, and with a shopper's
// session cookie it opts the person out too (advertising channels withdrawn, cause gpc, in the
// consent ledger). It had no anti-forgery check at all: a form posted from another page of the
// same site (a sibling subdomain: the session cookie is SameSite=Lax, which only stops other
// sites) or from a browser that sends cookies cross-site wrote that event in the person's name.
// Now a browser's write from anywhere but Vow's own pages is refused, as for the public forms; the
// shop backend's call (no Sec-Fetch-Site, no Origin) and Vow's own pages still opt out.
import assert from 'node:assert/strict';
import { it } from 'node:test';
import { shopperCaller } from '../helpers/auth.js';
import { describeEachDialect } from '../helpers/env.js';

describeEachDialect(
  'no forged opt-out in a shopper’s name',
  (env) => {
    const personEvents = async (subjectId: string) =>
      env()
        .store.db.selectFrom('consent_events')
        .select(['channel', 'event', 'cause_type'])
        .where('subject_ref', '=', subjectId)
        .where('cause_type', '=', 'gpc')
        .execute();
    /** A shopper whose account is linked to a person Vow holds (a contest entrant). */
    const shopper = async (email: string) => {
      await env().services.collection.collect({
        type: 'contest_entry',
        body: { email, contest_id: 'spring', name: 'Ann' },
      } as Parameters<ReturnType<typeof env>['services']['collection']['collect']>[0]);
      return shopperCaller(env(), email);
    };
    const optOut = (headers: Record<string, string>, contentType: string, payload: string) =>
      env().app.inject({
        method: 'POST',
        url: '/v1/privacy-choices/opt-out',
        headers: { ...headers, 'content-type': contentType },
        payload,
      });

    it('refuses a write sent by a browser from another page than Vow’s, and records nothing', async () => {
      const ann = await shopper('ann.forged@example.com');
      assert.ok(ann.subjectId);
      for (const [what, headers, type, body] of [
        [
          'form from a sibling subdomain',
          { 'sec-fetch-site': 'same-site' },
          'application/x-www-form-urlencoded',
          'jurisdiction=us-co',
        ],
        [
          'form from another site',
          { 'sec-fetch-site': 'cross-site' },
          'application/x-www-form-urlencoded',
          'jurisdiction=us-co',
        ],
        ['JSON from another site', { 'sec-fetch-site': 'cross-site' }, 'application/json', '{}'],
        [
          'form, Origin only',
          { origin: 'https://shop.example' },
          'application/x-www-form-urlencoded',
          'jurisdiction=us-co',
        ],
        ['form without a token', {}, 'application/x-www-form-urlencoded', 'jurisdiction=us-co'],
      ] as const) {
        const res = await optOut({ ...ann.headers, ...headers }, type, body);
        assert.equal(res.statusCode, 403, `${what}: ${res.body}`);
        assert.equal(res.json().error.code, 'VOW_CSRF', what);
      }
      assert.deepEqual(await personEvents(ann.subjectId), []);
    });

    it('still opts out from Vow’s own pages and from the shop backend', async () => {
      const bob = await shopper('bob.own@example.com');
      assert.ok(bob.subjectId);
      const own = await optOut({ ...bob.headers, 'sec-fetch-site': 'same-origin' }, 'application/json', '{}');
      assert.equal(own.statusCode, 200, own.body);
      assert.equal((await personEvents(bob.subjectId)).length > 0, true, 'the person opted out');
      const backend = await optOut({}, 'application/json', '{"jurisdiction":"us-co"}');
      assert.equal(backend.statusCode, 200, backend.body);
      assert.equal(backend.json().optedOut, true);
    });
  },
  { auth: 'enforced' },
);
