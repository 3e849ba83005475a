// Red team (review round 5): a deletion's proof must not bring the deleted person back. A recipient
// reached by email (no API) confirms a deletion by replying, and the console asks staff to "record the
// confirmation you hold as evidence". That reply quotes the address it deleted ("ann@example.com was
// removed from our list"), and the task with its evidence is kept with the request log for good
// (GDPR Art. 19 proof), named to no one: the erasure registry lists it as holding no personal value,
// and it is written after the person's erasure ran, so nothing ever removed it. The evidence (and the
// explanation of an `explained` task) is now refused when it holds an email address or a phone number,
// through the API and the console alike, and the person's values appear nowhere after the deletion.
import assert from 'node:assert/strict';
import { before, it } from 'node:test';
import type { OutgoingMessage } from '../../src/platform/mail/index.js';
import { address, dumpAllRows, orderBody, post } from '../collection/fixtures.js';
import { call, type Json } from '../downstream/receivers.js';
import { describeEachDialect } from '../helpers/env.js';
import { captureMail, verifiedRequest } from '../rights/real-flow.js';

describeEachDialect('red team: a downstream task’s evidence names no one', (env) => {
  let sent: OutgoingMessage[] = [];
  before(() => {
    sent = captureMail(env);
  });

  it('refuses evidence holding the deleted person’s email address or phone number; nothing of them stays', async () => {
    const e = env();
    const email = 'erin.evidence@example.com';
    const phone = '(608) 265-4141';
    const order = orderBody('evidence-1', {
      buyer: {
        name: 'Erin Evidence',
        email,
        phone,
        billing_address: address('41 Evidence Road'),
        shipping_address: address('41 Evidence Road'),
      },
    });
    assert.equal((await post(e, '/v1/orders', order)).statusCode, 201);
    const { id } = await verifiedRequest(e, sent, { type: 'deletion', jurisdiction: 'eea', email });
    await e.services.jobs.drain();
    const tasks = (await call(e, 'GET', `/v1/downstream-tasks?requestId=${id}`)).body as unknown as Json[];
    const open = tasks.filter((t) => t.status === 'waiting' || t.status === 'failed');
    assert.ok(open.length >= 2, `open tasks to close: ${JSON.stringify(tasks)}`);
    const [byApi, byConsole] = open as [Json, Json];

    for (const evidence of [
      `Mailchimp replied: ${email} was removed from every list`,
      'Their reply: ERIN.EVIDENCE＠EXAMPLE.COM deleted',
      `The courier deleted the customer with phone ${phone}`,
      'Deleted +44 20 7946 0958 from the SMS list',
      // Plain digits named as nothing: a phone number written without separators.
      'The courier deleted customer 6082654141',
    ]) {
      const refused = await call(e, 'POST', `/v1/downstream-tasks/${byApi.id}/complete`, {
        outcome: 'done',
        evidence,
      });
      assert.equal(refused.status, 400, `${evidence}: ${JSON.stringify(refused.body)}`);
      assert.equal(refused.body.error?.code, 'VOW_VALIDATION');
      assert.doesNotMatch(JSON.stringify(refused.body), /evidence@|265-4141|7946/, 'never the value');
    }
    // The console's form: the same refusal, shown on the page; the task stays open.
    const page = await e.app.inject({
      method: 'POST',
      url: '/staff/downstream/complete',
      headers: { 'content-type': 'application/x-www-form-urlencoded', accept: 'text/html' },
      payload: new URLSearchParams({
        taskId: byConsole.id,
        outcome: 'explained',
        evidence: `No account for ${email} at this recipient`,
      }).toString(),
    });
    assert.equal(page.statusCode, 400, page.body.slice(0, 300));
    const still = (await call(e, 'GET', `/v1/downstream-tasks?requestId=${id}`)).body as unknown as Json[];
    for (const t of [byApi, byConsole])
      assert.notEqual(still.find((s) => s.id === t.id)?.status, 'done', 'not closed');

    // Words and ids still close it.
    const closed = await call(e, 'POST', `/v1/downstream-tasks/${byApi.id}/complete`, {
      outcome: 'done',
      // A ticket's number of 10 digits, named as one, is not a phone number.
      evidence: 'Mailchimp confirmed the deletion by reply on 6 December (ticket #4521003317)',
    });
    assert.equal(closed.status, 200, JSON.stringify(closed.body));
    const all = await dumpAllRows(e);
    assert.ok(!all.toLowerCase().includes(email), 'the address is nowhere in the database');
    assert.ok(!all.includes('265-4141') && !all.includes('6082654141'), 'nor the phone number');
  });
});
