import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { normaliseAddress, normaliseEmail, normalisePhone } from '../../src/modules/subjects/index.js';
import { address, catalogBody, dumpAllRows, giftRecipient, orderBody, post } from '../collection/fixtures.js';
import { describeEachDialect } from '../helpers/env.js';

describe('identifier normalisation', () => {
  it('trims and case-folds email addresses', () => {
    assert.equal(normaliseEmail('  Ann.Buyer@Example.COM '), 'ann.buyer@example.com');
  });

  it('writes phone numbers in E.164 whatever their spelling, and rejects non-numbers', () => {
    assert.equal(normalisePhone('(608) 555-0101'), '+16085550101');
    assert.equal(normalisePhone('+1 608 555 0101'), '+16085550101');
    assert.equal(normalisePhone('020 7946 0958', 'GB'), '+442079460958');
    assert.equal(normalisePhone('12'), undefined);
    assert.equal(normalisePhone('not a phone'), undefined);
  });

  it('treats the same address typed differently as the same address', () => {
    const a = normaliseAddress({
      line1: '5050 W. Ashland Way',
      city: 'Franklin',
      postal_code: '53132',
      country: 'US',
    });
    const b = normaliseAddress({
      line1: '  5050 w ashland   way ',
      city: 'FRANKLIN',
      postal_code: '53 132',
      country: 'us',
    });
    assert.equal(a, b);
    assert.notEqual(
      a,
      normaliseAddress({
        line1: '5051 W. Ashland Way',
        city: 'Franklin',
        postal_code: '53132',
        country: 'US',
      }),
    );
  });
});

describeEachDialect('subjects: found again across collection points', (env) => {
  it('finds a buyer again by email typed in another case, and links both records with their kinds', async () => {
    const order = await post(env(), '/v1/orders', orderBody('id1'));
    assert.equal(order.statusCode, 201);
    env().clock.advance(60_000);
    const entry = await post(env(), '/v1/contest-entries', { email: '  ANN.BUYERid1@Example.com ' });
    assert.equal(entry.statusCode, 201);
    assert.equal(entry.json().subjectId, order.json().subjectId);
    const subjects = env().services.subjects;
    assert.equal(await subjects.findByEmail('ann.buyerid1@example.com'), order.json().subjectId);
    assert.deepEqual(await subjects.kinds(order.json().subjectId), ['contestant', 'customer']);
    const byCategory = await subjects.kindsByCategory(order.json().subjectId);
    assert.deepEqual(byCategory['contact.email'], ['contestant', 'customer']);
    assert.deepEqual(byCategory['contact.postal_address'], ['customer']);
    const ids = await subjects.identifiers(order.json().subjectId);
    const emails = ids.filter((i) => i.kind === 'email');
    assert.deepEqual(
      emails.map((e) => [e.value, e.subjectKind, e.collectionPoint]),
      [
        ['ann.buyerid1@example.com', 'customer', 'checkout'],
        ['ann.buyerid1@example.com', 'contestant', 'contest_entry'],
      ],
    );
  });

  it('finds a person again by phone in E.164, however the number was written', async () => {
    const sms = await post(env(), '/v1/sms-signups', {
      phone: '+1 (608) 555-0177',
      consent_text: 'Yes, text me offers. Msg & data rates may apply. Reply STOP to cancel.',
    });
    assert.equal(sms.statusCode, 201);
    const subjects = env().services.subjects;
    assert.equal(await subjects.findByPhone('608.555.0177'), sms.json().subjectId);
    assert.equal(await subjects.findByPhone('+16085550177'), sms.json().subjectId);
    assert.equal(await subjects.findByPhone('608 555 0178'), undefined);
    const [phone] = await subjects.identifiers(sms.json().subjectId);
    assert.equal(phone?.value, '+16085550177');
    assert.equal(phone?.subjectKind, 'sms_subscriber');
  });

  it('finds an account holder by the shop account id', async () => {
    const reg = await post(env(), '/v1/registrations', {
      account_id: 'acct-42',
      name: 'Rita Registered',
      email: 'rita@example.com',
    });
    assert.equal(reg.statusCode, 201);
    assert.equal(await env().services.subjects.findByAccount('acct-42'), reg.json().subjectId);
    // The same account registering with a new email is still the same person.
    const again = await post(env(), '/v1/registrations', {
      account_id: 'acct-42',
      name: 'Rita Registered',
      email: 'rita.new@example.com',
    });
    assert.equal(again.json().subjectId, reg.json().subjectId);
  });

  it('finds an address-only gift recipient again by postal address, and never merges them with the buyer', async () => {
    const gift = { name: 'Pat Parcel', shipping_address: address('9 Quiet Court', { city: 'Madison' }) };
    const first = await post(env(), '/v1/orders', orderBody('addr1', { gift_recipient: gift }));
    const second = await post(
      env(),
      '/v1/orders',
      orderBody('addr2', {
        gift_recipient: { ...gift, shipping_address: address('9 quiet court.', { city: 'MADISON' }) },
      }),
    );
    assert.equal(first.statusCode, 201);
    assert.equal(second.statusCode, 201);
    assert.equal(second.json().giftRecipientSubjectId, first.json().giftRecipientSubjectId);
    assert.notEqual(first.json().giftRecipientSubjectId, first.json().subjectId);
    assert.deepEqual(await env().services.subjects.kinds(first.json().giftRecipientSubjectId), [
      'gift_recipient',
    ]);
  });

  it('makes one person of a buyer who sends a gift to their own email', async () => {
    const res = await post(
      env(),
      '/v1/orders',
      orderBody('self1', { gift_recipient: giftRecipient('self1', { email: 'ANN.BUYERself1@example.com' }) }),
    );
    assert.equal(res.statusCode, 201, res.body);
    assert.equal(res.json().giftRecipientSubjectId, res.json().subjectId);
    assert.deepEqual(await env().services.subjects.kinds(res.json().subjectId), [
      'customer',
      'gift_recipient',
    ]);
  });

  it('keeps a gift recipient who is also a buyer apart per category (kindsByCategory)', async () => {
    const own = await post(env(), '/v1/orders', orderBody('both1'));
    // Someone else sends a gift to the same person, by the same email.
    const gifted = await post(
      env(),
      '/v1/orders',
      orderBody('both2', {
        buyer: { ...orderBody('other').buyer },
        gift_recipient: giftRecipient('x', { email: 'ann.buyerboth1@example.com' }),
      }),
    );
    assert.equal(gifted.json().giftRecipientSubjectId, own.json().subjectId);
    const byCategory = await env().services.subjects.kindsByCategory(own.json().subjectId);
    assert.deepEqual(byCategory['contact.email'], ['customer', 'gift_recipient']);
    assert.deepEqual(byCategory['commerce.order_history'], ['customer']);
  });

  it('treats whoever gives the identifier of a deleted (crypto-shredded) person as a new person', async () => {
    const first = await post(env(), '/v1/contest-entries', { email: 'gone@example.com' });
    await env().ctx.vault.destroyKey(first.json().subjectId);
    const again = await post(env(), '/v1/contest-entries', { email: 'gone@example.com' });
    assert.equal(again.statusCode, 201);
    assert.notEqual(again.json().subjectId, first.json().subjectId);
    assert.equal(await env().services.subjects.findByEmail('gone@example.com'), again.json().subjectId);
    const [email] = await env().services.subjects.identifiers(again.json().subjectId);
    assert.equal(email?.value, 'gone@example.com');
  });

  it('stores no plaintext email, name, phone or address anywhere in the database', async () => {
    const body = orderBody('secret', { gift_recipient: giftRecipient('secret') });
    const phone = (body.buyer as { phone: string }).phone;
    await post(env(), '/v1/orders', body);
    await post(env(), '/v1/catalog-requests', catalogBody('secret'));
    await post(env(), '/v1/inbound-messages', {
      from: 'writer.secret@example.com',
      subject: 'Where is my ring',
      received_at: '2026-01-15T10:00:00Z',
    });
    const dump = (await dumpAllRows(env())).toLowerCase();
    for (const needle of [
      'ann.buyersecret@example.com',
      'greta.giftsecret@example.com',
      'cara.catalogsecret@example.com',
      'writer.secret@example.com',
      'ann buyer secret',
      'greta gift secret',
      'catalogsecret',
      'secret billing street',
      'secret gift lane',
      'secret catalog road',
      phone,
      `+1608265${phone.slice(-4)}`,
      'where is my ring',
    ]) {
      assert.equal(dump.includes(needle), false, `plaintext "${needle}" found in the database`);
    }
    // And the values are there, sealed: they decrypt back.
    const id = await env().services.subjects.findByEmail('ann.buyersecret@example.com');
    assert.ok(id);
    const values = (await env().services.subjects.identifiers(id)).map((i) => i.value);
    assert.ok(values.includes('ann.buyersecret@example.com'));
    assert.ok(values.includes(`+1608265${phone.slice(-4)}`));
  });

  it('answers decisions for a subject by id: known, kinds, kindsByCategory', async () => {
    const order = await post(
      env(),
      '/v1/orders',
      orderBody('dec1', { gift_recipient: giftRecipient('dec1') }),
    );
    const decide = (id: string, purpose: string, categories: string[]) =>
      post(env(), '/v1/decisions', { subject: { id }, purpose, categories });
    const buyerShip = await decide(order.json().subjectId, 'order.fulfilment', ['contact.postal_address']);
    assert.equal(buyerShip.statusCode, 200);
    assert.equal(buyerShip.json().decision, 'allow');
    const giftMarketing = await decide(order.json().giftRecipientSubjectId, 'marketing.postal', [
      'contact.postal_address',
    ]);
    assert.equal(giftMarketing.json().decision, 'deny');
    assert.ok(giftMarketing.json().reasons.some((r: { promise?: string }) => r.promise === 'P3'));
    const giftShip = await decide(order.json().giftRecipientSubjectId, 'order.fulfilment', [
      'contact.postal_address',
    ]);
    assert.equal(giftShip.json().decision, 'allow');
    const unknown = await decide('00000000-0000-4000-8000-000000000000', 'order.fulfilment', [
      'contact.email',
    ]);
    assert.equal(unknown.statusCode, 404);
    assert.equal(unknown.json().error.code, 'VOW_UNKNOWN_SUBJECT');
  });
});
