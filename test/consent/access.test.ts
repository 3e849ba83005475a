// The consent routes under real access control: who may call what, and the staff id recorded.
import assert from 'node:assert/strict';
import { before, it } from 'node:test';
import { type Caller, serviceCaller, staffCaller } from '../helpers/auth.js';
import { describeEachDialect } from '../helpers/env.js';

describeEachDialect(
  'consent routes with access control enforced',
  (env) => {
    let service: Caller;
    let marketing: Awaited<ReturnType<typeof staffCaller>>;
    let support: Awaited<ReturnType<typeof staffCaller>>;
    let subjectId = '';
    let token = '';

    before(async () => {
      service = await serviceCaller(env());
      marketing = await staffCaller(env(), ['marketing']);
      support = await staffCaller(env(), ['customer_service']);
      const entry = await env().app.inject({
        method: 'POST',
        url: '/v1/catalog-requests',
        headers: service.writeHeaders,
        payload: {
          first_name: 'Ada',
          last_name: 'Reader',
          postal_address: { line1: '2 Oak St', city: 'Madison', postal_code: '53703', country: 'US' },
          email: 'ada@example.com',
          relationship_status: 'single',
          jewelry_types: ['earrings'],
          budget: 'under_500',
          age_range: '25_34',
          residence_type: 'urban',
        },
      });
      assert.equal(entry.statusCode, 201, entry.body);
      subjectId = entry.json().subjectId;
      const rendered = await env().app.inject({
        method: 'POST',
        url: '/v1/emails/render',
        headers: service.writeHeaders,
        payload: { subjectId, subject: 'Hello', text: 'Hi' },
      });
      assert.equal(rendered.statusCode, 200, rendered.body);
      token = new URL(rendered.json().unsubscribeUrl).pathname.slice('/u/'.length);
    });

    it('gives audiences to marketing staff and the shop backend, not to customer service or anonymous callers', async () => {
      const get = (url: string, headers: Record<string, string> = {}) =>
        env().app.inject({ method: 'GET', url, headers });
      assert.equal((await get('/v1/audiences/email_marketing')).statusCode, 401);
      assert.equal((await get('/v1/audiences/email_marketing', support.bearer.headers)).statusCode, 403);
      assert.equal((await get('/v1/audiences/email_marketing', service.headers)).statusCode, 403);
      assert.equal(
        (await get('/v1/service/audiences/email_marketing', marketing.bearer.headers)).statusCode,
        403,
      );
      const staffRes = await get('/v1/audiences/email_marketing', marketing.bearer.headers);
      assert.equal(staffRes.statusCode, 200);
      assert.match(staffRes.body, /ada@example\.com/);
      const serviceRes = await get('/v1/service/audiences/email_marketing', service.headers);
      assert.equal(serviceRes.statusCode, 200);
      assert.equal(serviceRes.body, staffRes.body);
      const audit = await env().ctx.audit.list({ limit: 10_000 });
      assert.ok(audit.some((a) => a.action === 'audience.exported' && a.actor_id === marketing.staffId));
    });

    it('records the staff id of a suppression made by customer service; marketing may not suppress', async () => {
      const payload = { subjectId, channel: 'postal_marketing', reason: 'Asked by phone' };
      const denied = await env().app.inject({
        method: 'POST',
        url: '/v1/suppressions',
        headers: marketing.bearer.writeHeaders,
        payload,
      });
      assert.equal(denied.statusCode, 403);
      const res = await env().app.inject({
        method: 'POST',
        url: '/v1/suppressions',
        headers: support.bearer.writeHeaders,
        payload,
      });
      assert.equal(res.statusCode, 201, res.body);
      const event = (await env().services.consent.history(subjectId)).find((e) => e.event === 'suppressed');
      assert.equal(event?.staff_id, support.staffId);
    });

    it('refuses the SMS webhook and the history to anonymous callers', async () => {
      const sms = await env().app.inject({
        method: 'POST',
        url: '/v1/sms/inbound',
        payload: { from: '+16085550123', body: 'STOP' },
      });
      assert.equal(sms.statusCode, 401);
      const history = await env().app.inject({
        method: 'POST',
        url: '/v1/consent/history',
        payload: { subjectId },
      });
      assert.equal(history.statusCode, 401);
    });

    it('unsubscribes an anonymous one-click POST with no cookie, no CSRF token and no login', async () => {
      const res = await env().app.inject({
        method: 'POST',
        url: `/u/${token}`,
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
        payload: 'List-Unsubscribe=One-Click',
      });
      assert.equal(res.statusCode, 200, res.body);
      assert.equal((await env().services.consent.states(subjectId)).email_marketing, 'withdrawn');
    });
  },
  { auth: 'enforced', rateLimits: false },
);
