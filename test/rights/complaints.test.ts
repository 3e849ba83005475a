import assert from 'node:assert/strict';
import { before, it } from 'node:test';
import { describeEachDialect } from '../helpers/env.js';
import { connectHarness, type Json, post, type RightsHarness } from './helpers.js';

describeEachDialect('complaints (P25)', (env) => {
  let h: RightsHarness;
  before(() => {
    h = connectHarness(env());
  });

  it('names the regulator to escalate to by jurisdiction: us-ca the California Attorney General, eea the data protection authority', async () => {
    const e = env();
    const ca = await post(e, '/v1/complaints', {
      jurisdiction: 'us-ca',
      email: 'ca@example.org',
      message: 'You ignored me',
    });
    assert.equal(ca.status, 202);
    assert.equal(ca.body.regulator.name, 'California Attorney General');
    assert.equal(ca.body.regulator.url, 'https://oag.ca.gov/privacy');
    const eu = await post(e, '/v1/complaints', {
      jurisdiction: 'eea',
      email: 'eu@example.org',
      message: 'No answer',
    });
    assert.match(eu.body.regulator.name, /data protection authority/);
    const other = await post(e, '/v1/complaints', { jurisdiction: 'other', message: 'Hello' });
    assert.equal(other.body.regulator, null);
    await h.drain();
    const ack = h.mailsTo('ca@example.org')[0];
    assert.match(ack?.text ?? '', /California Attorney General/);
    assert.match(ack?.text ?? '', /\/privacy\/complaint\/status\//);
    const status = await e.app.inject({ url: `/v1/complaints/status/${ca.body.statusToken}` });
    assert.equal(status.json().status, 'open');
  });

  it('refuses a day of receipt that is not on the calendar (2025-02-30, 2025-99-99, year 0), storing nothing', async () => {
    const e = env();
    const before = await e.store.db
      .selectFrom('complaints')
      .select((eb) => eb.fn.countAll().as('n'))
      .executeTakeFirstOrThrow();
    for (const receivedOn of [
      '2025-02-30',
      '2025-02-29',
      '2025-13-45',
      '2025-00-00',
      '2025-99-99',
      '0000-01-01',
      '1969-12-31',
    ]) {
      const res = await post(e, '/v1/staff/complaints', {
        jurisdiction: 'eea',
        channel: 'email',
        receivedOn,
        email: 'typo@example.org',
        message: 'A letter with a typo in its date',
      });
      assert.equal(res.status, 400, receivedOn);
      assert.equal(res.body.error.code, 'VOW_REQUEST_INVALID', receivedOn);
    }
    const after = await e.store.db
      .selectFrom('complaints')
      .select((eb) => eb.fn.countAll().as('n'))
      .executeTakeFirstOrThrow();
    assert.equal(Number(after.n), Number(before.n));
  });

  it('tracks replies: the first reply time, the mailed answer with the escalation route, and the list soonest due first', async () => {
    const e = env();
    e.clock.set('2026-04-01T10:00:00Z');
    const logged = await post(e, '/v1/staff/complaints', {
      jurisdiction: 'eea',
      channel: 'email',
      receivedOn: '2026-02-20',
      email: 'late@example.org',
      message: 'Complaint by email',
    });
    assert.equal(logged.status, 201);
    assert.equal(logged.body.replyDueOn, '2026-03-20');
    assert.equal(logged.body.overdue, true);
    const list = (await e.app.inject({ url: '/v1/staff/complaints' })).json().complaints as Json[];
    const dues = list.map((c) => c.replyDueOn);
    assert.deepEqual(dues, [...dues].sort());
    const replied = await post(e, `/v1/staff/complaints/${logged.body.id}/reply`, {
      text: 'We are sorry; here is what we did.',
    });
    assert.equal(replied.body.status, 'answered');
    assert.ok(replied.body.firstReplyAt);
    assert.equal(replied.body.overdue, false);
    await h.drain();
    const answer = h.mailsTo('late@example.org').find((m) => /answer/i.test(m.subject));
    assert.match(answer?.text ?? '', /We are sorry/);
    assert.match(answer?.text ?? '', /data protection authority/);
    const detail = (await e.app.inject({ url: `/v1/staff/complaints/${logged.body.id}` })).json();
    assert.equal(detail.contact.message, 'Complaint by email');
    assert.equal(detail.replies.length, 1);
    const closed = await post(e, `/v1/staff/complaints/${logged.body.id}/close`, {});
    assert.equal(closed.body.status, 'closed');
    const stored = JSON.stringify(await e.store.db.selectFrom('complaints').selectAll().execute());
    assert.ok(!stored.includes('late@example.org') && !stored.includes('Complaint by email'));
    const audit = (await e.ctx.audit.list({ targetType: 'complaint', targetId: logged.body.id })).map(
      (a) => a.action,
    );
    assert.deepEqual(
      audit.filter((a) => a !== 'complaint.viewed'),
      ['complaint.received', 'complaint.replied', 'complaint.closed'],
    );
  });

  it('refuses an empty complaint and unknown fields', async () => {
    const e = env();
    assert.equal(
      (await post(e, '/v1/complaints', { jurisdiction: 'eea', message: '' })).body.error.code,
      'VOW_VALIDATION',
    );
    assert.equal(
      (await post(e, '/v1/complaints', { jurisdiction: 'eea', message: 'x', cc: 'boss' })).body.error.code,
      'VOW_VALIDATION',
    );
  });
});
