// What an access export tells the person (P20, GDPR Art. 15): for each value, the purposes that apply
// to them now (not every purpose the policy allows for the category), who received their data, and
// the shop's own order number; and staff can verify a catalog requester who also gave an email by
// the postal address they hold.
import assert from 'node:assert/strict';
import { before, it } from 'node:test';
import type { OutgoingMessage } from '../../src/platform/mail/index.js';
import { address, catalogBody, orderBody, post } from '../collection/fixtures.js';
import { describeEachDialect } from '../helpers/env.js';
import type { Json } from './helpers.js';
import { captureMail, exportLink } from './real-flow.js';

describeEachDialect('what an access export holds', (env) => {
  let sent: OutgoingMessage[] = [];
  before(() => {
    sent = captureMail(env);
  });

  async function exportOf(subjectId: string, email: string): Promise<Json> {
    const e = env();
    const r = await e.services.rights.submit(
      { type: 'access', jurisdiction: 'eea', email },
      { channel: 'account', sessionSubjectId: subjectId },
    );
    await e.services.jobs.drain();
    assert.equal((await e.services.rights.get(r.requestId)).status, 'completed');
    const link = exportLink(sent, email);
    return (await e.app.inject({ url: `${link}/data.json` })).json() as Json;
  }

  it('lists the purposes that apply to this person, the disclosure log and the shop’s order number', async () => {
    const e = env();
    const email = 'ella.export@example.com';
    const order = orderBody('exp-1', { buyer: { ...orderBody('z').buyer, email } });
    const res = await post(e, '/v1/orders', order);
    assert.equal(res.statusCode, 201);
    const subjectId = res.json().subjectId as string;
    const sentToCarrier = await post(e, '/v1/disclosures', {
      recipient: 'carrier',
      purpose: 'order.fulfilment',
      orderId: order.shop_order_id,
    });
    assert.equal(sentToCarrier.statusCode, 200);
    const doc = await exportOf(subjectId, email);
    const emailValue = doc.values.find((v: Json) => v.category === 'contact.email');
    assert.ok(emailValue.purposes.includes('marketing.email'), 'enrolled: marketing applies');
    assert.ok(!emailValue.purposes.includes('marketing.sms'), 'never an SMS purpose for an email');
    assert.ok(!emailValue.purposes.includes('support.reply'), 'not a correspondent: no reply purpose');
    assert.ok(doc.values.some((v: Json) => v.column === 'shop_order_id' && v.value === order.shop_order_id));
    assert.deepEqual(
      doc.disclosures.map((d: Json) => [d.recipient, d.purpose]),
      [['carrier', 'order.fulfilment']],
    );

    // After an unsubscribe, marketing no longer applies: the export says so.
    await e.services.consent.unsubscribe(undefined, {
      subjectId,
      channel: 'email_marketing',
      cause: { type: 'link_click' },
    });
    const after = await exportOf(subjectId, email);
    const again = after.values.find((v: Json) => v.category === 'contact.email');
    assert.ok(!again.purposes.includes('marketing.email'));
    assert.ok(again.purposes.includes('order.fulfilment'));

    // The same export in plain words, as JSON and CSV downloads: the person's values in the policy's
    // words, never a table name or a purpose code; in Spanish for a Spanish-speaking browser.
    const link = exportLink(sent, email);
    const json = await e.app.inject({ url: `${link}/readable.json` });
    assert.equal(json.statusCode, 200);
    assert.match(String(json.headers['content-disposition']), /attachment; filename="my-data.json"/);
    assert.ok(json.body.includes(email));
    assert.doesNotMatch(json.body, /subject_identifiers|consent_events|marketing\.email/);
    const csv = await e.app.inject({ url: `${link}/readable.csv`, headers: { 'accept-language': 'es' } });
    assert.equal(csv.statusCode, 200);
    assert.match(String(csv.headers['content-type']), /^text\/csv/);
    assert.ok(csv.body.includes(email));
    assert.match(csv.body, /Correo electrónico/);
    const table = await e.app.inject({ url: `${link}/csv/no_such_table` });
    assert.equal(table.statusCode, 404);
  });

  it('staff verify a catalog requester who also gave an email by their email and postal address', async () => {
    const e = env();
    const email = 'carl.catalog@example.com';
    const home = address('5 Verify Lane');
    const cat = await post(e, '/v1/catalog-requests', catalogBody('ver', { email, postal_address: home }));
    assert.equal(cat.statusCode, 201, cat.body);
    const r = await e.services.rights.submit(
      { type: 'access', jurisdiction: 'us-ca', email },
      { channel: 'postal', staffId: 'staff-1', receivedOn: '2026-01-14' },
    );
    const verified = await e.services.rights.verifyByDataPoints(
      r.requestId,
      { email, address: home },
      false,
      'staff-1',
    );
    assert.equal(verified.matched, 2);
    assert.equal(verified.method, 'data_points_2');
    assert.equal((await e.services.rights.get(r.requestId)).subjectId, cat.json().subjectId);
  });
});
