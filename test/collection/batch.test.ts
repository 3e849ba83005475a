// collectBatch: many validated submissions in one transaction, through the same code as the
// endpoints (which are batches of one): a person made earlier in the batch is found again, a
// refused submission refuses the whole batch, orders stay idempotent on their shop order id.
import assert from 'node:assert/strict';
import { it } from 'node:test';
import {
  catalogRequestSchema,
  orderSchema,
  registrationSchema,
  type Submission,
} from '../../src/modules/collection/index.js';
import { isVowError } from '../../src/platform/errors.js';
import { describeEachDialect } from '../helpers/env.js';
import { address, catalogBody, countAllRows, giftRecipient, nextPhone, orderBody, post } from './fixtures.js';

describeEachDialect('collectBatch', (env) => {
  it('finds a person made earlier in the batch again, by email or phone, as later requests would', async () => {
    const { services, ctx } = env();
    const order = orderSchema.parse(orderBody('b1', { gift_recipient: giftRecipient('b1') }));
    const phone = order.buyer.phone!;
    const { results, newSubjectIds } = await services.collection.collectBatch([
      { type: 'order', body: order },
      { type: 'contest_entry', body: { email: order.buyer.email.toUpperCase() } },
      { type: 'sms_signup', body: { phone, consent_text: 'Yes, text me offers.' } },
      {
        type: 'catalog_request',
        body: catalogRequestSchema(ctx.policy).parse(catalogBody('b1')),
      },
    ]);
    assert.deepEqual(
      results.map((r) => r.status),
      [201, 201, 201, 201],
    );
    const buyer = results[0]!.body.subjectId;
    const gift = results[0]!.body.giftRecipientSubjectId!;
    assert.notEqual(gift, buyer);
    assert.equal(results[1]!.body.subjectId, buyer, 'found again by email');
    assert.equal(results[2]!.body.subjectId, buyer, 'found again by phone');
    const other = results[3]!.body.subjectId;
    assert.deepEqual([...newSubjectIds].sort(), [buyer, gift, other].sort());
    assert.equal(await services.subjects.findByEmail(order.buyer.email), buyer);
    assert.deepEqual(await services.consent.states(buyer), {
      email_marketing: 'enrolled',
      sms_marketing: 'granted',
    });

    // A later batch finds them in the store: nobody new.
    const again = await services.collection.collectBatch([
      { type: 'contest_entry', body: { email: order.buyer.email } },
    ]);
    assert.equal(again.results[0]!.body.subjectId, buyer);
    assert.deepEqual(again.newSubjectIds, []);
  });

  it('dates the records, links and consent events at collectedAt', async () => {
    const { services, store } = env();
    const at = new Date('2025-03-04T05:06:07.000Z');
    const { results } = await services.collection.collectBatch([
      { type: 'contest_entry', body: { email: 'dated@example.com' }, collectedAt: at },
    ]);
    const { id, subjectId } = results[0]!.body;
    const row = await store.db
      .selectFrom('contest_entries')
      .selectAll()
      .where('id', '=', id)
      .executeTakeFirstOrThrow();
    assert.equal(row.collected_at, at.toISOString());
    const link = await store.db
      .selectFrom('subject_records')
      .select('collected_at')
      .where('record_id', '=', id)
      .executeTakeFirstOrThrow();
    assert.equal(link.collected_at, at.toISOString());
    const events = await store.db
      .selectFrom('consent_events')
      .select('at')
      .where('subject_ref', '=', subjectId)
      .execute();
    assert.ok(events.length > 0);
    for (const e of events) assert.equal(e.at, at.toISOString());
  });

  it('is all or nothing: one submission under 13 refuses the batch and stores nothing', async () => {
    const { services, ctx } = env();
    const before = await countAllRows(env());
    const batch: Submission[] = [
      { type: 'contest_entry', body: { email: 'fine@example.com' } },
      {
        type: 'registration',
        body: registrationSchema(ctx.policy).parse({
          account_id: 'acct-kid',
          name: 'K',
          email: 'kid.batch@example.com',
          postal_address: address('1 Kid Street'),
          age: 11,
        }),
      },
    ];
    await assert.rejects(services.collection.collectBatch(batch), (err) => {
      return isVowError(err) && err.code === 'VOW_UNDER_13';
    });
    assert.deepEqual(await countAllRows(env()), before);
  });

  it('refuses a batch carrying an identifier of someone marked as under 13', async () => {
    const { services } = env();
    const first = await post(env(), '/v1/contest-entries', { email: 'marked.batch@example.com' });
    await services.subjects.markUnder13(first.json().subjectId, { type: 'staff', id: 'test' });
    const before = await countAllRows(env());
    await assert.rejects(
      services.collection.collectBatch([
        { type: 'sms_signup', body: { phone: nextPhone(), consent_text: 'yes' } },
        { type: 'contest_entry', body: { email: 'Marked.Batch@example.com' } },
      ]),
      (err) => isVowError(err) && err.code === 'VOW_UNDER_13',
    );
    assert.deepEqual(await countAllRows(env()), before);
  });

  it('keeps orders idempotent: a stored or repeated order answers 200, another body 409', async () => {
    const { services } = env();
    const stored = orderSchema.parse(orderBody('b-idem'));
    const first = await post(env(), '/v1/orders', stored);
    assert.equal(first.statusCode, 201);
    const fresh = orderSchema.parse(orderBody('b-twice'));
    const before = await countAllRows(env());
    const { results } = await services.collection.collectBatch([
      { type: 'order', body: stored },
      { type: 'order', body: fresh },
      { type: 'order', body: fresh },
    ]);
    assert.deepEqual(results[0], { status: 200, body: first.json() });
    assert.equal(results[1]!.status, 201);
    assert.deepEqual(results[2], { status: 200, body: results[1]!.body });
    const after = await countAllRows(env());
    assert.equal(after.orders, before.orders! + 1);

    const countNow = await countAllRows(env());
    const clash = orderSchema.parse(orderBody('b-clash'));
    for (const batch of [
      [{ type: 'order' as const, body: { ...stored, total_cents: 1 } }],
      [
        { type: 'order' as const, body: clash },
        { type: 'order' as const, body: { ...clash, total_cents: 2 } },
      ],
    ]) {
      await assert.rejects(
        services.collection.collectBatch(batch),
        (err) => isVowError(err) && err.code === 'VOW_ORDER_CONFLICT',
      );
    }
    assert.deepEqual(await countAllRows(env()), countNow);
  });
});
