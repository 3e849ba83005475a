// P14: "we never collect or maintain information at our website from those we actually know are
// under 13".
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { ageOn } from '../../src/modules/collection/index.js';
import { describeEachDialect } from '../helpers/env.js';
import {
  catalogBody,
  countAllRows,
  giftRecipient,
  markUnder13,
  nextPhone,
  orderBody,
  post,
} from './fixtures.js';

describe('age on a date', () => {
  it('counts whole years, turning a year older on the birthday', () => {
    const now = new Date('2026-01-15T12:00:00Z');
    assert.equal(ageOn('2013-01-15', now), 13);
    assert.equal(ageOn('2013-01-16', now), 12);
    assert.equal(ageOn('2012-12-31', now), 13);
    assert.equal(ageOn('2026-01-16', now), -1);
  });
});

describeEachDialect('the under-13 gate', (env) => {
  // The manual clock stands at 2026-01-15.
  it('refuses a catalog request showing an age under 13 and leaves no row in any table', async () => {
    const before = await countAllRows(env());
    const byBirthDate = await post(
      env(),
      '/v1/catalog-requests',
      catalogBody('kid1', { birth_date: '2014-06-01' }),
    );
    assert.equal(byBirthDate.statusCode, 403);
    assert.equal(byBirthDate.json().error.code, 'VOW_UNDER_13');
    assert.doesNotMatch(byBirthDate.body, /kid1|2014/);
    const byAge = await post(
      env(),
      '/v1/catalog-requests',
      catalogBody('kid2', { age: 12, age_range: 'under_18' }),
    );
    assert.equal(byAge.statusCode, 403);
    assert.equal(byAge.json().error.code, 'VOW_UNDER_13');
    assert.deepEqual(await countAllRows(env()), before);
    assert.equal(await env().services.subjects.findByEmail('cara.catalogkid1@example.com'), undefined);
  });

  it('refuses every collection point when the data shows an age under 13', async () => {
    const before = await countAllRows(env());
    const kid = { birth_date: '2015-03-03' };
    const cases: [string, unknown][] = [
      ['/v1/orders', orderBody('kid3', { buyer: { ...orderBody('kid3').buyer, ...kid } })],
      ['/v1/orders', orderBody('kid4', { gift_recipient: giftRecipient('kid4', { age: 9 }) })],
      ['/v1/registrations', { account_id: 'kid', name: 'K', email: 'kid@example.com', age: 11 }],
      ['/v1/contest-entries', { email: 'kid@example.com', ...kid }],
      ['/v1/sms-signups', { phone: nextPhone(), consent_text: 'yes', age: 12 }],
      [
        '/v1/inbound-messages',
        { from: 'kid@example.com', subject: 'hi', received_at: '2026-01-15T00:00:00Z', age: 8 },
      ],
    ];
    for (const [url, body] of cases) {
      const res = await post(env(), url, body);
      assert.equal(res.statusCode, 403, url);
      assert.equal(res.json().error.code, 'VOW_UNDER_13');
    }
    assert.deepEqual(await countAllRows(env()), before);
  });

  it('accepts an age range of under_18 and a 13-year-old, and stores neither age nor birth date', async () => {
    const res = await post(
      env(),
      '/v1/catalog-requests',
      catalogBody('teen', { age_range: 'under_18', birth_date: '2013-01-15', age: 13 }),
    );
    assert.equal(res.statusCode, 201);
    const dump = JSON.stringify(
      await env()
        .store.db.selectFrom('catalog_requests')
        .selectAll()
        .where('id', '=', res.json().id)
        .execute(),
    );
    assert.doesNotMatch(dump, /2013-01-15/);
  });

  it('lets staff mark a known person as under 13: everything about them is deleted, a marker blocks them', async () => {
    const phone = nextPhone();
    const order = await post(
      env(),
      '/v1/orders',
      orderBody('m1', { buyer: { ...orderBody('m1').buyer, phone } }),
    );
    const subjectId = order.json().subjectId;
    await post(env(), '/v1/contest-entries', { email: 'ann.buyerm1@example.com', name: 'Ann' });
    await post(env(), '/v1/sms-signups', { phone, consent_text: 'Text me.' });
    const disclosed = await post(env(), '/v1/disclosures', {
      recipient: 'carrier',
      purpose: 'order.fulfilment',
      orderId: 'SO-m1',
    });
    assert.equal(disclosed.statusCode, 200);
    const db = env().store.db;
    const held = async () => ({
      identifiers: (
        await db.selectFrom('subject_identifiers').selectAll().where('subject_id', '=', subjectId).execute()
      ).length,
      records: (
        await db.selectFrom('subject_records').selectAll().where('subject_id', '=', subjectId).execute()
      ).length,
      lookups: (
        await db.selectFrom('subject_lookup').selectAll().where('subject_id', '=', subjectId).execute()
      ).length,
      orders: (await db.selectFrom('orders').selectAll().where('buyer_subject_id', '=', subjectId).execute())
        .length,
      entries: (
        await db.selectFrom('contest_entries').selectAll().where('subject_id', '=', subjectId).execute()
      ).length,
      sms: (await db.selectFrom('sms_signups').selectAll().where('subject_id', '=', subjectId).execute())
        .length,
      consent: (
        await db.selectFrom('consent_events').selectAll().where('subject_ref', '=', subjectId).execute()
      ).length,
      consentState: (
        await db.selectFrom('consent_state').selectAll().where('subject_ref', '=', subjectId).execute()
      ).length,
      disclosures: (
        await db.selectFrom('disclosures').selectAll().where('subject_id', '=', subjectId).execute()
      ).length,
    });
    const beforeMark = await held();
    for (const [table, n] of Object.entries(beforeMark)) assert.ok(n > 0, `${table} held something before`);

    const mark = await markUnder13(env(), subjectId);
    assert.equal(mark.statusCode, 200);
    assert.equal(mark.json().under13, true);
    assert.ok((mark.json().markers ?? 0) >= 2);
    for (const [table, n] of Object.entries(await held())) assert.equal(n, 0, `${table} still holds rows`);
    const key = await db
      .selectFrom('data_keys')
      .selectAll()
      .where('subject_id', '=', subjectId)
      .executeTakeFirstOrThrow();
    assert.equal(key.wrapped_key, null, 'their data key is destroyed');
    const markers = await db.selectFrom('under13_markers').selectAll().execute();
    assert.ok(markers.every((m) => Object.keys(m).sort().join() === 'blind_index,kind,marked_at'));
    // Only what refuses a later collection: no keyed hash of the child's address is kept.
    assert.deepEqual([...new Set(markers.map((m) => m.kind))].sort(), ['email', 'phone']);

    const audit = await env().ctx.audit.list({ targetType: 'subject', targetId: subjectId });
    assert.ok(audit.some((a) => a.action === 'subject.marked_under_13' && a.actor_type === 'staff'));

    // Every purpose is denied for them now (P14).
    const decision = await post(env(), '/v1/decisions', {
      subject: { id: subjectId },
      purpose: 'order.fulfilment',
      categories: ['contact.postal_address'],
    });
    assert.equal(decision.json().decision, 'deny');
    assert.ok(decision.json().reasons.some((r: { code: string }) => r.code === 'under_13'));

    // A later collection with the same email or phone is refused, and stores nothing.
    const before = await countAllRows(env());
    const byEmail = await post(env(), '/v1/contest-entries', { email: ' Ann.BuyerM1@example.com' });
    assert.equal(byEmail.statusCode, 403);
    assert.equal(byEmail.json().error.code, 'VOW_UNDER_13');
    const byPhone = await post(
      env(),
      '/v1/orders',
      orderBody('m2', { buyer: { ...orderBody('m2').buyer, phone } }),
    );
    assert.equal(byPhone.statusCode, 403);
    const asGift = await post(
      env(),
      '/v1/orders',
      orderBody('m3', { gift_recipient: giftRecipient('m3', { email: 'ann.buyerm1@example.com' }) }),
    );
    assert.equal(asGift.statusCode, 403);
    assert.deepEqual(await countAllRows(env()), before);

    const twice = await post(env(), '/v1/subjects/under13', { subjectId });
    assert.equal(twice.statusCode, 409);
    assert.equal(twice.json().error.code, 'VOW_SUBJECT_ALREADY_MARKED');
    const unknown = await post(env(), '/v1/subjects/under13', {
      subjectId: '00000000-0000-4000-8000-000000000000',
    });
    assert.equal(unknown.statusCode, 404);
  });

  it('deletes their shopper account and its sessions too, and keeps its email blocked', async () => {
    const entry = await post(env(), '/v1/contest-entries', { email: 'young.shopper@example.com' });
    const subjectId = entry.json().subjectId;
    const accounts = env().services.identity.accounts;
    const { accountId } = await accounts.register('young.shopper@example.com', 'a long enough passphrase 42');
    const token = await accounts.issueToken(accountId, 'verify_email');
    const linked = await accounts.verifyEmail(token, 'a long enough passphrase 42', (e) =>
      env().services.subjects.findByEmail(e),
    );
    assert.equal(linked.subjectId, subjectId);
    const mark = await markUnder13(env(), subjectId);
    assert.equal(mark.statusCode, 200);
    const db = env().store.db;
    assert.equal(
      (await db.selectFrom('shopper_accounts').selectAll().where('id', '=', accountId).execute()).length,
      0,
    );
    assert.equal(
      (await db.selectFrom('sessions').selectAll().where('principal_id', '=', accountId).execute()).length,
      0,
    );
    const again = await post(env(), '/v1/contest-entries', { email: 'Young.Shopper@example.com' });
    assert.equal(again.statusCode, 403);
  });

  it('refuses bad input to the staff endpoints with 400 VOW_VALIDATION, changing nothing', async () => {
    const before = await countAllRows(env());
    for (const [url, body] of [
      ['/v1/subjects/under13', { subjectId: 5 }],
      ['/v1/subjects/under13', { subjectId: 'x', email: 'kid@example.com' }],
      ['/v1/subjects/under13', {}],
      ['/v1/disclosures/search', { subjectId: ['x'] }],
      ['/v1/disclosures/search', { subjectId: 'x', recipient: 'carrier' }],
    ] as const) {
      const res = await post(env(), url, body);
      assert.equal(res.statusCode, 400, `${url} ${JSON.stringify(body)}`);
      assert.equal(res.json().error.code, 'VOW_VALIDATION');
      assert.doesNotMatch(res.body, /kid@example\.com/);
    }
    assert.deepEqual(await countAllRows(env()), before);
  });

  it('lets staff find the person to mark by email, phone or account id, auditing each look-up', async () => {
    const phone = nextPhone();
    const reg = await post(env(), '/v1/registrations', {
      account_id: 'acct-find',
      name: 'Fay Find',
      email: 'fay.find@example.com',
    });
    await post(env(), '/v1/sms-signups', { phone, consent_text: 'Text me.' });
    const byEmail = await post(env(), '/v1/subjects/search', { email: ' FAY.find@example.com' });
    assert.equal(byEmail.statusCode, 200);
    assert.deepEqual(byEmail.json().subjects, [
      { subjectId: reg.json().subjectId, kinds: ['account_holder'], under13: false },
    ]);
    const byAccount = await post(env(), '/v1/subjects/search', { account_id: 'acct-find' });
    assert.equal(byAccount.json().subjects[0].subjectId, reg.json().subjectId);
    const byPhone = await post(env(), '/v1/subjects/search', { phone });
    assert.deepEqual(byPhone.json().subjects[0].kinds, ['sms_subscriber']);
    const none = await post(env(), '/v1/subjects/search', { email: 'nobody@example.com' });
    assert.deepEqual(none.json().subjects, []);
    const two = await post(env(), '/v1/subjects/search', {
      email: 'fay.find@example.com',
      account_id: 'acct-find',
    });
    assert.equal(two.statusCode, 400);
    const audit = await env().ctx.audit.list({ targetType: 'subject', targetId: reg.json().subjectId });
    assert.equal(audit.filter((a) => a.action === 'subject.looked_up').length, 2);
    assert.ok(audit.every((a) => !a.details.includes('fay')));
  });

  it("clears a marked gift recipient from the orders they appear in, keeping the buyer's order", async () => {
    const order = await post(env(), '/v1/orders', orderBody('m4', { gift_recipient: giftRecipient('m4') }));
    const giftId = order.json().giftRecipientSubjectId;
    const mark = await markUnder13(env(), giftId);
    assert.equal(mark.statusCode, 200);
    const row = await env()
      .store.db.selectFrom('orders')
      .selectAll()
      .where('id', '=', order.json().id)
      .executeTakeFirstOrThrow();
    assert.equal(row.gift_subject_id, null);
    assert.equal(row.gift_sealed, null);
    assert.equal(row.buyer_subject_id, order.json().subjectId);
  });
});
