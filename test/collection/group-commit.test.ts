// Group commit of the collection endpoints (src/modules/collection/group-commit.ts): orders sent
// at once are written together in one transaction, each answered as it would be alone: a refused
// one does not take the others down, an order id or an Idempotency-Key sent twice in one group is
// stored once and replayed, and a person marked as under 13 meanwhile is still refused.
import assert from 'node:assert/strict';
import { it } from 'node:test';
import { describeEachDialect } from '../helpers/env.js';
import { markUnder13, orderBody, ordersWithId, post, sendOrder } from './fixtures.js';

describeEachDialect('group commit of collections', (env) => {
  const send = (payload: unknown, key?: string) => sendOrder(env(), payload, key);
  const ordersOf = (shopOrderId: string) => ordersWithId(env(), shopOrderId);
  /** Sends every body at once and checks they went in fewer transactions than requests. */
  const together = async (requests: readonly (() => ReturnType<typeof send>)[]) => {
    const before = { ...env().services.collection.groupStats };
    const answers = await Promise.all(requests.map((r) => r()));
    const after = env().services.collection.groupStats;
    return {
      answers,
      groups: after.groups - before.groups,
      retried: after.retriedAlone - before.retriedAlone,
    };
  };

  it('writes concurrent orders together, each answered with its own order and buyer', async () => {
    const bodies = Array.from({ length: 8 }, (_, i) => orderBody(`grp-a${i}`));
    const { answers, groups, retried } = await together(bodies.map((b) => () => send(b)));
    assert.deepEqual(
      answers.map((a) => a.statusCode),
      bodies.map(() => 201),
      answers.map((a) => a.body).join(' | '),
    );
    assert.ok(groups < bodies.length, `${bodies.length} orders in ${groups} transactions`);
    assert.equal(retried, 0);
    const ids = answers.map((a) => a.json() as { id: string; subjectId: string });
    assert.equal(new Set(ids.map((b) => b.id)).size, 8, 'one order each');
    assert.equal(new Set(ids.map((b) => b.subjectId)).size, 8, 'one buyer each');
    for (const [i, b] of bodies.entries()) {
      assert.equal(await ordersOf(b.shop_order_id), 1);
      const stored = await env()
        .store.db.selectFrom('orders')
        .select(['id', 'buyer_subject_id'])
        .where('shop_order_id', '=', b.shop_order_id)
        .executeTakeFirstOrThrow();
      assert.equal(stored.id, ids[i]!.id, 'the answer names the order that was stored for it');
      assert.equal(stored.buyer_subject_id, ids[i]!.subjectId);
      assert.equal(await env().services.subjects.findByEmail(b.buyer.email), ids[i]!.subjectId);
    }
  });

  it('refuses only the failing order of a group (an order id recorded with another body)', async () => {
    const first = await send(orderBody('grp-b-taken'));
    assert.equal(first.statusCode, 201);
    const conflicting = { ...orderBody('grp-b-other'), shop_order_id: 'SO-grp-b-taken' };
    const others = Array.from({ length: 5 }, (_, i) => orderBody(`grp-b${i}`));
    const { answers, retried } = await together([
      ...others.slice(0, 2).map((b) => () => send(b)),
      () => send(conflicting),
      ...others.slice(2).map((b) => () => send(b)),
    ]);
    assert.deepEqual(
      answers.map((a) => a.statusCode),
      [201, 201, 409, 201, 201, 201],
      answers.map((a) => a.body).join(' | '),
    );
    assert.equal(answers[2]!.json().error.code, 'VOW_ORDER_CONFLICT');
    assert.ok(retried > 0, 'the failed group was written again, one order at a time');
    for (const b of others) assert.equal(await ordersOf(b.shop_order_id), 1);
    assert.equal(await ordersOf('SO-grp-b-taken'), 1);
    assert.equal(await env().services.subjects.findByEmail(conflicting.buyer.email), undefined);
  });

  it('refuses a child (by age, or marked as under 13) without failing the rest of the group', async () => {
    const marked = orderBody('grp-c-marked');
    const stored = await send(marked);
    assert.equal(stored.statusCode, 201);
    assert.equal((await markUnder13(env(), stored.json().subjectId)).statusCode, 200);
    const child = orderBody('grp-c-kid', {
      buyer: { ...orderBody('grp-c-kid').buyer, birth_date: '2016-02-02' },
    });
    const again = {
      ...orderBody('grp-c-marked2'),
      buyer: { ...orderBody('grp-c-marked2').buyer, email: marked.buyer.email },
    };
    const others = Array.from({ length: 4 }, (_, i) => orderBody(`grp-c${i}`));
    const { answers } = await together([
      () => send(others[0]),
      () => send(child),
      () => send(others[1]),
      () => send(again),
      () => send(others[2]),
      () => send(others[3]),
    ]);
    assert.deepEqual(
      answers.map((a) => a.statusCode),
      [201, 403, 201, 403, 201, 201],
      answers.map((a) => a.body).join(' | '),
    );
    assert.equal(answers[1]!.json().error.code, 'VOW_UNDER_13');
    assert.equal(answers[3]!.json().error.code, 'VOW_UNDER_13');
    for (const b of others) assert.equal(await ordersOf(b.shop_order_id), 1);
    assert.equal(await ordersOf(child.shop_order_id), 0);
    assert.equal(await ordersOf(again.shop_order_id), 0);
    assert.equal(await env().services.subjects.findByEmail(child.buyer.email), undefined);
  });

  it('stores an order sent twice in one group once, the second answered as its replay', async () => {
    const twice = orderBody('grp-d-twice');
    const other = orderBody('grp-d-other');
    const { answers, retried } = await together([() => send(twice), () => send(other), () => send(twice)]);
    assert.deepEqual(
      answers.map((a) => a.statusCode),
      [201, 201, 200],
      answers.map((a) => a.body).join(' | '),
    );
    assert.equal(retried, 0, 'a replay inside a group needs no retry');
    assert.equal(answers[2]!.body, answers[0]!.body, 'the first answer again');
    assert.equal(await ordersOf(twice.shop_order_id), 1);
  });

  it('keeps Idempotency-Keys of a group: one key sent three times stores once, answers alike', async () => {
    const body = orderBody('grp-e-keyed');
    const keyed = orderBody('grp-e-own');
    const { answers } = await together([
      () => send(body, 'grp-e-attempt'),
      () => send(keyed, 'grp-e-own-key'),
      () => send(body, 'grp-e-attempt'),
      () => send(body, 'grp-e-attempt'),
    ]);
    assert.deepEqual(
      answers.map((a) => a.statusCode),
      [201, 201, 201, 201],
      answers.map((a) => a.body).join(' | '),
    );
    const same = [answers[0]!, answers[2]!, answers[3]!];
    assert.equal(new Set(same.map((a) => a.body)).size, 1, 'one answer for one key');
    assert.equal(same.filter((a) => a.headers['idempotent-replayed'] === 'true').length, 2);
    assert.equal(await ordersOf(body.shop_order_id), 1);
    // Both keys were kept with their answers: retries later get them again.
    const retry = await send(keyed, 'grp-e-own-key');
    assert.equal(retry.statusCode, 201);
    assert.equal(retry.body, answers[1]!.body);
    assert.equal(retry.headers['idempotent-replayed'], 'true');
    const reused = await send(orderBody('grp-e-else'), 'grp-e-attempt');
    assert.equal(reused.statusCode, 409);
    assert.equal(reused.json().error.code, 'VOW_IDEMPOTENCY_CONFLICT');
  });

  it('groups written one after another: one new buyer, one order id, one key across them', async () => {
    const stats = env().services.collection.groupStats;
    const shared = 'grp-g-shared@example.com';
    const keyed = orderBody('grp-g-keyed');
    const twice = orderBody('grp-g-twice');
    const sharing: ReturnType<typeof send>[] = [];
    const keyedAnswers: ReturnType<typeof send>[] = [];
    const twiceAnswers: ReturnType<typeof send>[] = [];
    // Requests reach the queue over several turns of the event loop, so that a group is gathered
    // while the one before waits for the database.
    for (let i = 0; i < 12; i++) {
      sharing.push(
        send(orderBody(`grp-g${i}`, { buyer: { ...orderBody(`grp-g${i}`).buyer, email: shared } })),
      );
      if (i % 3 === 0) keyedAnswers.push(send(keyed, 'grp-g-key'));
      if (i % 4 === 0) twiceAnswers.push(send(twice));
      await new Promise((r) => setImmediate(r));
    }
    const all = await Promise.all([...sharing, ...keyedAnswers, ...twiceAnswers]);
    for (const a of all) assert.ok([200, 201].includes(a.statusCode), a.body);
    const buyer = await env().services.subjects.findByEmail(shared);
    for (const a of await Promise.all(sharing))
      assert.equal(a.json().subjectId, buyer, 'one person for one email');
    for (let i = 0; i < 12; i++) assert.equal(await ordersOf(`SO-grp-g${i}`), 1);
    const idsOf = async (answers: ReturnType<typeof send>[]) =>
      new Set((await Promise.all(answers)).map((a) => a.json().id as string));
    assert.equal((await idsOf(keyedAnswers)).size, 1, 'one key, one answer');
    assert.equal((await idsOf(twiceAnswers)).size, 1, 'one order id, one answer');
    assert.equal(await ordersOf(keyed.shop_order_id), 1);
    assert.equal(await ordersOf(twice.shop_order_id), 1);
    // One writer on both stores (POSTGRES_WRITERS): fewer, larger groups, fewer round trips an order.
    assert.equal(stats.mostAtOnce, 1, 'one group written at a time');
  });

  it('writes other collection points in groups too, with their consent effects', async () => {
    const entries = Array.from({ length: 4 }, (_, i) => ({
      email: `grp.entrant${i}@example.com`,
      name: 'E',
    }));
    const before = { ...env().services.collection.groupStats };
    const answers = await Promise.all(entries.map((e) => post(env(), '/v1/contest-entries', e)));
    assert.deepEqual(
      answers.map((a) => a.statusCode),
      [201, 201, 201, 201],
    );
    assert.ok(env().services.collection.groupStats.groups - before.groups < entries.length);
    for (const e of entries) {
      const id = await env().services.subjects.findByEmail(e.email);
      assert.ok(id);
      const state = await env()
        .store.db.selectFrom('consent_state')
        .select('state')
        .where('subject_ref', '=', id!)
        .where('channel', '=', 'email_marketing')
        .executeTakeFirst();
      assert.equal(state?.state, 'enrolled', 'a contest entry enrolls its entrant (P8)');
    }
  });
});
