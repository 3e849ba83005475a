// Issue 20's "done when": two webhook endpoints (real HTTP servers on loopback), a deletion, both
// receive signed, minimised events that verify with the `standardwebhooks` package; a killed
// receiver is retried on the computed schedule, then listed as failed; the request stays open
// until both recipients acknowledge with a signed callback.
import assert from 'node:assert/strict';
import { before, it } from 'node:test';
import { retryDelayMs } from '../../src/modules/downstream/index.js';
import { describeEachDialect, testConfig } from '../helpers/env.js';
import { connectHarness, type RightsHarness } from '../rights/helpers.js';
import { acknowledge, call, type Json, Receiver, verified } from './receivers.js';

describeEachDialect(
  'signed webhooks and downstream tasks',
  (env) => {
    let h: RightsHarness;
    let mailer: Receiver;
    let texter: Receiver;
    before(async () => {
      h = connectHarness(env());
      const now = () => env().clock.now().getTime();
      mailer = new Receiver(now);
      texter = new Receiver(now);
      await mailer.start();
      await texter.start();
    });

    it('a deletion reaches both systems signed and minimised, a dead receiver is retried then failed, and the request waits for both acknowledgements', async () => {
      const e = env();
      const add = async (url: string, recipient: string) => {
        const r = await call(e, 'POST', '/v1/webhooks', {
          url,
          events: ['deletion.requested', 'deletion.completed'],
          recipient,
        });
        assert.equal(r.status, 201, JSON.stringify(r.body));
        assert.match(r.body.secret, /^whsec_/);
        return r.body as { id: string; secret: string };
      };
      const mailEndpoint = await add(mailer.url, 'email_service');
      const smsEndpoint = await add(texter.url, 'sms_gateway');
      // The secret is answered once: the list never shows it.
      const listed = await call(e, 'GET', '/v1/webhooks');
      assert.equal(listed.body.length, 2);
      assert.ok(!JSON.stringify(listed.body).includes('whsec_'));

      h.world.addPerson('subj-dana', { emails: ['dana@example.org'], phones: ['+14155550123'] });
      const texterPort = texter.port;
      await texter.kill();

      const filed = await call(e, 'POST', '/v1/requests', {
        type: 'deletion',
        jurisdiction: 'eea',
        email: 'dana@example.org',
      });
      assert.equal(filed.status, 202, JSON.stringify(filed.body));
      await e.services.jobs.drain();
      const v = await call(e, 'POST', '/v1/requests/verify', {
        statusToken: filed.body.statusToken,
        code: h.codeFor('dana@example.org'),
      });
      assert.equal(v.status, 200, JSON.stringify(v.body));
      await e.services.jobs.drain();

      // The email service got the deletion, signed, with the email address only.
      assert.equal(mailer.got.length, 1);
      const toMailer = verified(mailEndpoint.secret, mailer.got[0]!);
      assert.equal(toMailer.type, 'deletion.requested');
      assert.deepEqual(toMailer.data.person, { emails: ['dana@example.org'] });
      assert.ok(!mailer.got[0]!.body.includes('4155550123'), 'no phone number to the email service');
      const requestId = toMailer.data.requestId as string;
      // A tampered body does not verify.
      assert.throws(() =>
        verified(mailEndpoint.secret, {
          ...mailer.got[0]!,
          body: mailer.got[0]!.body.replace('dana', 'dan'),
        }),
      );

      const tasks = async () =>
        (await call(e, 'GET', `/v1/downstream-tasks?requestId=${requestId}`)).body as Json[];
      const byRecipient = async (id: string) => (await tasks()).find((t) => t.recipient === id)!;
      // Every recipient the policy names gets a task; the advertisers (aggregates only) do not.
      assert.deepEqual((await tasks()).map((t) => t.recipient).sort(), [
        'carrier',
        'email_service',
        'google_analytics',
        'mail_house',
        'payment_processor',
        'sms_gateway',
      ]);
      assert.equal((await byRecipient('carrier')).method, 'email');
      assert.match((await byRecipient('sms_gateway')).waitingOn, /retry 2/);

      // The email service acknowledges; the request is still open (the SMS gateway has not).
      const ack = await acknowledge(e, mailEndpoint.secret, toMailer.data.task.ackUrl, toMailer.data.task.id);
      assert.equal(ack.statusCode, 200, ack.body);
      assert.equal((await byRecipient('email_service')).status, 'done');
      // A forged acknowledgement (wrong secret) is refused.
      const forged = await acknowledge(
        e,
        smsEndpoint.secret,
        toMailer.data.task.ackUrl,
        toMailer.data.task.id,
      );
      assert.equal(forged.statusCode, 401);

      // The dead receiver is retried on the computed schedule (no sleeping: the clock moves), then failed.
      const max = e.ctx.config.webhookMaxAttempts;
      for (let attempt = 1; attempt < max; attempt++) {
        e.clock.advance(retryDelayMs(attempt));
        await e.services.jobs.drain();
      }
      const failed = await call(e, 'GET', '/v1/webhooks/deliveries?status=failed');
      assert.equal(failed.body.length, 1, JSON.stringify(failed.body));
      assert.equal(failed.body[0].endpointId, smsEndpoint.id);
      assert.equal(failed.body[0].attempts, max);
      assert.equal(failed.body[0].lastError, 'ECONNREFUSED');
      const smsTask = await byRecipient('sms_gateway');
      assert.equal(smsTask.status, 'failed');
      assert.match(smsTask.waitingOn, /delivery failed after 8 attempts/);
      const status = await call(e, 'GET', `/v1/requests/status/${filed.body.statusToken}`);
      assert.notEqual(status.body.status, 'completed', 'the request waits for the SMS gateway');
      // The dead-letter list shows in the console.
      const page = await e.app.inject({ method: 'GET', url: '/staff/webhooks' });
      assert.equal(page.statusCode, 200);
      assert.match(page.body, new RegExp(failed.body[0].id));

      // The receiver comes back; staff retry the dead letter; it arrives signed, with the phone only.
      await texter.start(texterPort);
      assert.equal((await call(e, 'POST', `/v1/webhooks/deliveries/${failed.body[0].id}/retry`)).status, 202);
      await e.services.jobs.drain();
      assert.equal(texter.got.length, 1);
      const toTexter = verified(smsEndpoint.secret, texter.got[0]!);
      assert.deepEqual(toTexter.data.person, { phones: ['+14155550123'] });
      assert.ok(!texter.got[0]!.body.includes('dana@'), 'no email address to the SMS gateway');
      assert.equal((await byRecipient('sms_gateway')).status, 'waiting');
      assert.equal(
        (await call(e, 'GET', `/v1/requests/status/${filed.body.statusToken}`)).body.status,
        'in_progress',
      );

      // Its acknowledgement closes the last blocking task: the request is answered, and both hear of it.
      const ack2 = await acknowledge(e, smsEndpoint.secret, toTexter.data.task.ackUrl, toTexter.data.task.id);
      assert.equal(ack2.statusCode, 200, ack2.body);
      await e.services.jobs.drain();
      assert.equal(
        (await call(e, 'GET', `/v1/requests/status/${filed.body.statusToken}`)).body.status,
        'completed',
      );
      assert.equal(h.mailsTo('dana@example.org').filter((m) => /deleted/i.test(m.subject)).length, 1);
      for (const [r, secret] of [
        [mailer, mailEndpoint.secret],
        [texter, smsEndpoint.secret],
      ] as const) {
        const last = verified(secret, r.got.at(-1)!);
        assert.equal(last.type, 'deletion.completed');
        assert.equal(last.data.requestId, requestId);
        assert.equal(last.data.person, undefined);
      }
      // Delivered bodies are shredded: nothing of the person stays in the outbox.
      const rows = await e.store.db.selectFrom('webhook_deliveries').select('sealed').execute();
      assert.ok(rows.every((r) => r.sealed === null));
      await texter.kill();
      await mailer.kill();
    });

    it('a rotated secret keeps the old one signing during the switch, so receivers verify throughout', async () => {
      const e = env();
      const r = new Receiver(() => e.clock.now().getTime());
      await r.start();
      const created = (await call(e, 'POST', '/v1/webhooks', { url: r.url, events: ['deletion.completed'] }))
        .body;
      const rotated = (await call(e, 'POST', `/v1/webhooks/${created.id}/rotate`)).body;
      assert.notEqual(rotated.secret, created.secret);
      await e.services.downstream.webhooks.publishNow({
        type: 'deletion.completed',
        data: { requestId: 'r-1' },
      });
      await e.services.jobs.drain();
      // Both the old and the new secret verify the same message.
      verified(created.secret, r.got[0]!);
      verified(rotated.secret, r.got[0]!);
      assert.equal(r.got[0]!.headers['webhook-signature']!.toString().split(' ').length, 2);
      await r.kill();
    });

    it('bad endpoint input is refused with a stable code', async () => {
      const e = env();
      const bad = async (payload: Json) => (await call(e, 'POST', '/v1/webhooks', payload)).body.error?.code;
      assert.equal(
        await bad({ url: 'http://shop.example/hook', events: ['deletion.requested'] }),
        'VOW_WEBHOOK_URL_INVALID',
      );
      assert.equal(
        await bad({ url: 'https://shop.example/hook', events: ['nope'] }),
        'VOW_WEBHOOK_EVENT_UNKNOWN',
      );
      assert.equal(
        await bad({ url: 'https://shop.example/hook', events: ['deletion.requested'], recipient: 'nobody' }),
        'VOW_WEBHOOK_RECIPIENT_UNKNOWN',
      );
    });
  },
  // The receivers listen on 127.0.0.1: deliveries reach the loopback interface only when it is listed.
  { config: testConfig({ VOW_WEBHOOK_PRIVATE_NETWORKS: 'loopback' }) },
);
