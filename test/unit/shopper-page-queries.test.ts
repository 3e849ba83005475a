// A shopper page's optional query parameters: a value the page does not know (an edited or truncated
// link, a doubled parameter, a tracking tag) never turns a good page into "This link is not valid".
// The page shows as it would without it; the notice's unknown language keeps its note. A required
// parameter that is wrong still gets a clear refusal.
import assert from 'node:assert/strict';
import { before, it } from 'node:test';
import { post } from '../collection/fixtures.js';
import { serviceCaller, shopperCaller } from '../helpers/auth.js';
import { describeEachDialect } from '../helpers/env.js';

const HTML = { accept: 'text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8' };

describeEachDialect(
  'shopper pages: a bad optional query parameter',
  (env) => {
    let statusToken = '';
    let unsubscribeToken = '';
    before(async () => {
      const r = await post(env(), '/v1/requests', {
        type: 'access',
        jurisdiction: 'eea',
        email: 'query.params@example.com',
      });
      assert.equal(r.statusCode, 202, r.body);
      statusToken = r.json().statusToken;
      const service = await serviceCaller(env());
      const entry = await env().app.inject({
        method: 'POST',
        url: '/v1/catalog-requests',
        headers: service.writeHeaders,
        payload: {
          first_name: 'Ada',
          last_name: 'Reader',
          postal_address: { line1: '2 Oak St', city: 'Madison', postal_code: '53703', country: 'US' },
          email: 'ada.query@example.com',
          relationship_status: 'single',
          jewelry_types: ['earrings'],
          budget: 'under_500',
          age_range: '25_34',
          residence_type: 'urban',
        },
      });
      assert.equal(entry.statusCode, 201, entry.body);
      const rendered = await env().app.inject({
        method: 'POST',
        url: '/v1/emails/render',
        headers: service.writeHeaders,
        payload: { subjectId: entry.json().subjectId, subject: 'Hello', text: 'Hi' },
      });
      assert.equal(rendered.statusCode, 200, rendered.body);
      unsubscribeToken = new URL(rendered.json().unsubscribeUrl).pathname.slice('/u/'.length);
    });

    const get = (url: string, headers: Record<string, string> = {}) =>
      env().app.inject({ method: 'GET', url, headers: { ...HTML, ...headers } });

    it("shows a request's status page whatever its message parameter says", async () => {
      const plain = await get(`/privacy/request/status/${statusToken}`);
      assert.equal(plain.statusCode, 200);
      for (const q of ['?m=zz', '?m=', '?m=invalid&m=invalid', `?m=${'x'.repeat(300)}`]) {
        const res = await get(`/privacy/request/status/${statusToken}${q}`);
        assert.equal(res.statusCode, 200, q);
        assert.doesNotMatch(res.body, /This link is not valid/, q);
        assert.match(res.body, /data-testid="request-status"|Your request/, q);
      }
      const known = await get(`/privacy/request/status/${statusToken}?m=invalid`);
      assert.equal(known.statusCode, 200);
      assert.match(known.body, /role="alert"|notice-error/, 'a known message still shows');
    });

    it('shows the unsubscribe page whatever its done parameter says', async () => {
      for (const q of ['?done=2', '?done=', '?done=1&done=1', '?done=yes']) {
        const res = await get(`/u/${unsubscribeToken}${q}`);
        assert.equal(res.statusCode, 200, q);
        assert.doesNotMatch(res.body, /This link is not valid/, q);
        assert.match(res.body, /<form[^>]*action="\/u\//, `${q}: the confirmation with its button`);
      }
    });

    it('shows the notice for a language tag it cannot read, with the language note', async () => {
      for (const q of [`?lang=${'e'.repeat(40)}`, '?lang=es&lang=en']) {
        const res = await get(`/privacy${q}`);
        assert.equal(res.statusCode, 200, q);
        assert.doesNotMatch(res.body, /This link is not valid/, q);
        assert.match(res.body, /data-testid="language-note"/, q);
      }
    });

    it('still refuses a control character in any hint (400, VOW_VALIDATION), as at every edge', async () => {
      const shopper = await shopperCaller(env(), 'query.control@example.com');
      for (const [url, headers] of [
        ['/privacy?lang=%01', {}],
        ['/consent.js?v=%00', {}],
        ['/account/my-data?due=%1b', shopper.headers],
        ['/demo/store?sent=%7f', {}],
        ['/language?to=es-US&back=/privacy%00', {}],
      ] as const) {
        const res = await get(url, headers);
        assert.equal(res.statusCode, 400, url);
      }
    });

    it("shows My data whatever its 'sent' and 'due' parameters say", async () => {
      const shopper = await shopperCaller(env(), 'query.mydata@example.com');
      for (const q of ['?sent=zz', '?due=tomorrow', '?sent=correction&due=2026-13', '?sent=a&sent=b']) {
        const res = await get(`/account/my-data${q}`, shopper.headers);
        assert.equal(res.statusCode, 200, q);
        assert.doesNotMatch(res.body, /This link is not valid/, q);
      }
    });

    it('shows the demo storefront whatever its sent parameter says', async () => {
      const res = await get('/demo/store?sent=zz');
      assert.ok(res.statusCode === 200 || res.statusCode === 404, String(res.statusCode));
      assert.doesNotMatch(res.body, /This link is not valid/);
    });

    it('serves the consent script whatever its version parameter says', async () => {
      for (const q of [`?v=${'f'.repeat(80)}`, '?v=a&v=b']) {
        const res = await env().app.inject({ method: 'GET', url: `/consent.js${q}` });
        assert.equal(res.statusCode, 200, q);
        assert.match(String(res.headers['cache-control']), /max-age=300/, q);
      }
    });

    it('switches language with a tracking tag added, and refuses a missing or unknown language clearly', async () => {
      const ok = await get('/language?to=es-US&back=/privacy&utm_source=mail');
      assert.equal(ok.statusCode, 303);
      assert.equal(ok.headers.location, '/privacy');
      const long = await get(`/language?to=es-US&back=/${'a'.repeat(2100)}`);
      assert.equal(long.statusCode, 303, 'a return path too long goes to the notice');
      assert.equal(long.headers.location, '/privacy');
      for (const q of ['', '?to=zz']) {
        const bad = await get(`/language${q}`);
        assert.equal(bad.statusCode, 400, q);
      }
    });
  },
  { auth: 'enforced', rateLimits: false },
);
