import assert from 'node:assert/strict';
import { it } from 'node:test';
import SwaggerParser from '@apidevtools/swagger-parser';
import { describeEachDialect } from '../helpers/env.js';

describeEachDialect('HTTP foundation', (env) => {
  it('answers /healthz with the dialect and the policy version', async () => {
    const res = await env().app.inject({ method: 'GET', url: '/healthz' });
    assert.equal(res.statusCode, 200);
    assert.deepEqual(res.json(), {
      status: 'ok',
      database: env().dialect,
      policyVersion: env().ctx.policy.version,
    });
  });

  it('decides over HTTP: a gift recipient is never marketed to', async () => {
    const res = await env().app.inject({
      method: 'POST',
      url: '/v1/decisions',
      payload: {
        subject: { kind: 'gift_recipient' },
        purpose: 'marketing.postal',
        categories: ['contact.postal_address'],
      },
    });
    assert.equal(res.statusCode, 200);
    const body = res.json();
    assert.equal(body.decision, 'deny');
    assert.equal(body.reasons[0].promise, 'P3');
  });

  it('sends a remembered decision as the same text each time, and a new question its own answer', async () => {
    const ask = (kind: string) =>
      env().app.inject({
        method: 'POST',
        url: '/v1/decisions',
        payload: { subject: { kind }, purpose: 'marketing.postal', categories: ['contact.postal_address'] },
      });
    const first = await ask('gift_recipient');
    const again = await ask('gift_recipient');
    assert.equal(again.body, first.body);
    assert.equal(first.headers['content-type'], 'application/json; charset=utf-8');
    assert.equal(Number(first.headers['content-length']), Buffer.byteLength(first.body));
    assert.deepEqual(
      first.json(),
      JSON.parse(
        JSON.stringify(
          env().services.decisions.decide({
            subject: { kind: 'gift_recipient' },
            purpose: 'marketing.postal',
            categories: ['contact.postal_address'],
          }),
        ),
      ),
    );
    const other = await ask('customer');
    assert.notEqual(other.body, first.body, 'another question is not answered with a remembered text');
  });

  it('answers unknown purposes with VOW_UNKNOWN_PURPOSE', async () => {
    const res = await env().app.inject({
      method: 'POST',
      url: '/v1/decisions',
      payload: { subject: { kind: 'customer' }, purpose: 'resale', categories: ['contact.email'] },
    });
    assert.equal(res.statusCode, 400);
    assert.equal(res.json().error.code, 'VOW_UNKNOWN_PURPOSE');
  });

  it('refuses unknown fields, wrong types and broken JSON with stable codes, echoing no values', async () => {
    const unknown = await env().app.inject({
      method: 'POST',
      url: '/v1/decisions',
      payload: {
        subject: { kind: 'customer' },
        purpose: 'order.fulfilment',
        categories: ['contact.email'],
        email: 'ann@example.com',
      },
    });
    assert.equal(unknown.statusCode, 400);
    assert.equal(unknown.json().error.code, 'VOW_VALIDATION');
    assert.doesNotMatch(unknown.body, /ann@example\.com/);
    const wrongType = await env().app.inject({
      method: 'POST',
      url: '/v1/decisions',
      payload: { subject: { kind: 'customer' }, purpose: 7, categories: 'x' },
    });
    assert.equal(wrongType.json().error.code, 'VOW_VALIDATION');
    const broken = await env().app.inject({
      method: 'POST',
      url: '/v1/decisions',
      headers: { 'content-type': 'application/json' },
      payload: '{"subject":',
    });
    assert.equal(broken.statusCode, 400);
    assert.equal(broken.json().error.code, 'VOW_BAD_JSON');
    const text = await env().app.inject({
      method: 'POST',
      url: '/v1/decisions',
      headers: { 'content-type': 'text/csv' },
      payload: 'a,b',
    });
    assert.equal(text.statusCode, 415);
    assert.equal(text.json().error.code, 'VOW_UNSUPPORTED_MEDIA_TYPE');
  });

  it('caps request bodies', async () => {
    const res = await env().app.inject({
      method: 'POST',
      url: '/v1/decisions',
      headers: { 'content-type': 'application/json' },
      payload: JSON.stringify({ pad: 'x'.repeat(70 * 1024) }),
    });
    assert.equal(res.statusCode, 413);
    assert.equal(res.json().error.code, 'VOW_BODY_TOO_LARGE');
  });

  it('answers unknown routes with VOW_NOT_FOUND in the error shape', async () => {
    const res = await env().app.inject({ method: 'GET', url: '/v1/nothing-here' });
    assert.equal(res.statusCode, 404);
    assert.equal(res.json().error.code, 'VOW_NOT_FOUND');
  });

  it('answers an address the router cannot read with VOW_VALIDATION, echoing nothing of it', async () => {
    // Fastify answered these itself: its own body with an FST_ERR code, the path (and any token in
    // it) quoted back, and 414 for a long parameter.
    const long = 'x'.repeat(2000);
    for (const url of [
      '/v1/experiments/%',
      '/v1/experiments/%ZZ/results',
      '/u/%C0%AEsecret-token',
      '/v1/requests/status/%D8%00',
      `/v1/experiments/${long}`,
      `/privacy/request/export/${long}/data.json`,
    ]) {
      const res = await env().app.inject({ method: url.startsWith('/u/') ? 'POST' : 'GET', url });
      assert.equal(res.statusCode, 400, url);
      assert.match(String(res.headers['content-type']), /^application\/json/, url);
      assert.equal(res.json().error.code, 'VOW_VALIDATION', url);
      assert.ok(!res.body.includes('secret-token') && !res.body.includes('xxxx'), `${url}: ${res.body}`);
      // With the JSON API's security headers, as every other answer has its own.
      assert.equal(res.headers['content-security-policy'], "default-src 'none';frame-ancestors 'none'", url);
      assert.equal(res.headers['x-content-type-options'], 'nosniff', url);
    }
  });

  it('serves a valid OpenAPI 3 document generated from the route schemas', async () => {
    const res = await env().app.inject({ method: 'GET', url: '/openapi.json' });
    assert.equal(res.statusCode, 200);
    const doc = res.json();
    assert.match(doc.openapi, /^3\./);
    assert.ok(doc.paths['/v1/decisions'].post.requestBody);
    await SwaggerParser.validate(structuredClone(doc));
  });

  it('serves the notice with its version, every section, and security headers', async () => {
    const res = await env().app.inject({ method: 'GET', url: '/privacy' });
    assert.equal(res.statusCode, 200);
    assert.match(res.headers['content-type'] as string, /text\/html/);
    assert.match(res.headers['content-security-policy'] as string, /script-src 'self'/);
    assert.doesNotMatch(res.headers['content-security-policy'] as string, /unsafe-inline/);
    for (const s of env().ctx.policy.doc.notice.sections) assert.match(res.body, new RegExp(`id="${s.id}"`));
    for (const cp of Object.keys(env().ctx.policy.doc.collection_points))
      assert.match(res.body, new RegExp(`id="collect-${cp}"`));
    assert.ok(res.body.includes(env().ctx.policy.version));
  });

  it('serves the policy as data', async () => {
    const res = await env().app.inject({ method: 'GET', url: '/v1/policy' });
    assert.equal(res.json().version, env().ctx.policy.version);
    assert.ok(res.json().policy.rules.length > 10);
  });
});
