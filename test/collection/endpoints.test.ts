import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { it } from 'node:test';
import { describeEachDialect } from '../helpers/env.js';
import { address, catalogBody, countAllRows, giftRecipient, nextPhone, orderBody, post } from './fixtures.js';

describeEachDialect('collection endpoints', (env) => {
  it('records an order with its collection point, policy version and the purposes of each field', async () => {
    const res = await post(env(), '/v1/orders', orderBody('c1', { gift_recipient: giftRecipient('c1') }));
    assert.equal(res.statusCode, 201);
    const { id, subjectId, giftRecipientSubjectId } = res.json();
    assert.ok(id && subjectId && giftRecipientSubjectId);
    const db = env().store.db;
    const order = await db.selectFrom('orders').selectAll().where('id', '=', id).executeTakeFirstOrThrow();
    assert.equal(order.shop_order_id, 'SO-c1');
    assert.equal(order.policy_version, env().ctx.policy.version);
    assert.equal(Number(order.total_cents), 129900);
    const links = await db.selectFrom('subject_records').selectAll().where('record_id', '=', id).execute();
    const buyer = links.find((l) => l.subject_id === subjectId)!;
    const gift = links.find((l) => l.subject_id === giftRecipientSubjectId)!;
    assert.equal(buyer.collection_point, 'checkout');
    assert.equal(buyer.subject_kind, 'customer');
    assert.equal(gift.subject_kind, 'gift_recipient');
    assert.equal(buyer.policy_version, env().ctx.policy.version);
    const giftFields = JSON.parse(gift.fields);
    assert.deepEqual(giftFields['gift_recipient.email'], {
      category: 'contact.email',
      purposes: ['order.delivery_confirmation'],
    });
    assert.equal(giftFields['buyer.email'], undefined);
    assert.deepEqual(JSON.parse(buyer.fields)['buyer.email'].purposes, [
      'order.payment',
      'order.fulfilment',
      'order.delivery_confirmation',
      'marketing.email',
    ]);
  });

  it('is idempotent on the shop order id: same body 200 with the same answer, different body 409', async () => {
    const body = orderBody('idem');
    const first = await post(env(), '/v1/orders', body);
    assert.equal(first.statusCode, 201);
    const before = await countAllRows(env());
    const again = await post(env(), '/v1/orders', body);
    assert.equal(again.statusCode, 200);
    assert.deepEqual(again.json(), first.json());
    const changed = await post(env(), '/v1/orders', { ...body, total_cents: 1 });
    assert.equal(changed.statusCode, 409);
    assert.equal(changed.json().error.code, 'VOW_ORDER_CONFLICT');
    assert.deepEqual(await countAllRows(env()), before);
  });

  it('records a registration with gender as a plain answer and its date', async () => {
    const res = await post(env(), '/v1/registrations', {
      account_id: 'acct-r1',
      name: 'Rae Reg',
      email: 'rae@example.com',
      postal_address: address('1 Reg Street'),
      gender: 'female',
      catalog_opt_in: false,
      registered_at: '2026-01-10T09:00:00Z',
    });
    assert.equal(res.statusCode, 201);
    const row = await env()
      .store.db.selectFrom('registrations')
      .selectAll()
      .where('id', '=', res.json().id)
      .executeTakeFirstOrThrow();
    assert.equal(row.gender, 'female');
    assert.equal(row.registered_at, '2026-01-10T09:00:00.000Z');
    assert.equal(row.catalog_opt_in, 0);
    const bad = await post(env(), '/v1/registrations', {
      account_id: 'acct-r2',
      name: 'X',
      email: 'x@example.com',
      gender: 'robot',
    });
    assert.equal(bad.statusCode, 400);
    assert.equal(bad.json().error.code, 'VOW_VALIDATION');
  });

  it("records a catalog request with exactly the form's allowed answers, from the policy", async () => {
    const res = await post(env(), '/v1/catalog-requests', catalogBody('k1', { gender: 'no_thanks' }));
    assert.equal(res.statusCode, 201);
    const row = await env()
      .store.db.selectFrom('catalog_requests')
      .selectAll()
      .where('id', '=', res.json().id)
      .executeTakeFirstOrThrow();
    assert.deepEqual(JSON.parse(row.jewelry_types), ['engagement_ring', 'wedding_band']);
    assert.equal(row.budget, '1000_2000');
    assert.equal(row.gender, 'no_thanks');
    const fields = env().ctx.policy.doc.collection_points.catalog_request!.fields;
    for (const name of ['relationship_status', 'budget', 'age_range', 'residence_type']) {
      for (const v of fields[name]!.values!) {
        const ok = await post(env(), '/v1/catalog-requests', catalogBody(`k-${name}-${v}`, { [name]: v }));
        assert.equal(ok.statusCode, 201, `${name}=${v} is on the form`);
      }
    }
  });

  it('records an SMS sign-up with the consent wording and its hash as proof', async () => {
    const wording =
      'I agree to receive recurring marketing texts from Diamond Nexus. Consent is not a condition of purchase.';
    const res = await post(env(), '/v1/sms-signups', { phone: nextPhone(), consent_text: wording });
    assert.equal(res.statusCode, 201);
    const row = await env()
      .store.db.selectFrom('sms_signups')
      .selectAll()
      .where('id', '=', res.json().id)
      .executeTakeFirstOrThrow();
    assert.equal(row.consent_text, wording);
    assert.equal(row.consent_text_sha256, createHash('sha256').update(wording).digest('hex'));
  });

  it('records an inbound email and a contest entry', async () => {
    const inbound = await post(env(), '/v1/inbound-messages', {
      from: 'asker@example.com',
      subject: 'Ring size?',
      received_at: '2026-01-15T08:00:00Z',
    });
    assert.equal(inbound.statusCode, 201);
    const entry = await post(env(), '/v1/contest-entries', {
      email: 'player@example.com',
      name: 'Pia Player',
    });
    assert.equal(entry.statusCode, 201);
    assert.deepEqual(await env().services.subjects.kinds(inbound.json().subjectId), ['correspondent']);
    assert.deepEqual(await env().services.subjects.kinds(entry.json().subjectId), ['contestant']);
  });

  it('reads a phone number without a + prefix in the country of the address given with it', async () => {
    const uk = address('10 Downing Lane', { city: 'London', postal_code: 'SW1A 2AA', country: 'GB' });
    const buyer = {
      ...orderBody('uk').buyer,
      phone: '020 7946 0958',
      billing_address: uk,
      shipping_address: uk,
    };
    const ok = await post(env(), '/v1/orders', orderBody('uk', { buyer }));
    assert.equal(ok.statusCode, 201, ok.body);
    assert.equal(await env().services.subjects.findByPhone('+44 20 7946 0958'), ok.json().subjectId);
    const usBuyer = { ...orderBody('us').buyer, phone: '020 7946 0958' };
    const bad = await post(env(), '/v1/orders', orderBody('us', { buyer: usBuyer }));
    assert.equal(bad.statusCode, 400);
    assert.equal(bad.json().error.issues, undefined);
    assert.match(JSON.stringify(bad.json().error.details), /buyer\/phone/);
    const sms = await post(env(), '/v1/sms-signups', {
      phone: '07911 123456',
      country: 'GB',
      consent_text: 'Yes',
    });
    assert.equal(sms.statusCode, 201, sms.body);
    assert.equal(await env().services.subjects.findByPhone('+447911123456'), sms.json().subjectId);
  });

  it('refuses bad input to every endpoint with a 4xx and a stable code, changing nothing', async () => {
    const big = 'x'.repeat(70_000);
    const cases: [string, unknown, number, string][] = [
      ['/v1/orders', { ...orderBody('bad1'), extra: 1 }, 400, 'VOW_VALIDATION'],
      ['/v1/orders', { ...orderBody('bad2'), total_cents: '100' }, 400, 'VOW_VALIDATION'],
      ['/v1/orders', { ...orderBody('bad3'), total_cents: 10.5 }, 400, 'VOW_VALIDATION'],
      ['/v1/orders', { ...orderBody('bad4'), currency: 'usd' }, 400, 'VOW_VALIDATION'],
      ['/v1/orders', { ...orderBody('bad5'), items: [] }, 400, 'VOW_VALIDATION'],
      [
        '/v1/orders',
        orderBody('bad6', { buyer: { ...orderBody('x').buyer, email: 'not-an-email' } }),
        400,
        'VOW_VALIDATION',
      ],
      [
        '/v1/orders',
        orderBody('bad7', { buyer: { ...orderBody('x').buyer, phone: '123' } }),
        400,
        'VOW_VALIDATION',
      ],
      [
        '/v1/orders',
        orderBody('bad8', { gift_recipient: { ...giftRecipient('g'), note: 'hi' } }),
        400,
        'VOW_VALIDATION',
      ],
      [
        '/v1/orders',
        orderBody('bad9', { buyer: { ...orderBody('x').buyer, billing_address: { line1: 'x' } } }),
        400,
        'VOW_VALIDATION',
      ],
      ['/v1/orders', { ...orderBody('bad10'), placed_at: 'yesterday' }, 400, 'VOW_VALIDATION'],
      ['/v1/orders', { ...orderBody('bad11'), shop_order_id: big }, 413, 'VOW_BODY_TOO_LARGE'],
      // Retention counts activity from the stated instants: an order "placed" in 9999 kept its buyer
      // out of every purge. More than a day ahead of Vow's clock, or before 1970, is refused.
      ['/v1/orders', { ...orderBody('bad12'), placed_at: '9999-12-31T00:00:00Z' }, 400, 'VOW_VALIDATION'],
      [
        '/v1/orders',
        { ...orderBody('bad13'), placed_at: '2026-01-17T00:00:00+00:00' },
        400,
        'VOW_VALIDATION',
      ],
      ['/v1/orders', { ...orderBody('bad14'), placed_at: '0001-01-01T00:00:00Z' }, 400, 'VOW_VALIDATION'],
      [
        '/v1/registrations',
        { account_id: 'a', name: 'n', email: 'e@example.com', registered_at: '2999-01-01T00:00:00Z' },
        400,
        'VOW_VALIDATION',
      ],
      [
        '/v1/registrations',
        { account_id: 'a', name: 'n', email: 'e@example.com', password: 'secret' },
        400,
        'VOW_VALIDATION',
      ],
      [
        '/v1/registrations',
        { account_id: 'a', name: 'n', email: 'e@example.com', catalog_opt_in: 'yes' },
        400,
        'VOW_VALIDATION',
      ],
      ['/v1/registrations', { account_id: 'a', name: 'n' }, 400, 'VOW_VALIDATION'],
      ['/v1/contest-entries', { email: 'bad@' }, 400, 'VOW_VALIDATION'],
      ['/v1/contest-entries', { email: 'a@example.com', age: 'ten' }, 400, 'VOW_VALIDATION'],
      ['/v1/contest-entries', { email: 'a@example.com', birth_date: '2001-02-30' }, 400, 'VOW_VALIDATION'],
      ['/v1/contest-entries', { email: 'a@example.com', birth_date: '2099-01-01' }, 400, 'VOW_VALIDATION'],
      // As `age` stops at 150, so does a birth date: year 0001 was taken (and passed the P14 gate).
      ['/v1/contest-entries', { email: 'a@example.com', birth_date: '0001-01-01' }, 400, 'VOW_VALIDATION'],
      ['/v1/contest-entries', { email: 'a@example.com', birth_date: '1875-01-14' }, 400, 'VOW_VALIDATION'],
      ['/v1/contest-entries', [], 400, 'VOW_VALIDATION'],
      ['/v1/catalog-requests', catalogBody('bad', { budget: 'a_lot' }), 400, 'VOW_VALIDATION'],
      ['/v1/catalog-requests', catalogBody('bad', { jewelry_types: ['tiaras'] }), 400, 'VOW_VALIDATION'],
      ['/v1/catalog-requests', catalogBody('bad', { jewelry_types: [] }), 400, 'VOW_VALIDATION'],
      [
        '/v1/catalog-requests',
        catalogBody('bad', { jewelry_types: ['earrings', 'earrings'] }),
        400,
        'VOW_VALIDATION',
      ],
      [
        '/v1/catalog-requests',
        catalogBody('bad', { gender: 'female', favourite_colour: 'red' }),
        400,
        'VOW_VALIDATION',
      ],
      ['/v1/catalog-requests', catalogBody('bad', { relationship_status: undefined }), 400, 'VOW_VALIDATION'],
      ['/v1/sms-signups', { phone: '+1 608 265 9999' }, 400, 'VOW_VALIDATION'],
      ['/v1/sms-signups', { phone: 'call me', consent_text: 'yes' }, 400, 'VOW_VALIDATION'],
      [
        '/v1/inbound-messages',
        { from: 'a@example.com', subject: 'x', received_at: 'now' },
        400,
        'VOW_VALIDATION',
      ],
      [
        '/v1/inbound-messages',
        { from: 'a@example.com', subject: 'x', received_at: '9999-12-31T23:59:59.999Z' },
        400,
        'VOW_VALIDATION',
      ],
      [
        '/v1/inbound-messages',
        { from: 'a@example.com', subject: 'x'.repeat(999), received_at: '2026-01-01T00:00:00Z' },
        400,
        'VOW_VALIDATION',
      ],
    ];
    const before = await countAllRows(env());
    for (const [url, payload, status, code] of cases) {
      const res = await post(env(), url, payload);
      assert.equal(
        res.statusCode,
        status,
        `${url} ${JSON.stringify(payload).slice(0, 120)}: ${res.body.slice(0, 200)}`,
      );
      assert.equal(res.json().error.code, code);
      assert.doesNotMatch(res.body, /@example\.com/, 'errors never echo personal values');
    }
    const broken = await env().app.inject({
      method: 'POST',
      url: '/v1/contest-entries',
      headers: { 'content-type': 'application/json' },
      payload: '{"email": ',
    });
    assert.equal(broken.statusCode, 400);
    assert.equal(broken.json().error.code, 'VOW_BAD_JSON');
    assert.deepEqual(await countAllRows(env()), before);
  });
});
