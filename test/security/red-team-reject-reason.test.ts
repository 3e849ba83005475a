// Red team (review round 5): a privacy officer's reason for rejecting a staff verification is kept
// and audited, so it may hold no email address or phone number (400 VOW_VALIDATION). The check read
// the text as typed, while the audit trail's guard reads it after Unicode compatibility normalisation
// (NFKC): `ann＠example.com` (a full-width or small @) or a number in full-width digits passed the
// check and was then refused by the guard as `500 VOW_AUDIT_PERSONAL_DATA`, an error the docs call a
// bug. The reason is now checked as the guard reads it: a 400 naming what to change.
import assert from 'node:assert/strict';
import { before, it } from 'node:test';
import { orderBody } from '../collection/fixtures.js';
import { serviceCaller, staffCaller } from '../helpers/auth.js';
import { describeEachDialect } from '../helpers/env.js';

type StaffCaller = Awaited<ReturnType<typeof staffCaller>>;

describeEachDialect(
  'red team: a verification’s rejection reason in compatibility forms',
  (env) => {
    let agent: StaffCaller;
    let officer: StaffCaller;
    before(async () => {
      env().clock.set('2026-01-16T09:00:00.000Z');
      agent = await staffCaller(env(), ['customer_service']);
      officer = await staffCaller(env(), ['privacy_officer']);
    });
    const call = (who: { writeHeaders: Record<string, string> }, url: string, payload: object = {}) =>
      env().app.inject({ method: 'POST', url, headers: who.writeHeaders, payload });

    it('answers 400 for an address or phone number in full-width forms, and records nothing', async () => {
      const service = await serviceCaller(env());
      const body = orderBody('RR1');
      const order = await env().app.inject({
        method: 'POST',
        url: '/v1/orders',
        headers: service.writeHeaders,
        payload: body,
      });
      assert.equal(order.statusCode, 201, order.body);
      const logged = await call(agent.bearer, '/v1/staff/requests', {
        type: 'deletion',
        jurisdiction: 'us-ca',
        channel: 'postal',
        receivedOn: '2026-01-15',
      });
      assert.equal(logged.statusCode, 201, logged.body);
      const rid = logged.json().request.id as string;
      const b = body.buyer;
      const verified = await call(agent.bearer, `/v1/staff/requests/${rid}/verify-data-points`, {
        email: b.email,
        phone: b.phone,
        address: { ...b.billing_address },
        declarationSigned: true,
      });
      assert.equal(verified.statusCode, 200, verified.body);
      for (const reason of [
        'the letter gave ann＠example.com instead',
        'the letter gave ann﹫example.com instead',
        'the letter gave ６０８ ２６５ ３１３１ as the phone',
      ]) {
        const res = await call(officer.bearer, `/v1/staff/requests/${rid}/reject-verification`, { reason });
        assert.equal(res.statusCode, 400, `${reason}: ${res.body}`);
        assert.equal(res.json().error.code, 'VOW_VALIDATION');
      }
      const rejected = await call(officer.bearer, `/v1/staff/requests/${rid}/reject-verification`, {
        reason: 'the signature does not match the one on file',
      });
      assert.equal(rejected.statusCode, 200, rejected.body);
    });
  },
  { auth: 'enforced', rateLimits: false },
);
