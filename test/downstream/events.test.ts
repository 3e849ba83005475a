// The events besides requests: a grant, a suppression (an opt-out: its downstream task travels in the
// consent.withdrawn event, minimised to the recipient), and the under-13 purge, each signed.
import assert from 'node:assert/strict';
import { after, before, it } from 'node:test';
import { describeEachDialect, testConfig } from '../helpers/env.js';
import { acknowledge, call, type Json, Receiver, verified } from './receivers.js';

describeEachDialect(
  'webhook events of consent, suppression and the under-13 purge',
  (env) => {
    let r: Receiver;
    let secret = '';
    before(async () => {
      const e = env();
      r = new Receiver(() => e.clock.now().getTime());
      await r.start();
      const created = await call(e, 'POST', '/v1/webhooks', {
        url: r.url,
        events: ['consent.granted', 'consent.withdrawn', 'suppression.added', 'subject.under13_purged'],
        recipient: 'email_service',
      });
      assert.equal(created.status, 201, JSON.stringify(created.body));
      secret = created.body.secret;
    });
    after(() => r.kill());

    const events = (): Json[] => r.got.map((m) => verified(secret, m));

    it('a contest entry is announced as a grant, without any personal value', async () => {
      const e = env();
      const entry = await call(e, 'POST', '/v1/contest-entries', { email: 'eve@example.org' });
      assert.equal(entry.status, 201, JSON.stringify(entry.body));
      await e.services.jobs.drain();
      const granted = events().find((m) => m.type === 'consent.granted');
      assert.deepEqual(granted?.data, { subjectId: entry.body.subjectId, channel: 'email_marketing' });
      assert.ok(!r.got.some((m) => m.body.includes('eve@')), 'a grant carries no address');
    });

    it('a suppression is an opt-out: the email service gets a task with the address, and closes it by a signed acknowledgement', async () => {
      const e = env();
      const subjectId = events().find((m) => m.type === 'consent.granted')!.data.subjectId as string;
      const sup = await call(e, 'POST', '/v1/suppressions', {
        subjectId,
        channel: 'email_marketing',
        reason: 'asked on the phone',
      });
      assert.equal(sup.status, 201, JSON.stringify(sup.body));
      await e.services.jobs.drain();
      assert.ok(events().some((m) => m.type === 'suppression.added' && m.data.subjectId === subjectId));
      const withdrawn = events().find((m) => m.type === 'consent.withdrawn')!;
      assert.deepEqual(withdrawn.data.person, { emails: ['eve@example.org'] });
      assert.equal(withdrawn.data.channel, 'email_marketing');
      const open = (await call(e, 'GET', '/v1/downstream-tasks?open=true')).body as Json[];
      const task = open.find((t) => t.id === withdrawn.data.task.id)!;
      assert.equal(task.kind, 'opt_out');
      assert.equal(task.recipient, 'email_service');
      assert.equal(task.blocking, false);
      const ack = await acknowledge(e, secret, withdrawn.data.task.ackUrl, task.id);
      assert.equal(ack.statusCode, 200, ack.body);
      const after = (await call(e, 'GET', '/v1/downstream-tasks?open=true')).body as Json[];
      assert.ok(!after.some((t) => t.id === task.id));
    });

    it('the under-13 purge is announced so every system purges the person too', async () => {
      const e = env();
      const entry = await call(e, 'POST', '/v1/contest-entries', { email: 'kid@example.org' });
      await e.services.subjects.markUnder13(entry.body.subjectId, { type: 'system' }, 'test');
      await e.services.jobs.drain();
      const purged = events().find((m) => m.type === 'subject.under13_purged');
      assert.deepEqual(purged?.data, { subjectId: entry.body.subjectId });
      // Delivered: nothing of the event stays in the outbox.
      const left = await e.store.db.selectFrom('webhook_deliveries').select(['sealed', 'body']).execute();
      assert.ok(left.every((d) => d.sealed === null && d.body === null));
    });
  },
  // The receivers listen on 127.0.0.1: deliveries reach the loopback interface only when it is listed.
  { config: testConfig({ VOW_WEBHOOK_PRIVATE_NETWORKS: 'loopback' }) },
);
