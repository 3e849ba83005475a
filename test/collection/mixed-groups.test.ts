// Groups of orders as a retailer's flaky network sends them: retries of stored orders (the same
// body, or another), new orders, a buyer marked as under 13, the same new order twice in flight,
// buyers whose email or phone is on the suppression list, a returning buyer whose stored address
// is, an Idempotency-Key reused with another body. Since the stored orders are read only once an
// insert meets one and the markers and suppressions ride with the people's rows, each answer must
// still be what it was, with its stable code, and the consent rules (P11) the same as one by one.
import assert from 'node:assert/strict';
import { it } from 'node:test';
import { describeEachDialect } from '../helpers/env.js';
import { markUnder13, orderBody, ordersWithId, sendOrder } from './fixtures.js';

describeEachDialect('mixed groups of orders', (env) => {
  const send = (payload: unknown, key?: string) => sendOrder(env(), payload, key);
  const ordersOf = (shopOrderId: string) => ordersWithId(env(), shopOrderId);
  /** Sends every body at once; the answers, and how many groups they took. */
  const together = async (requests: readonly (() => ReturnType<typeof send>)[]) => {
    const before = env().services.collection.groupStats.groups;
    const answers = await Promise.all(requests.map((r) => r()));
    return { answers, groups: env().services.collection.groupStats.groups - before };
  };
  const emailEvents = async (subjectId: string) =>
    (
      await env()
        .store.db.selectFrom('consent_events')
        .select(['event', 'details'])
        .where('subject_ref', '=', subjectId)
        .where('channel', '=', 'email_marketing')
        .orderBy('seq')
        .execute()
    ).map((e) => [e.event, (JSON.parse(e.details) as { blockedBy?: string }).blockedBy ?? null]);
  const suppress = (indexKind: 'email' | 'phone', value: string, channel?: string) =>
    env().services.consent.suppressIdentifier(undefined, {
      indexKind,
      blindIndex: env().ctx.vault.blindIndex(indexKind, value),
      channel,
      reason: 'test',
    });

  it('answers a replay, a changed replay, a marked buyer and one new order twice in one group, each as alone', async () => {
    const stored = orderBody('mix-a-stored');
    const first = await send(stored);
    assert.equal(first.statusCode, 201);
    // A buyer staff marked as under 13 since their order: the retry of that order is refused.
    const marked = orderBody('mix-a-marked');
    const markedFirst = await send(marked);
    assert.equal(markedFirst.statusCode, 201);
    assert.equal((await markUnder13(env(), markedFirst.json().subjectId)).statusCode, 200);
    const markedOrders = await ordersOf(marked.shop_order_id);
    const fresh = orderBody('mix-a-fresh');
    const twice = orderBody('mix-a-twice');
    const changed = { ...stored, total_cents: stored.total_cents + 1 };
    const { answers, groups } = await together([
      () => send(fresh),
      () => send(stored),
      () => send(twice),
      () => send(marked),
      () => send(changed),
      () => send(twice),
    ]);
    assert.ok(groups < 6, `6 orders in ${groups} transactions`);
    assert.deepEqual(
      answers.map((a) => a.statusCode),
      [201, 200, 201, 403, 409, 200],
      answers.map((a) => a.body).join(' | '),
    );
    assert.equal(answers[1]!.body, first.body, 'the stored answer again');
    assert.equal(answers[3]!.json().error.code, 'VOW_UNDER_13');
    assert.equal(answers[4]!.json().error.code, 'VOW_ORDER_CONFLICT');
    assert.equal(answers[5]!.body, answers[2]!.body, 'the second of one order in flight is its replay');
    for (const b of [fresh, twice, stored]) assert.equal(await ordersOf(b.shop_order_id), 1);
    assert.equal(await ordersOf(marked.shop_order_id), markedOrders, 'nothing stored for the child');
    const verified = await env().ctx.audit.verify();
    assert.ok(verified.ok, JSON.stringify(verified));
  });

  it('refuses only the reused Idempotency-Key of a group holding a replay (not taken for a replay)', async () => {
    const stored = orderBody('mix-b-stored');
    const first = await send(stored);
    assert.equal(first.statusCode, 201);
    const keyed = orderBody('mix-b-keyed');
    const other = orderBody('mix-b-other');
    const { answers } = await together([
      () => send(stored),
      () => send(keyed, 'mix-b-key'),
      () => send(other, 'mix-b-key'),
      () => send(orderBody('mix-b-new')),
    ]);
    assert.deepEqual(
      answers.map((a) => a.statusCode),
      [200, 201, 409, 201],
      answers.map((a) => a.body).join(' | '),
    );
    assert.equal(answers[0]!.body, first.body);
    assert.equal(answers[2]!.json().error.code, 'VOW_IDEMPOTENCY_CONFLICT');
    assert.equal(await ordersOf(other.shop_order_id), 0, 'the refused body stored nothing');
    assert.equal(await ordersOf(keyed.shop_order_id), 1);
  });

  it('blocks the automatic enrolment of buyers whose email or phone is suppressed, in a group of new buyers', async () => {
    const byEmail = orderBody('mix-c-email');
    const byPhone = orderBody('mix-c-phone', {
      buyer: { ...orderBody('mix-c-phone').buyer, phone: '(608) 555-0142' },
    });
    const plain = orderBody('mix-c-plain');
    await suppress('email', byEmail.buyer.email);
    // A phone's entry for every channel covers texts only (consent's list-coverage.ts): this one names
    // email marketing, so the group has to find the phone's entry to block the enrolment.
    await suppress('phone', '+16085550142', 'email_marketing');
    const { answers } = await together([() => send(plain), () => send(byEmail), () => send(byPhone)]);
    assert.deepEqual(
      answers.map((a) => a.statusCode),
      [201, 201, 201],
      answers.map((a) => a.body).join(' | '),
    );
    const [plainId, emailId, phoneId] = answers.map((a) => a.json().subjectId as string);
    assert.deepEqual(await emailEvents(plainId!), [['enrolled', null]]);
    assert.deepEqual(await emailEvents(emailId!), [['withdrawn', 'suppression_list']]);
    assert.deepEqual(await emailEvents(phoneId!), [['withdrawn', 'suppression_list']]);
  });

  it('blocks it for a returning buyer whose stored email is suppressed and who now gives another', async () => {
    const registration = (email: string) => ({
      type: 'registration' as const,
      body: { account_id: 'acc-mix-d', name: 'Dee Returning', email, catalog_opt_in: false } as never,
    });
    // A registered person holding two addresses (neither enrolls in email marketing), the first
    // of them since put on the suppression list.
    const first = await env().services.collection.collectBatch([registration('mix.d.old@example.com')]);
    const person = first.results[0]!.body.subjectId;
    await env().services.collection.collectBatch([registration('mix.d.other@example.com')]);
    await suppress('email', 'mix.d.old@example.com');
    // Their checkout with the other address (found by it), new buyers beside them.
    const again = orderBody('mix-d-again', {
      buyer: { ...orderBody('mix-d-again').buyer, email: 'mix.d.other@example.com' },
    });
    const { answers } = await together([
      () => send(orderBody('mix-d-new1')),
      () => send(again),
      () => send(orderBody('mix-d-new2')),
    ]);
    assert.deepEqual(
      answers.map((a) => a.statusCode),
      [201, 201, 201],
      answers.map((a) => a.body).join(' | '),
    );
    assert.equal(answers[1]!.json().subjectId, person, 'the same person, found by the other address');
    assert.deepEqual(await emailEvents(person), [['withdrawn', 'suppression_list']]);
    for (const n of [0, 2])
      assert.deepEqual(await emailEvents(answers[n]!.json().subjectId), [['enrolled', null]]);
  });
});
