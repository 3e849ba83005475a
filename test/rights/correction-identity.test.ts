// P21 corrections over the real modules: a corrected email or phone is what finds the person from
// then on (every look-up recomputed), the old one no longer does, the value is stored normalised
// (email lower-cased, phone in E.164), and the person's next request from the corrected address is
// verified and answered.
import assert from 'node:assert/strict';
import { before, it } from 'node:test';
import type { OutgoingMessage } from '../../src/platform/mail/index.js';
import { address, orderBody, post } from '../collection/fixtures.js';
import { describeEachDialect, type TestEnv } from '../helpers/env.js';
import { approvedCorrection, captureMail, verifiedRequest } from './real-flow.js';

describeEachDialect('a correction changes who the person is found by', (env) => {
  let sent: OutgoingMessage[] = [];
  before(() => {
    sent = captureMail(env);
  });

  async function correct(e: TestEnv, email: string, category: string, value: string): Promise<void> {
    const id = await approvedCorrection(e, sent, email, { category, value });
    await e.services.jobs.drain();
    assert.equal((await e.services.rights.get(id)).status, 'completed');
  }

  async function person(e: TestEnv, n: string, email: string, phone: string): Promise<string> {
    const body = orderBody(`cid-${n}`, {
      buyer: {
        name: `Cory Correct ${n}`,
        email,
        phone,
        billing_address: address(`${n} Correct Road`),
        shipping_address: address(`${n} Correct Road`),
      },
    });
    assert.equal((await post(e, '/v1/orders', body)).statusCode, 201);
    return (await e.services.subjects.findByEmail(email))!;
  }

  it('an approved email correction: found by the new address only, and a request from it is answered', async () => {
    const e = env();
    const subjectId = await person(e, 'e', 'cory.old@example.com', '(608) 265-3301');
    await correct(e, 'cory.old@example.com', 'contact.email', '  Cory.New@Example.COM ');
    assert.equal(await e.services.subjects.findByEmail('cory.new@example.com'), subjectId);
    assert.equal(await e.services.subjects.findByEmail('cory.old@example.com'), undefined);
    const emails = (await e.services.subjects.identifiers(subjectId)).filter((i) => i.kind === 'email');
    assert.deepEqual([...new Set(emails.map((i) => i.value))], ['cory.new@example.com']);
    const { id } = await verifiedRequest(e, sent, {
      type: 'access',
      jurisdiction: 'us-ca',
      email: 'cory.new@example.com',
    });
    const view = await e.services.rights.get(id);
    assert.equal(view.subjectId, subjectId);
    assert.equal(view.status, 'completed', JSON.stringify(view));
    assert.ok(sent.some((m) => m.to === 'cory.new@example.com' && /ready/.test(m.subject)));
  });

  it('an approved phone correction is stored in E.164 and finds the person; the old number does not', async () => {
    const e = env();
    const subjectId = await person(e, 'p', 'cory.phone@example.com', '(608) 265-3302');
    await correct(e, 'cory.phone@example.com', 'contact.phone', '(608) 265-3399');
    const phones = (await e.services.subjects.identifiers(subjectId)).filter((i) => i.kind === 'phone');
    assert.deepEqual([...new Set(phones.map((i) => i.value))], ['+16082653399']);
    assert.equal(await e.services.subjects.findByPhone('+16082653399'), subjectId);
    assert.equal(await e.services.subjects.findByPhone('(608) 265-3302', 'US'), undefined);
  });

  it('a correction to a value that is not an email or a phone is refused at intake, before anything changes', async () => {
    const e = env();
    await person(e, 'x', 'cory.bad@example.com', '(608) 265-3303');
    for (const [category, value] of [
      ['contact.email', 'not an address'],
      ['contact.phone', '12'],
    ]) {
      const r = await post(e, '/v1/requests', {
        type: 'correction',
        jurisdiction: 'us-ca',
        email: 'cory.bad@example.com',
        correction: { category, value },
      });
      assert.equal(r.statusCode, 400, r.body);
      assert.equal(r.json().error.code, 'VOW_REQUEST_INVALID');
    }
  });
});
