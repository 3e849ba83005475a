// A deletion's webhook event that never reached its recipient (dead-lettered) carries the deleted
// person's identifiers, sealed under the delivery's own key, so staff can retry it. Once staff close
// the task another way (the recipient confirmed by phone, or need not act), nothing may keep them:
// the event is not sent any more, its body is dropped and its key destroyed (P22, GDPR Art. 19).
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
  },
  { config: testConfig({ VOW_WEBHOOK_PRIVATE_NETWORKS: 'loopback' }) },
);
