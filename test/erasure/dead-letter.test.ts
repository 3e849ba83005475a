// A deletion's webhook event that never reached its recipient (dead-lettered) carries the deleted
// person's identifiers, sealed under the delivery's own key, so staff can retry it. Once staff close
// the task another way (the recipient confirmed by phone, or need not act), nothing may keep them:
// the event is not sent any more, its body is dropped and its key destroyed (P22, GDPR Art. 19).
// Nor past the request's deadline when nobody closes it: the task shows as overdue, then the daily
// expiry closes it (informing that recipient proved impossible) and drops the event with its key.
import assert from 'node:assert/strict';
import { before, it } from 'node:test';
import type { OutgoingMessage } from '../../src/platform/mail/index.js';
import { address, orderBody, post } from '../collection/fixtures.js';
import { call, type Json, Receiver } from '../downstream/receivers.js';
import { describeEachDialect, testConfig } from '../helpers/env.js';
import { captureMail, verifiedRequest } from '../rights/real-flow.js';

describeEachDialect(
  'a dead-lettered deletion event',
  (env) => {
    let sent: OutgoingMessage[] = [];
    let url = '';
    before(async () => {
      sent = captureMail(env);
      // A receiver started and stopped: its port refuses every attempt.
      const gone = new Receiver(() => env().clock.now().getTime());
      await gone.start();
      url = gone.url;
      await gone.kill();
    });

    it('loses the deleted person’s identifiers when staff close its task', async () => {
      const e = env();
      const created = await call(e, 'POST', '/v1/webhooks', {
        url,
        events: ['deletion.requested'],
        recipient: 'email_service',
      });
      assert.equal(created.status, 201, JSON.stringify(created.body));
      const email = 'dora.deadletter@example.com';
      const order = orderBody('dead-1', {
        buyer: {
          name: 'Dora Deadletter',
          email,
          phone: '(608) 265-3131',
          billing_address: address('31 Deadletter Road'),
          shipping_address: address('31 Deadletter Road'),
        },
      });
      assert.equal((await post(e, '/v1/orders', order)).statusCode, 201);
      const { id } = await verifiedRequest(e, sent, { type: 'deletion', jurisdiction: 'eea', email });
      // Every attempt refused, until the event is dead-lettered (8 attempts, at most 10 h apart).
      for (let i = 0; i < 10; i++) {
        e.clock.advance(10 * 3600_000);
        await e.services.jobs.drain();
      }
      const tasks = (await call(e, 'GET', `/v1/downstream-tasks?requestId=${id}`)).body as Json[];
      const task = tasks.find((t) => t.method === 'webhook');
      assert.equal(task?.status, 'failed', JSON.stringify(tasks));
      const delivery = await e.store.db
        .selectFrom('webhook_deliveries')
        .selectAll()
        .where('id', '=', task.deliveryId)
        .executeTakeFirstOrThrow();
      assert.equal(delivery.status, 'failed');
      const key = `webhook-delivery:${delivery.id}`;
      assert.ok(
        (await e.ctx.vault.decrypt(key, delivery.sealed!))?.includes(email),
        'kept for a retry while the task is open',
      );
      assert.equal((await e.services.rights.get(id)).status, 'in_progress', 'the request waits');

      const closed = await call(e, 'POST', `/v1/downstream-tasks/${task.id}/complete`, {
        outcome: 'done',
        evidence: 'The email service confirmed the deletion by phone',
      });
      assert.equal(closed.status, 200, JSON.stringify(closed.body));
      await e.services.jobs.drain();
      assert.equal((await e.services.rights.get(id)).status, 'completed');
      const after = await e.store.db
        .selectFrom('webhook_deliveries')
        .select(['status', 'sealed', 'body'])
        .where('id', '=', delivery.id)
        .executeTakeFirstOrThrow();
      assert.deepEqual(after, { status: 'failed', sealed: null, body: null });
      const wrapped = await e.store.db
        .selectFrom('data_keys')
        .select('wrapped_key')
        .where('subject_id', '=', key)
        .executeTakeFirstOrThrow();
      assert.equal(wrapped.wrapped_key, null, 'its key is destroyed: no copy of the body opens');
      const retried = await call(e, 'POST', `/v1/webhooks/deliveries/${delivery.id}/retry`, {});
      assert.equal(retried.status, 409, 'nothing left to send');
    });

    it('past its request’s deadline, shows as overdue, then is closed by the daily expiry and loses the identifiers', async () => {
      const e = env();
      const email = 'otto.overdue@example.com';
      const order = orderBody('dead-2', {
        buyer: {
          name: 'Otto Overdue',
          email,
          phone: '(608) 265-3232',
          billing_address: address('32 Deadletter Road'),
          shipping_address: address('32 Deadletter Road'),
        },
      });
      assert.equal((await post(e, '/v1/orders', order)).statusCode, 201);
      const { id } = await verifiedRequest(e, sent, { type: 'deletion', jurisdiction: 'eea', email });
      for (let i = 0; i < 10; i++) {
        e.clock.advance(10 * 3600_000);
        await e.services.jobs.drain();
      }
      const tasksOf = async () =>
        (await call(e, 'GET', `/v1/downstream-tasks?requestId=${id}`)).body as Json[];
      const task = (await tasksOf()).find((t) => t.method === 'webhook');
      assert.equal(task?.status, 'failed');
      const dueOn = (await e.services.rights.get(id)).dueOn;
      assert.equal(task.dueOn, dueOn, 'a task is due when its request is');
      assert.equal(task.overdue, false);
      const { tasks } = e.services.downstream;
      assert.equal(await tasks.expireDeadLetters(), 0, 'before the deadline the event is kept for a retry');
      const key = `webhook-delivery:${task.deliveryId}`;
      const sealed = async () =>
        (
          await e.store.db
            .selectFrom('webhook_deliveries')
            .select('sealed')
            .where('id', '=', task.deliveryId)
            .executeTakeFirstOrThrow()
        ).sealed;
      assert.ok((await e.ctx.vault.decrypt(key, (await sealed())!))?.includes(email));

      // The day after the deadline: overdue in the API, the console's count and row.
      e.clock.set(new Date(Date.parse(`${dueOn}T12:00:00Z`) + 86_400_000));
      const late = (await tasksOf()).find((t) => t.id === task.id);
      assert.equal(late?.overdue, true);
      assert.ok((await tasks.openCounts()).overdue >= 1);
      const page = await e.app.inject({ method: 'GET', url: '/staff/downstream' });
      assert.equal(page.statusCode, 200);
      assert.match(page.body, /data-testid="task-overdue"><strong class="bad-text">[1-9]/);
      assert.match(page.body, new RegExp(`data-task="${task.id}" class="overdue"`));

      // The daily job closes it: explained by Vow, the event dropped and its key destroyed.
      await e.services.downstream.scheduleExpiry();
      await e.services.jobs.drain();
      const closed = (await tasksOf()).find((t) => t.id === task.id);
      assert.equal(closed?.status, 'explained');
      assert.match(closed.evidence, /could not be delivered by the request's deadline.*GDPR Art\. 19/);
      assert.equal(closed.overdue, false);
      assert.equal(await sealed(), null);
      const wrapped = await e.store.db
        .selectFrom('data_keys')
        .select('wrapped_key')
        .where('subject_id', '=', key)
        .executeTakeFirstOrThrow();
      assert.equal(wrapped.wrapped_key, null);
      const audit = await e.store.db
        .selectFrom('audit_log')
        .select('action')
        .where('action', '=', 'downstream.task_unreachable')
        .execute();
      assert.equal(audit.length, 1);
      assert.equal((await e.services.rights.get(id)).status, 'completed', 'the request is answered');
    });
  },
  { config: testConfig({ VOW_WEBHOOK_PRIVATE_NETWORKS: 'loopback' }) },
);
