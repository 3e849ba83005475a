// GDPR Art. 19 for corrections (P21): an approved correction opens a task per recipient of the
// corrected category and sends a signed `subject.corrected` event carrying only what that recipient
// already receives; a recipient that never got the category is told nothing. The task is opened once,
// its delivery is retried on the computed schedule, and the request is answered once it is
// acknowledged.
import assert from 'node:assert/strict';
import { after, before, it } from 'node:test';
import { retryDelayMs } from '../../src/modules/downstream/index.js';
import type { OutgoingMessage } from '../../src/platform/mail/index.js';
import { address, orderBody, post } from '../collection/fixtures.js';
import { describeEachDialect, type TestEnv, testConfig } from '../helpers/env.js';
import { approvedCorrection as approve, captureMail } from '../rights/real-flow.js';
import { acknowledge, call, type Json, Receiver, verified } from './receivers.js';

describeEachDialect(
  'corrections reach the recipients',
  (env) => {
    let sent: OutgoingMessage[] = [];
    let mailer: Receiver;
    let texter: Receiver;
    let printer: Receiver;
    before(async () => {
      sent = captureMail(env);
      const now = () => env().clock.now().getTime();
      mailer = new Receiver(now);
      texter = new Receiver(now);
      printer = new Receiver(now);
      for (const r of [mailer, texter, printer]) await r.start();
    });
    after(async () => {
      for (const r of [mailer, texter, printer]) await r.kill().catch(() => {});
    });

    const endpoint = async (e: TestEnv, url: string, recipient: string) => {
      const r = await call(e, 'POST', '/v1/webhooks', { url, events: ['subject.corrected'], recipient });
      assert.equal(r.status, 201, JSON.stringify(r.body));
      return r.body as { id: string; secret: string };
    };

    /** A buyer, a correction filed from their address and approved by staff; returns its id. */
    async function approvedCorrection(e: TestEnv, n: string, category: string, value: string) {
      const email = `cora.${n}@example.com`;
      const body = orderBody(`down-${n}`, {
        buyer: {
          name: `Cora Before ${n}`,
          email,
          phone: `(608) 265-44${n}`,
          billing_address: address(`${n} Before Road`),
          shipping_address: address(`${n} Before Road`),
        },
      });
      assert.equal((await post(e, '/v1/orders', body)).statusCode, 201);
      const subjectId = await e.services.subjects.findByEmail(email);
      const id = await approve(e, sent, email, { category, value });
      return { id, email, subjectId };
    }

    const tasksOf = async (e: TestEnv, requestId: string) =>
      (await call(e, 'GET', `/v1/downstream-tasks?requestId=${requestId}`)).body as Json[];

    it('an email correction: the email service gets the old and the new address signed, the SMS gateway nothing, and the request waits for the acknowledgement', async () => {
      const e = env();
      const mailEndpoint = await endpoint(e, mailer.url, 'email_service');
      await endpoint(e, texter.url, 'sms_gateway');
      const mailerPort = mailer.port;
      await mailer.kill();
      const { id, email, subjectId } = await approvedCorrection(
        e,
        '01',
        'contact.email',
        'cora.after01@example.com',
      );
      await e.services.jobs.drain();

      // One task per recipient of contact.email; none for the SMS gateway, which never got it.
      const tasks = await tasksOf(e, id);
      assert.deepEqual(tasks.map((t) => t.recipient).sort(), ['email_service', 'payment_processor']);
      assert.ok(tasks.every((t) => t.kind === 'correction'));
      const mailTask = tasks.find((t) => t.recipient === 'email_service')!;
      assert.equal(mailTask.method, 'webhook');
      assert.equal(mailTask.blocking, true);
      assert.match(mailTask.waitingOn, /retry 2/);
      assert.equal(texter.got.length, 0, 'the SMS gateway is told nothing');
      // Vow's own copies are corrected already; the answer waits for the email service.
      assert.equal(await e.services.subjects.findByEmail('cora.after01@example.com'), subjectId);
      assert.equal((await e.services.rights.get(id)).status, 'in_progress');

      // Opening the request's tasks again (a retried job) opens nothing more.
      const again = await e.services.downstream.tasks.open({
        requestId: id,
        kind: 'correction',
        scope: ['contact.email'],
      });
      assert.deepEqual(again, { tasks: 2, blocking: 1 });
      assert.equal((await tasksOf(e, id)).length, 2);

      // The receiver comes back: the next attempt, at its computed time, delivers the event.
      await mailer.start(mailerPort);
      e.clock.advance(retryDelayMs(1));
      await e.services.jobs.drain();
      assert.equal(mailer.got.length, 1);
      const event = verified(mailEndpoint.secret, mailer.got[0]!);
      assert.equal(event.type, 'subject.corrected');
      assert.equal(event.data.requestId, id);
      assert.equal(event.data.category, 'contact.email');
      assert.deepEqual(event.data.person, {
        emails: [email],
        corrected: { category: 'contact.email', value: 'cora.after01@example.com' },
      });
      assert.ok(!mailer.got[0]!.body.includes('26544'), 'no phone number to the email service');
      assert.ok(!mailer.got[0]!.body.includes('Before Road'), 'no postal address to the email service');

      const ack = await acknowledge(e, mailEndpoint.secret, event.data.task.ackUrl, event.data.task.id);
      assert.equal(ack.statusCode, 200, ack.body);
      await e.services.jobs.drain();
      const answered = await e.services.rights.get(id);
      assert.equal(answered.status, 'completed', JSON.stringify(answered));
      assert.equal(sent.filter((m) => m.to === email && /corrected/i.test(m.subject)).length, 1);
      // Delivered: the body is shredded.
      const bodies = await e.store.db.selectFrom('webhook_deliveries').select(['sealed', 'body']).execute();
      assert.ok(bodies.every((b) => b.sealed === null && b.body === null));
      const removed = await e.app.inject({ method: 'DELETE', url: `/v1/webhooks/${mailEndpoint.id}` });
      assert.equal(removed.statusCode, 204);
    });

    it('a name correction: the mail house gets the new name with the address it holds, the SMS gateway nothing, and drafted emails carry only what each recipient receives', async () => {
      const e = env();
      const printEndpoint = await endpoint(e, printer.url, 'mail_house');
      await endpoint(e, texter.url, 'sms_gateway');
      const before = texter.got.length;
      const { id, email } = await approvedCorrection(e, '02', 'identity.name', 'Cora Afterwards');
      await e.services.jobs.drain();

      const tasks = await tasksOf(e, id);
      assert.deepEqual(tasks.map((t) => t.recipient).sort(), [
        'carrier',
        'email_service',
        'mail_house',
        'payment_processor',
      ]);
      assert.equal(texter.got.length, before, 'the SMS gateway never got the name: no event');
      const event = verified(printEndpoint.secret, printer.got.at(-1)!);
      assert.equal(event.type, 'subject.corrected');
      assert.deepEqual(event.data.person, {
        addresses: [address('02 Before Road')],
        corrected: { category: 'identity.name', value: 'Cora Afterwards' },
      });
      // The carrier has no API: a drafted email with the phone and address it holds, never the email.
      const carrier = tasks.find((t) => t.recipient === 'carrier')!;
      assert.equal(carrier.method, 'email');
      const draft = (await call(e, 'GET', `/v1/downstream-tasks/${carrier.id}/draft`)).body;
      assert.match(draft.subject, /Correction request/);
      assert.match(draft.text, /Cora Afterwards/);
      assert.match(draft.text, /\+160826544/);
      assert.match(draft.text, /02 Before Road/);
      assert.ok(!draft.text.includes(email), draft.text);

      assert.equal((await e.services.rights.get(id)).status, 'in_progress');
      const ack = await acknowledge(e, printEndpoint.secret, event.data.task.ackUrl, event.data.task.id);
      assert.equal(ack.statusCode, 200, ack.body);
      await e.services.jobs.drain();
      assert.equal((await e.services.rights.get(id)).status, 'completed');
    });
  },
  // The receivers listen on 127.0.0.1: deliveries reach the loopback interface only when it is listed.
  { config: testConfig({ VOW_WEBHOOK_PRIVATE_NETWORKS: 'loopback' }) },
);
