// Disclosures to recipients (P2, P3, P4, P19): only what the policy lets the recipient have for
// the purpose, logged without values; everything else refused with VOW_DISCLOSURE_DENIED.
import assert from 'node:assert/strict';
import { it } from 'node:test';
import { describeEachDialect } from '../helpers/env.js';
import { catalogBody, giftRecipient, orderBody, post } from './fixtures.js';

type Party = {
  subjectId: string;
  subjectKind: string;
  fields: { field: string; category: string; value: unknown }[];
};

describeEachDialect('disclosures', (env) => {
  it("gives the carrier only names, addresses and phones of an order, never an email; the gift recipient's contact only as shipping needs", async () => {
    const order = await post(env(), '/v1/orders', orderBody('d1', { gift_recipient: giftRecipient('d1') }));
    const res = await post(env(), '/v1/disclosures', {
      recipient: 'carrier',
      purpose: 'order.fulfilment',
      orderId: 'SO-d1',
    });
    assert.equal(res.statusCode, 200, res.body);
    const body = res.json();
    const parties = body.parties as Party[];
    const gift = parties.find((p) => p.subjectKind === 'gift_recipient')!;
    const buyer = parties.find((p) => p.subjectKind === 'customer')!;
    assert.equal(gift.subjectId, order.json().giftRecipientSubjectId);
    assert.deepEqual(gift.fields.map((f) => f.field).sort(), [
      'gift_recipient.name',
      'gift_recipient.shipping_address',
    ]);
    assert.equal(gift.fields.find((f) => f.field === 'gift_recipient.name')?.value, 'Greta Gift d1');
    const shipTo = gift.fields.find((f) => f.field === 'gift_recipient.shipping_address');
    assert.equal((shipTo?.value as { line1?: string } | undefined)?.line1, 'd1 Gift Lane');
    const buyerFields = buyer.fields.map((f) => f.field);
    assert.ok(buyerFields.includes('buyer.name'));
    assert.ok(buyerFields.includes('buyer.phone'));
    for (const p of parties) for (const f of p.fields) assert.notEqual(f.category, 'contact.email');
    for (const p of parties) for (const f of p.fields) assert.notEqual(f.category, 'commerce.order_history');
    // Only as needed (P2): the carrier ships to the shipping address; the billing address is the
    // payment processor's business.
    assert.ok(!buyerFields.includes('buyer.billing_address'), 'the carrier never gets the billing address');

    // For delivery confirmation the gift recipient's email may go to the email service (P3).
    const confirm = await post(env(), '/v1/disclosures', {
      recipient: 'email_service',
      purpose: 'order.delivery_confirmation',
      orderId: 'SO-d1',
      subjectId: order.json().giftRecipientSubjectId,
      categories: ['contact.email'],
    });
    assert.equal(confirm.statusCode, 200, confirm.body);
    assert.deepEqual(confirm.json().parties[0].fields, [
      { field: 'gift_recipient.email', category: 'contact.email', value: 'greta.giftd1@example.com' },
    ]);
  });

  it('gives the payment processor the billing address, name, email and total for payment, never the shipping or gift address', async () => {
    await post(env(), '/v1/orders', orderBody('d7', { gift_recipient: giftRecipient('d7') }));
    const res = await post(env(), '/v1/disclosures', {
      recipient: 'payment_processor',
      purpose: 'order.payment',
      orderId: 'SO-d7',
    });
    assert.equal(res.statusCode, 200, res.body);
    const fields = (res.json().parties as Party[]).flatMap((p) => p.fields.map((f) => f.field)).sort();
    assert.ok(fields.includes('buyer.billing_address'));
    for (const f of ['buyer.shipping_address', 'gift_recipient.shipping_address', 'gift_recipient.name'])
      assert.ok(!fields.includes(f), f);
    const carrierForPayment = await post(env(), '/v1/disclosures', {
      recipient: 'carrier',
      purpose: 'order.payment',
      orderId: 'SO-d7',
    });
    assert.equal(carrierForPayment.statusCode, 403);
  });

  it('gives each value only for the purposes its form field serves: the billing address for fraud checks, not the shipping address or the name', async () => {
    await post(env(), '/v1/orders', orderBody('d6'));
    const res = await post(env(), '/v1/disclosures', {
      recipient: 'payment_processor',
      purpose: 'security.fraud_prevention',
      orderId: 'SO-d6',
    });
    assert.equal(res.statusCode, 200, res.body);
    const fields = (res.json().parties[0] as Party).fields.map((f) => f.field).sort();
    // The policy's checkout form gives the billing address (alone) the fraud-prevention purpose.
    assert.deepEqual(fields, ['buyer.billing_address']);
    const withheld = res.json().withheld.map((w: { field: string }) => w.field);
    for (const f of ['buyer.shipping_address', 'buyer.email', 'buyer.name'])
      assert.ok(withheld.includes(f), `${f} withheld`);
  });

  it("refuses a gift recipient's address to the mail house for marketing (P3), and audits the refusal", async () => {
    const order = await post(env(), '/v1/orders', orderBody('d2', { gift_recipient: giftRecipient('d2') }));
    const giftId = order.json().giftRecipientSubjectId;
    const res = await post(env(), '/v1/disclosures', {
      recipient: 'mail_house',
      purpose: 'marketing.postal',
      subjectId: giftId,
      categories: ['contact.postal_address'],
    });
    assert.equal(res.statusCode, 403);
    assert.equal(res.json().error.code, 'VOW_DISCLOSURE_DENIED');
    assert.doesNotMatch(res.body, /Gift Lane|Greta/);
    const reasons = res
      .json()
      .error.details.withheld.flatMap((w: { reasons: { promise?: string }[] }) => w.reasons);
    assert.ok(reasons.some((r: { promise?: string }) => r.promise === 'P3'));
    // Nor without naming categories: nothing may go.
    const implicit = await post(env(), '/v1/disclosures', {
      recipient: 'mail_house',
      purpose: 'marketing.postal',
      subjectId: giftId,
    });
    assert.equal(implicit.statusCode, 403);
    const audit = await env().ctx.audit.list({ targetType: 'subject', targetId: giftId });
    assert.equal(audit.filter((a) => a.action === 'disclosure.refused').length, 2);
    assert.equal(
      (await env().store.db.selectFrom('disclosures').selectAll().where('subject_id', '=', giftId).execute())
        .length,
      0,
    );
  });

  it('refuses any contact data to Google Analytics (P19) and a return address to anyone but the reply (P4)', async () => {
    const reg = await post(env(), '/v1/registrations', {
      account_id: 'acct-ga',
      name: 'Gail',
      email: 'gail@example.com',
    });
    for (const categories of [['contact.email'], ['identity.name'], ['contact']]) {
      const res = await post(env(), '/v1/disclosures', {
        recipient: 'google_analytics',
        purpose: 'analytics.site_improvement',
        subjectId: reg.json().subjectId,
        categories,
      });
      assert.equal(res.statusCode, 403, JSON.stringify(categories));
      assert.equal(res.json().error.code, 'VOW_DISCLOSURE_DENIED');
    }
    const inbound = await post(env(), '/v1/inbound-messages', {
      from: 'asker.d3@example.com',
      subject: 'Hello',
      received_at: '2026-01-15T10:00:00Z',
    });
    const marketing = await post(env(), '/v1/disclosures', {
      recipient: 'email_service',
      purpose: 'marketing.email',
      recordId: inbound.json().id,
    });
    assert.equal(marketing.statusCode, 403);
    const reply = await post(env(), '/v1/disclosures', {
      recipient: 'email_service',
      purpose: 'support.reply',
      recordId: inbound.json().id,
    });
    assert.equal(reply.statusCode, 200);
    assert.deepEqual(
      reply.json().parties[0].fields.map((f: { field: string }) => f.field),
      ['from'],
    );
  });

  it('sends catalog requesters to the mail house (P12) and logs what went where without values', async () => {
    const cat = await post(env(), '/v1/catalog-requests', catalogBody('d4'));
    const subjectId = cat.json().subjectId;
    const res = await post(env(), '/v1/disclosures', {
      recipient: 'mail_house',
      purpose: 'marketing.postal',
      subjectId,
    });
    assert.equal(res.statusCode, 200, res.body);
    const fields = (res.json().parties[0] as Party).fields.map((f) => f.field).sort();
    assert.deepEqual(fields, ['first_name', 'last_name', 'postal_address']);

    const log = await post(env(), '/v1/disclosures/search', { subjectId });
    assert.equal(log.statusCode, 200);
    assert.equal(log.json().disclosures.length, 1);
    const entry = log.json().disclosures[0];
    assert.equal(entry.recipient, 'mail_house');
    assert.equal(entry.purpose, 'marketing.postal');
    assert.deepEqual(entry.categories, ['contact.postal_address', 'identity.name']);
    assert.deepEqual(entry.rules, ['catalog-requester-postal']);
    assert.equal(entry.disclosureId, res.json().disclosureId);
    const stored = JSON.stringify(await env().store.db.selectFrom('disclosures').selectAll().execute());
    assert.doesNotMatch(stored, /Cara|Catalogd4|Catalog Road/i);
    const audit = await env().ctx.audit.list({ targetType: 'subject', targetId: subjectId });
    const sent = audit.find((a) => a.action === 'disclosure.sent');
    assert.ok(sent);
    assert.doesNotMatch(sent.details, /Cara|Catalog Road/);
  });

  it('stops a disclosure when the person opted out or restricted processing', async () => {
    const cat = await post(env(), '/v1/catalog-requests', catalogBody('d5'));
    const subjectId = cat.json().subjectId;
    await env().services.consent.suppress(undefined, {
      subjectId,
      channel: 'postal_marketing',
      reason: 'Asked customer service to stop the catalog',
    });
    const res = await post(env(), '/v1/disclosures', {
      recipient: 'mail_house',
      purpose: 'marketing.postal',
      subjectId,
    });
    assert.equal(res.statusCode, 403);
    const codes = res
      .json()
      .error.details.withheld.flatMap((w: { reasons: { code: string }[] }) => w.reasons.map((r) => r.code));
    assert.ok(codes.includes('objected'));

    // A restriction of processing (P23) stops it too.
    const order = await post(env(), '/v1/orders', orderBody('d5'));
    await env()
      .store.db.insertInto('restrictions')
      .values({
        id: env().ctx.random.uuid(),
        subject_id: order.json().subjectId,
        scope: 'all',
        started_at: env().clock.now().toISOString(),
        lifted_at: null,
        request_id: null,
      })
      .execute();
    const restricted = await post(env(), '/v1/disclosures', {
      recipient: 'carrier',
      purpose: 'order.fulfilment',
      orderId: 'SO-d5',
    });
    assert.equal(restricted.statusCode, 403);
    assert.match(restricted.body, /"restricted"/);
  });

  it('answers unknown names and missing things with stable codes', async () => {
    const cases: [unknown, number, string][] = [
      [
        { recipient: 'the_press', purpose: 'order.fulfilment', orderId: 'SO-d1' },
        400,
        'VOW_UNKNOWN_RECIPIENT',
      ],
      [{ recipient: 'carrier', purpose: 'resale', orderId: 'SO-d1' }, 400, 'VOW_UNKNOWN_PURPOSE'],
      [
        { recipient: 'carrier', purpose: 'order.fulfilment', orderId: 'SO-d1', categories: ['x.y'] },
        400,
        'VOW_UNKNOWN_CATEGORY',
      ],
      [{ recipient: 'carrier', purpose: 'order.fulfilment', orderId: 'SO-none' }, 404, 'VOW_NOT_FOUND'],
      [
        {
          recipient: 'carrier',
          purpose: 'order.fulfilment',
          subjectId: '00000000-0000-4000-8000-000000000000',
        },
        404,
        'VOW_UNKNOWN_SUBJECT',
      ],
      [{ recipient: 'carrier', purpose: 'order.fulfilment' }, 400, 'VOW_VALIDATION'],
      [
        { recipient: 'carrier', purpose: 'order.fulfilment', orderId: 'SO-d1', email: 'x@example.com' },
        400,
        'VOW_VALIDATION',
      ],
    ];
    for (const [payload, status, code] of cases) {
      const res = await post(env(), '/v1/disclosures', payload);
      assert.equal(res.statusCode, status, JSON.stringify(payload));
      assert.equal(res.json().error.code, code);
    }
    const noGet = await env().app.inject({ method: 'GET', url: '/v1/disclosures?subject=x' });
    assert.ok(noGet.statusCode === 404 || noGet.statusCode === 405);
  });
});
