// After the datasets walker deletes a person's values (P22), the collection, subject and
// disclosure code still answer: masked values are simply absent, never a decryption error.
import assert from 'node:assert/strict';
import { it } from 'node:test';
import { describeEachDialect } from '../helpers/env.js';
import { giftRecipient, orderBody, post } from './fixtures.js';

describeEachDialect('after a deletion request', (env) => {
  it('treats masked sealed values as absent, and still discloses what remains', async () => {
    const order = await post(
      env(),
      '/v1/orders',
      orderBody('del1', { gift_recipient: giftRecipient('del1') }),
    );
    const { subjectId } = order.json();
    // As the walker masks a sealed JSON column it cannot delete (orders.buyer_sealed, mask "{}").
    await env()
      .store.db.updateTable('orders')
      .set({ buyer_sealed: '{}' })
      .where('id', '=', order.json().id)
      .execute();
    const values = await env().services.collection.recordValues(subjectId, 'order', order.json().id);
    assert.equal(values['buyer.name'], undefined);
    const res = await post(env(), '/v1/disclosures', {
      recipient: 'carrier',
      purpose: 'order.fulfilment',
      orderId: 'SO-del1',
      subjectId,
    });
    assert.equal(res.statusCode, 200, res.body);
    const fields = res.json().parties[0].fields.map((f: { field: string }) => f.field);
    assert.ok(!fields.includes('buyer.name'));
    assert.ok(fields.includes('buyer.shipping_address'));
  });

  it('keeps answering after the walker deleted everything of the buyer', async () => {
    const order = await post(
      env(),
      '/v1/orders',
      orderBody('del2', { gift_recipient: giftRecipient('del2') }),
    );
    const { subjectId } = order.json();
    await env().services.datasets.delete({ subjectIds: [subjectId] });
    assert.deepEqual(await env().services.subjects.identifiers(subjectId), []);
    const res = await post(env(), '/v1/disclosures', {
      recipient: 'carrier',
      purpose: 'order.fulfilment',
      orderId: 'SO-del2',
    });
    assert.equal(res.statusCode, 200, res.body);
    // Nothing of the buyer is left to send; the gift recipient, not deleted, still gets their parcel.
    const parties = res.json().parties as {
      subjectId: string;
      subjectKind: string;
      fields: { field: string }[];
    }[];
    assert.equal(parties.filter((p) => p.subjectId === subjectId).length, 0);
    const gift = parties.find((p) => p.subjectKind === 'gift_recipient');
    assert.deepEqual(gift?.fields.map((f) => f.field).sort(), [
      'gift_recipient.name',
      'gift_recipient.shipping_address',
    ]);
  });
});
