// A deletion of a person's phone number (contact.phone, or all their contact details) reaches the
// text messages received from it that wait for staff (an unclear reply, sms_flags): the reply and the
// keyed hash of the number it is filed under go, its sealed text's key is destroyed. Before, only a
// deletion of everything removed them, and the number's keyed hash still found the person's reply.
import assert from 'node:assert/strict';
import { before, it } from 'node:test';
import type { OutgoingMessage } from '../../src/platform/mail/index.js';
import { address, orderBody, post } from '../collection/fixtures.js';
import { describeEachDialect } from '../helpers/env.js';
import { captureMail, verifiedRequest } from '../rights/real-flow.js';

describeEachDialect('a deletion of the phone number', (env) => {
  let sent: OutgoingMessage[] = [];
  before(() => {
    sent = captureMail(env);
  });

  for (const [n, category] of [
    ['1', 'contact.phone'],
    ['2', 'contact'],
    ['3', 'contact.postal_address'],
  ] as const) {
    it(`of ${category} ${category === 'contact.postal_address' ? 'leaves' : 'deletes'} the unclear replies received from it`, async () => {
      const e = env();
      const email = `tess.texter${n}@example.com`;
      const phone = `(608) 265-515${n}`;
      const e164 = `+1608265515${n}`;
      const order = orderBody(`flag-${n}`, {
        buyer: {
          name: 'Tess Texter',
          email,
          phone,
          billing_address: address(`${n}5 Texter Road`),
          shipping_address: address(`${n}5 Texter Road`),
        },
      });
      assert.equal((await post(e, '/v1/orders', order)).statusCode, 201);
      assert.equal(
        (await post(e, '/v1/sms-signups', { phone, consent_text: 'Yes, text me.' })).statusCode,
        201,
      );
      const reply = await post(e, '/v1/sms/inbound', { from: e164, body: 'please leave me alone, Tess' });
      assert.equal(reply.statusCode, 200, reply.body);
      const subjectId = (await e.services.subjects.findByEmail(email))!;
      const flags = () =>
        e.store.db
          .selectFrom('sms_flags')
          .select(['id', 'phone_index'])
          .where('phone_index', '=', e.ctx.vault.blindIndex('phone', e164))
          .execute();
      const before = await flags();
      assert.equal(before.length, 1, 'the reply waits for staff');

      await verifiedRequest(e, sent, {
        type: 'deletion',
        jurisdiction: 'eea',
        email,
        categories: [category],
      });
      const request = (await e.services.rights.queue({ includeClosed: true })).find(
        (r) => r.subjectId === subjectId && r.type === 'deletion',
      );
      assert.equal(request?.status, 'completed', JSON.stringify(request));
      const key = await e.store.db
        .selectFrom('data_keys')
        .select('wrapped_key')
        .where('subject_id', '=', `sms-flag:${before[0]!.id}`)
        .executeTakeFirst();
      if (category === 'contact.postal_address') {
        assert.equal((await flags()).length, 1, 'a deletion of the address leaves the reply');
        assert.ok(key?.wrapped_key);
      } else {
        assert.deepEqual(await flags(), [], 'no reply filed under the number');
        assert.ok(!key?.wrapped_key, 'its text’s key is destroyed');
      }
    });
  }
});
