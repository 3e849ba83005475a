import assert from 'node:assert/strict';
import { before, it } from 'node:test';
import { describeEachDialect, type TestEnv } from '../helpers/env.js';
import { connectHarness, type Json, post, postalRequest, type RightsHarness } from './helpers.js';

describeEachDialect('data subject requests: intake, verification, deadlines', (env) => {
  let h: RightsHarness;
  before(() => {
    h = connectHarness(env());
    h.world.addPerson('subj-known', { emails: ['known@example.org'], phones: ['+16085550101'] });
    h.world.rows.push(
      {
        table: 'orders',
        column: 'email',
        category: 'contact.email',
        subjectId: 'subj-known',
        value: 'known@example.org',
      },
      {
        table: 'orders',
        column: 'items',
        category: 'commerce.order_history',
        subjectId: 'subj-known',
        value: '1 ring',
        exemption: 'service_customers',
      },
    );
  });

  /** A known person's web request, its code mail delivered: the answer and the code mailed. */
  async function codeMailed(
    e: TestEnv,
    subjectId: string,
    email: string,
    type: string,
    jurisdiction: string,
  ) {
    h.world.addPerson(subjectId, { emails: [email] });
    const request = await post(e, '/v1/requests', { type, jurisdiction, email });
    await h.drain();
    return { request, code: h.codeFor(email) };
  }

  it('answers a known and an unknown email the same way, and only the known one can ever verify', async () => {
    const e = env();
    const known = await post(e, '/v1/requests', {
      type: 'access',
      jurisdiction: 'eea',
      email: 'known@example.org',
    });
    const unknown = await post(e, '/v1/requests', {
      type: 'access',
      jurisdiction: 'eea',
      email: 'stranger@example.org',
    });
    assert.equal(known.status, 202);
    assert.equal(unknown.status, 202);
    assert.deepEqual(Object.keys(known.body).sort(), Object.keys(unknown.body).sort());
    assert.equal(known.body.message, unknown.body.message);
    assert.equal(known.body.status, unknown.body.status);
    await h.drain();
    // Both addresses got a code mail that looks the same.
    assert.equal(h.mailsTo('known@example.org').length, 1);
    assert.equal(h.mailsTo('stranger@example.org').length, 1);
    const strangerCode = h.codeFor('stranger@example.org');
    const refused = await post(e, '/v1/requests/verify', {
      statusToken: unknown.body.statusToken,
      code: strangerCode,
    });
    assert.equal(refused.status, 400);
    assert.equal(refused.body.error.code, 'VOW_VERIFICATION_FAILED');
    const wrongForKnown = await post(e, '/v1/requests/verify', {
      statusToken: known.body.statusToken,
      code: strangerCode === '000000' ? '000001' : '000000',
    });
    assert.deepEqual(wrongForKnown, refused, 'a wrong code for a known person answers exactly the same');
    const ok = await post(e, '/v1/requests/verify', {
      statusToken: known.body.statusToken,
      code: h.codeFor('known@example.org'),
    });
    assert.equal(ok.status, 200);
    assert.equal(ok.body.status, 'in_progress');
  });

  it('locks a request after five wrong codes: even the right code is then refused', async () => {
    const e = env();
    const { request: r, code: right } = await codeMailed(
      e,
      'subj-guess',
      'guess@example.org',
      'access',
      'us-ca',
    );
    const wrong = right === '123456' ? '654321' : '123456';
    for (let i = 0; i < 5; i++) {
      const res = await post(e, '/v1/requests/verify', { statusToken: r.body.statusToken, code: wrong });
      assert.equal(res.body.error.code, 'VOW_VERIFICATION_FAILED');
    }
    const locked = await post(e, '/v1/requests/verify', { statusToken: r.body.statusToken, code: right });
    assert.equal(locked.status, 429);
    assert.equal(locked.body.error.code, 'VOW_VERIFICATION_LOCKED');
    const status = await e.app.inject({ url: `/v1/requests/status/${r.body.statusToken}` });
    assert.equal(status.json().status, 'awaiting_verification');
  });

  it('refuses an expired code and a code used twice', async () => {
    const e = env();
    const { request: r, code } = await codeMailed(e, 'subj-exp', 'expiry@example.org', 'restriction', 'uk');
    e.clock.advance(15 * 60_000 + 1);
    const late = await post(e, '/v1/requests/verify', { statusToken: r.body.statusToken, code });
    assert.equal(late.body.error.code, 'VOW_VERIFICATION_FAILED');

    const { request: r2, code: code2 } = await codeMailed(
      e,
      'subj-twice',
      'twice@example.org',
      'access',
      'uk',
    );
    assert.equal(
      (await post(e, '/v1/requests/verify', { statusToken: r2.body.statusToken, code: code2 })).status,
      200,
    );
    const again = await post(e, '/v1/requests/verify', { statusToken: r2.body.statusToken, code: code2 });
    assert.equal(again.body.error.code, 'VOW_VERIFICATION_FAILED');
  });

  it('stores no plaintext email or code, and never puts the email in the status URL', async () => {
    const e = env();
    const r = await post(e, '/v1/requests', {
      type: 'access',
      jurisdiction: 'eea',
      email: 'plain.check@example.org',
    });
    assert.ok(!String(r.body.statusUrl).includes('plain.check'));
    assert.match(String(r.body.statusUrl), /\/privacy\/request\/status\/[A-Za-z0-9_-]{40,}$/);
    await h.drain();
    const code = h.codeFor('plain.check@example.org');
    const dump = JSON.stringify([
      await e.store.db.selectFrom('rights_requests').selectAll().execute(),
      await e.store.db.selectFrom('rights_verifications').selectAll().execute(),
      await e.store.db.selectFrom('audit_log').selectAll().execute(),
      await e.store.db.selectFrom('jobs').selectAll().execute(),
    ]);
    assert.ok(!dump.includes('plain.check@example.org'));
    assert.ok(!dump.includes(code));
  });

  it('refuses bad input with a stable code and stores nothing', async () => {
    const e = env();
    const before = (await e.store.db.selectFrom('rights_requests').select('id').execute()).length;
    const bad = (type: string, extra: Json = {}) => ({
      type,
      jurisdiction: 'eea',
      email: 'bad@example.org',
      ...extra,
    });
    const refusals: { body: Json; code: string; status?: number }[] = [
      {
        body: bad('deletion', { categories: ['contact.shoe_size'] }),
        code: 'VOW_REQUEST_INVALID',
        status: 400,
      },
      { body: bad('access', { admin: true }), code: 'VOW_VALIDATION' },
      { body: bad('everything'), code: 'VOW_VALIDATION' },
      { body: bad('correction'), code: 'VOW_REQUEST_INVALID' },
      { body: bad('restriction', { purposes: ['mind_reading'] }), code: 'VOW_REQUEST_INVALID' },
    ];
    for (const { body, code, status } of refusals) {
      const res = await post(e, '/v1/requests', body);
      if (status !== undefined) assert.equal(res.status, status, JSON.stringify(body));
      assert.equal(res.body.error.code, code, JSON.stringify(body));
    }
    assert.equal((await e.store.db.selectFrom('rights_requests').select('id').execute()).length, before);
  });

  it('staff log a postal request with its day of receipt; the queue shows soonest first and flags overdue ones', async () => {
    const e = env();
    e.clock.set('2026-03-05T10:00:00Z');
    const old = await post(e, '/v1/staff/requests', {
      type: 'access',
      jurisdiction: 'eea',
      channel: 'postal',
      receivedOn: '2026-01-31',
      name: 'Letter Writer',
    });
    assert.equal(old.status, 201);
    assert.equal(old.body.request.dueOn, '2026-02-28');
    assert.equal(old.body.request.overdue, true);
    const ccpa = await post(e, '/v1/staff/requests', {
      type: 'deletion',
      jurisdiction: 'us-ca',
      channel: 'email',
      receivedOn: '2026-03-02',
      email: 'emailer@example.org',
    });
    assert.equal(ccpa.body.request.dueOn, '2026-04-16');
    assert.equal(ccpa.body.request.ackDueOn, '2026-03-16');
    assert.ok(ccpa.body.request.acknowledgedAt, 'acknowledged by the code mail');
    const future = await post(e, '/v1/staff/requests', {
      type: 'access',
      jurisdiction: 'eea',
      channel: 'email',
      receivedOn: '2026-03-06',
    });
    assert.equal(future.body.error.code, 'VOW_REQUEST_INVALID', 'receipt cannot be in the future');
    // A day that is not on the calendar was stored, its deadline counted from where Date rolled it
    // (2025-99-99 was due in 2033, 0000-01-01 in 1900).
    for (const receivedOn of [
      '2025-02-30',
      '2025-02-29',
      '2025-13-45',
      '2025-00-00',
      '2025-99-99',
      '0000-01-01',
    ]) {
      const typo = await post(e, '/v1/staff/requests', {
        type: 'access',
        jurisdiction: 'us-ca',
        channel: 'postal',
        receivedOn,
        name: 'Letter Writer',
      });
      assert.equal(typo.status, 400, receivedOn);
      assert.equal(typo.body.error.code, 'VOW_REQUEST_INVALID', receivedOn);
    }
    const queue = (await e.app.inject({ url: '/v1/staff/requests' })).json().requests as Json[];
    const dues = queue.map((r) => r.dueOn);
    assert.deepEqual(dues, [...dues].sort());
    const first = queue.find((r) => r.id === old.body.request.id);
    assert.equal(first?.overdue, true);
    assert.equal(queue.find((r) => r.id === ccpa.body.request.id)?.overdue, false);
    const audit = await e.ctx.audit.list({ targetType: 'request', targetId: old.body.request.id });
    assert.equal(audit[0]?.action, 'request.received');
    assert.equal(audit[0]?.actor_type, 'staff');
  });

  it('extends a GDPR deadline by two months only within the first month, and tells the person why', async () => {
    const e = env();
    e.clock.set('2026-01-31T09:00:00Z');
    const r = await post(e, '/v1/staff/requests', {
      type: 'access',
      jurisdiction: 'eea',
      channel: 'email',
      receivedOn: '2026-01-31',
      email: 'extend.me@example.org',
    });
    const rid = r.body.request.id;
    e.clock.set('2026-02-28T22:00:00Z');
    const ext = await post(e, `/v1/staff/requests/${rid}/extend`, { reason: 'Several archives to search' });
    assert.equal(ext.status, 200);
    assert.equal(ext.body.request.dueOn, '2026-04-30');
    assert.equal(ext.body.request.originalDueOn, '2026-02-28');
    const twice = await post(e, `/v1/staff/requests/${rid}/extend`, { reason: 'again please' });
    assert.equal(twice.body.error.code, 'VOW_EXTENSION_NOT_ALLOWED');
    await h.drain();
    const notice = h.mailsTo('extend.me@example.org').find((m) => /more time/.test(m.subject));
    assert.ok(notice?.text.includes('Several archives to search'));
    assert.ok(notice?.text.includes('April 30, 2026'));

    const late = await postalRequest(e, 'access', 'eea', '2026-01-15');
    const tooLate = await post(e, `/v1/staff/requests/${late.body.request.id}/extend`, {
      reason: 'too late now',
    });
    assert.equal(tooLate.body.error.code, 'VOW_EXTENSION_NOT_ALLOWED');
  });

  it('extends a CCPA deadline once by 45 days', async () => {
    const e = env();
    e.clock.set('2026-01-31T09:00:00Z');
    const r = await postalRequest(e, 'deletion', 'us-ca', '2026-01-31');
    assert.equal(r.body.request.dueOn, '2026-03-17');
    e.clock.set('2026-03-17T20:00:00Z');
    const ext = await post(e, `/v1/staff/requests/${r.body.request.id}/extend`, { reason: 'Large request' });
    assert.equal(ext.body.request.dueOn, '2026-05-01');
  });

  it('a logged-in account holder is verified by the session', async () => {
    const e = env();
    // The test principal has no shopper subject: the API asks for a verified account.
    const res = await post(e, '/v1/me/requests', { type: 'access', jurisdiction: 'eea' });
    assert.equal(res.body.error.code, 'VOW_REQUEST_INVALID');
    const direct = await e.services.rights.submit(
      { type: 'access', jurisdiction: 'eea' },
      { channel: 'account', sessionSubjectId: 'subj-known' },
    );
    assert.equal(direct.status, 'in_progress');
    const view = await e.services.rights.get(direct.requestId);
    assert.equal(view.verificationMethod, 'session');
  });
});
