// A write for a person that was resolved before their erasure and reaches its transaction after the
// erasure began leaves nothing of them behind: every write checks, inside its transaction, that the
// person's data key is not closed (an erasure closes it before it deletes anything), ordered against
// the erasure by a share lock on PostgreSQL. A second process on the same database (its own vault and
// key cache, still holding the person's key) stands for another `vow serve`, the promise worker or
// `vow import`. The interleavings are driven step by step: no sleeps.
import assert from 'node:assert/strict';
import { after, before, it } from 'node:test';
import { sql } from 'kysely';
import pino from 'pino';
import { createContext } from '../../src/app/context.js';
import { createServices, type Services } from '../../src/app/services.js';
import { issueUnsubscribeToken } from '../../src/modules/consent/unsubscribe-tokens.js';
import type { VowContext } from '../../src/modules/policy/index.js';
import { ManualClock, seededRandom } from '../../src/platform/clock.js';
import type { OutgoingMessage } from '../../src/platform/mail/index.js';
import { giftRecipient, markUnder13, orderBody, post } from '../collection/fixtures.js';
import { accountThroughService } from '../helpers/auth.js';
import { describeEachDialect, type TestEnv, testConfig } from '../helpers/env.js';
import { approvedCorrection, captureMail, verifiedRequest } from '../rights/real-flow.js';

/** Another process on the same database: its own context, vault (and key cache) and services. */
async function secondProcess(e: TestEnv): Promise<{ ctx: VowContext; services: Services }> {
  const ctx = await createContext(testConfig(), {
    clock: new ManualClock(e.clock.now()),
    random: seededRandom(4242),
    logger: pino({ level: 'silent' }),
    store: e.store,
  });
  return { ctx, services: createServices(ctx) };
}

/**
 * Rows naming the person in every table the erasure registry says nothing of them stays in after
 * a deletion of everything or a purge (`erased`), as `table: count`.
 */
async function leftIn(e: TestEnv, subjectId: string): Promise<Record<string, number>> {
  const out: Record<string, number> = {};
  for (const { table, fate } of e.services.erasure.tables()) {
    if (fate.fate !== 'erased' || fate.person.via) continue;
    const r = await sql<{ n: number | string }>`select count(*) as n from ${sql.table(table)} where ${sql.ref(
      fate.person.column,
    )} = ${subjectId}`.execute(e.store.db);
    const n = Number(r.rows[0]?.n ?? 0);
    if (n > 0) out[table] = n;
  }
  return out;
}

/** The buyer of a stored order, and whether their data key is still in the store. */
async function buyerOf(e: TestEnv, shopOrderId: string): Promise<{ subjectId: string; keyLive: boolean }> {
  const o = await e.store.db
    .selectFrom('orders')
    .select('buyer_subject_id')
    .where('shop_order_id', '=', shopOrderId)
    .executeTakeFirstOrThrow();
  const k = await e.store.db
    .selectFrom('data_keys')
    .select('wrapped_key')
    .where('subject_id', '=', o.buyer_subject_id)
    .executeTakeFirst();
  return { subjectId: o.buyer_subject_id, keyLive: k?.wrapped_key != null };
}

/**
 * Waits (without sleeping: each look is a query) until a statement of this database waits for a
 * lock, or `settled` says the work that would wait finished without waiting.
 */
async function untilLockWait(e: TestEnv, settled: () => boolean): Promise<boolean> {
  for (let n = 0; n < 10_000; n++) {
    if (settled()) return false;
    const r = await sql<{
      n: number | string;
    }>`select count(*) as n from pg_stat_activity where datname = current_database() and wait_event_type = 'Lock'`.execute(
      e.store.db,
    );
    if (Number(r.rows[0]?.n ?? 0) > 0) return true;
  }
  throw new Error('neither a lock wait nor the end of the work was seen');
}

describeEachDialect('a write under a destroyed key', (env) => {
  let sent: OutgoingMessage[] = [];
  let other: { ctx: VowContext; services: Services };
  before(async () => {
    sent = captureMail(env);
    other = await secondProcess(env());
  });
  after(() => other.ctx.vault.stopWorkers());

  /** A person with one order, taken by the first process; the second process has their key cached. */
  async function personWithOrder(n: string): Promise<{ subjectId: string; email: string }> {
    const e = env();
    const body = orderBody(`race-${n}`);
    assert.equal((await post(e, '/v1/orders', body)).statusCode, 201);
    const subjectId = (await e.services.subjects.findByEmail(body.buyer.email))!;
    const identifiers = await other.services.subjects.identifiers(subjectId);
    assert.ok(
      identifiers.some((i) => i.value === body.buyer.email),
      'the second process holds the key',
    );
    return { subjectId, email: body.buyer.email };
  }

  /** The second order of the same buyer, prepared (resolved, sealed) by the second process. */
  function secondOrder(n: string, email: string) {
    const body = orderBody(`race-${n}-again`);
    return other.services.collection.prepare([
      { type: 'order', body: { ...body, buyer: { ...body.buyer, email } } },
    ]);
  }

  it('an order resolved before a deletion and written once its key is closed is a new person’s, and nothing of it stays with the erased one', async () => {
    const e = env();
    const { subjectId, email } = await personWithOrder('a');
    const prepared = await secondOrder('a', email);
    // The second process writes its order right after the deletion's walk (the person's rows just
    // deleted, their look-ups not yet): the erasure began before, so the order cannot be theirs.
    const walker = e.services.datasets;
    const walk = walker.delete.bind(walker);
    let written: Promise<unknown> | undefined;
    walker.delete = async (identity, options = {}, actor) => {
      const report = await walk(identity, options, actor);
      if (!options.dryRun && !written) {
        written = other.services.collection.writePrepared(prepared);
        await written;
      }
      return report;
    };
    try {
      await verifiedRequest(e, sent, { type: 'deletion', jurisdiction: 'eea', email });
    } finally {
      walker.delete = walk;
    }
    assert.ok(written, 'the racing order was written during the deletion');
    const request = (await e.services.rights.queue({ includeClosed: true })).find(
      (r) => r.subjectId === subjectId && r.type === 'deletion',
    );
    assert.equal(request?.status, 'completed');
    assert.deepEqual(await leftIn(e, subjectId), {});
    // The order was not lost: it is stored, for someone new, whose key is live and whom the email finds.
    const buyer = await buyerOf(e, 'SO-race-a-again');
    assert.notEqual(buyer.subjectId, subjectId);
    assert.equal(buyer.keyLive, true);
    assert.equal(await e.services.subjects.findByEmail(email), buyer.subjectId);
  });

  it('an order resolved before an under-13 purge and written after it is refused, and nothing of it stays', async () => {
    const e = env();
    const { subjectId, email } = await personWithOrder('b');
    const prepared = await secondOrder('b', email);
    assert.equal((await markUnder13(e, subjectId)).statusCode, 200);
    await assert.rejects(other.services.collection.writePrepared(prepared), { code: 'VOW_UNDER_13' });
    assert.deepEqual(await leftIn(e, subjectId), {});
  });

  it('a consent change for a person found before their deletion and written after it is refused, and stores nothing', async () => {
    const e = env();
    const { subjectId, email } = await personWithOrder('c');
    await verifiedRequest(e, sent, { type: 'deletion', jurisdiction: 'eea', email });
    assert.deepEqual(await leftIn(e, subjectId), {});
    await assert.rejects(
      other.services.consent.record(undefined, {
        subjectRef: subjectId,
        channel: 'email_marketing',
        event: 'unsubscribed',
        cause: { type: 'link_click' },
      }),
      { code: 'VOW_SUBJECT_SHREDDED' },
    );
    assert.deepEqual(await leftIn(e, subjectId), {});
  });

  it('an unsubscribe token is not issued for a person found before their deletion', async () => {
    const e = env();
    const { subjectId, email } = await personWithOrder('g');
    await verifiedRequest(e, sent, { type: 'deletion', jurisdiction: 'eea', email });
    // A campaign email rendered for the person, who was deleted between its decision and its token.
    await assert.rejects(issueUnsubscribeToken(other.ctx, other.ctx.store.db, subjectId, 'email_marketing'), {
      code: 'VOW_SUBJECT_SHREDDED',
    });
    assert.deepEqual(await leftIn(e, subjectId), {});
  });

  it('a message queued for a person found before their deletion is dropped, and the others of its write are queued', async () => {
    const e = env();
    const { subjectId, email } = await personWithOrder('h');
    const live = await personWithOrder('h-live');
    await verifiedRequest(e, sent, { type: 'deletion', jurisdiction: 'eea', email });
    // A send that read its people before the deletion queues one message each, in one write.
    const message = (to: string, id: string) => ({
      to,
      subject: 'New rings',
      text: 'Our new rings are in.',
      kind: 'test.send',
      subjectId: id,
    });
    const ids = await other.services.mail.enqueueAll([
      message(email, subjectId),
      message(live.email, live.subjectId),
    ]);
    assert.equal(ids[0], null, 'the erased person’s message is not written');
    assert.ok(ids[1], 'the other person’s is');
    assert.equal(await other.services.mail.enqueue(message(email, subjectId)), null);
    assert.deepEqual(await leftIn(e, subjectId), {});
    assert.deepEqual(
      (await e.services.mail.list({ kind: 'test.send' })).map((m) => m.subjectId),
      [live.subjectId],
    );
  });

  it('a disclosure about a person found before their purge is refused; one of several, they are left out', async () => {
    const e = env();
    const disclosed = async (subjectId: string) =>
      (await e.store.db.selectFrom('disclosures').select('id').where('subject_id', '=', subjectId).execute())
        .length;
    // The purge runs between the disclosure's reading of its people and its transaction.
    const decisions = other.services.decisions;
    const resolve = decisions.resolve.bind(decisions);
    const purgeWhileResolving = (subjectId: string) => {
      let purged = false;
      decisions.resolve = async (s) => {
        const state = await resolve(s);
        if ('id' in s && s.id === subjectId && !purged) {
          purged = true;
          assert.equal((await markUnder13(e, subjectId)).statusCode, 200);
        }
        return state;
      };
    };
    try {
      const one = await personWithOrder('i');
      purgeWhileResolving(one.subjectId);
      await assert.rejects(
        other.services.disclosures.disclose({
          recipient: 'payment_processor',
          purpose: 'order.payment',
          subjectId: one.subjectId,
        }),
        { code: 'VOW_SUBJECT_SHREDDED' },
      );
      assert.equal(await disclosed(one.subjectId), 0);
      // An order's buyer and gift recipient: the buyer purged meanwhile, the recipient's disclosure goes on.
      const order = await post(
        e,
        '/v1/orders',
        orderBody('race-j', { gift_recipient: giftRecipient('race-j') }),
      );
      assert.equal(order.statusCode, 201);
      const buyer = (await e.services.subjects.findByEmail(orderBody('race-j').buyer.email))!;
      const gift = order.json().giftRecipientSubjectId as string;
      await other.services.subjects.identifiers(buyer);
      purgeWhileResolving(buyer);
      const payload = await other.services.disclosures.disclose({
        recipient: 'carrier',
        purpose: 'order.fulfilment',
        orderId: 'SO-race-j',
      });
      assert.deepEqual(
        payload.parties.map((p) => p.subjectId),
        [gift],
      );
      assert.equal(await disclosed(buyer), 0);
      assert.equal(await disclosed(gift), 1);
    } finally {
      decisions.resolve = resolve;
    }
  });

  it('a restriction of a person purged as its fulfilment starts stores nothing, and is answered that nothing is left to restrict', async () => {
    const e = env();
    const { subjectId, email } = await personWithOrder('k');
    // The purge runs as the restriction's fulfilment starts (after it read its request, before its
    // first step).
    const subjects = e.services.subjects;
    const identifiers = subjects.identifiers.bind(subjects);
    let purged = false;
    subjects.identifiers = async (id) => {
      const out = await identifiers(id);
      const fulfilling = await e.store.db
        .selectFrom('rights_requests')
        .select('id')
        .where('subject_id', '=', id)
        .where('type', '=', 'restriction')
        .where('status', '=', 'in_progress')
        .executeTakeFirst();
      if (id === subjectId && fulfilling && !purged) {
        purged = true;
        assert.equal((await markUnder13(e, subjectId)).statusCode, 200);
      }
      return out;
    };
    try {
      const r = await post(e, '/v1/requests', { type: 'restriction', jurisdiction: 'eea', email });
      assert.equal(r.statusCode, 202, r.body);
      await e.services.jobs.drain();
      const code = /\b(\d{6})\b/.exec(
        sent.filter((m) => m.to === email && /code/.test(m.subject)).at(-1)?.text ?? '',
      )?.[1];
      const v = await post(e, '/v1/requests/verify', { statusToken: r.json().statusToken, code });
      assert.equal(v.statusCode, 200, v.body);
      await e.services.jobs.drain();
    } finally {
      subjects.identifiers = identifiers;
    }
    assert.ok(purged, 'the purge ran during the fulfilment');
    // The restriction's write was refused (VOW_SUBJECT_SHREDDED), and the request answered at once
    // (src/modules/rights/fulfil-erased.ts), not left to a job failing until it gives up.
    const request = await e.store.db
      .selectFrom('rights_requests')
      .select(['status', 'response_nature'])
      .where('subject_id', '=', subjectId)
      .where('type', '=', 'restriction')
      .executeTakeFirstOrThrow();
    assert.deepEqual(request, { status: 'completed', response_nature: 'nothing to restrict: erased' });
    const failed = (await e.store.db.selectFrom('jobs').select(['name', 'last_error']).execute()).filter(
      (j) => j.last_error === 'VOW_SUBJECT_SHREDDED',
    );
    assert.deepEqual(failed, [], 'no job failed');
    assert.equal(
      (await e.store.db.selectFrom('restrictions').select('id').where('subject_id', '=', subjectId).execute())
        .length,
      0,
    );
  });

  it('a shopper account is not linked to a person found before their deletion', async () => {
    const e = env();
    const { subjectId, email } = await personWithOrder('d');
    await verifiedRequest(e, sent, { type: 'deletion', jurisdiction: 'eea', email });
    // An account of another address, confirmed: linked to the person found by its email before the
    // deletion, it would name them again.
    const accountId = await accountThroughService(e, 'dora.account@example.com');
    assert.equal(await other.services.identity.accounts.linkSubject(accountId, async () => subjectId), null);
    const account = await e.store.db
      .selectFrom('shopper_accounts')
      .select('subject_id')
      .where('id', '=', accountId)
      .executeTakeFirstOrThrow();
    assert.equal(account.subject_id, null);
  });

  it('on PostgreSQL, a purge that starts while the write’s transaction is open waits for it, then erases its rows', async (t) => {
    const e = env();
    if (e.dialect !== 'postgres') return t.skip('SQLite runs one writer at a time');
    const { subjectId, email } = await personWithOrder('e');
    const prepared = await secondOrder('e', email);
    let purged = false;
    let purge: Promise<unknown> | undefined;
    let waited: boolean | undefined;
    const result = await other.services.collection.writePrepared(prepared, undefined, async () => {
      // Inside the write's transaction, its rows written: the purge starts now.
      purge = markUnder13(e, subjectId).then((r) => {
        purged = true;
        return r;
      });
      waited = await untilLockWait(e, () => purged);
    });
    assert.equal(waited, true, 'the purge waited for the write');
    assert.equal(result.results[0]?.body.subjectId, subjectId, 'the write, first, was the person’s');
    await purge;
    assert.deepEqual(await leftIn(e, subjectId), {});
  });

  it('on PostgreSQL, a message queued while an erasure closes the person’s key waits, then is dropped', async (t) => {
    const e = env();
    if (e.dialect !== 'postgres') return t.skip('SQLite runs one writer at a time');
    const { subjectId, email } = await personWithOrder('l');
    let done = false;
    let queued: Promise<string | null> | undefined;
    await e.store.db.transaction().execute(async (trx) => {
      await e.ctx.vault.closeKeys(trx, [subjectId]);
      queued = other.services.mail
        .enqueue({ to: email, subject: 'Hello', text: 'Hello', kind: 'test.send-l', subjectId })
        .finally(() => {
          done = true;
        });
      assert.equal(await untilLockWait(e, () => done), true, 'the queue write waited for the erasure');
    });
    assert.equal(await queued, null);
    assert.deepEqual(await e.services.mail.list({ kind: 'test.send-l' }), []);
  });

  it('on PostgreSQL, a write that reaches its transaction while an erasure closes the key waits, then is a new person’s', async (t) => {
    const e = env();
    if (e.dialect !== 'postgres') return t.skip('SQLite runs one writer at a time');
    const { subjectId, email } = await personWithOrder('f');
    const before = await leftIn(e, subjectId);
    const prepared = await secondOrder('f', email);
    let done = false;
    let writing: Promise<unknown> | undefined;
    // The erasure's first step, held open: the second process's write starts meanwhile.
    await e.store.db.transaction().execute(async (trx) => {
      await e.ctx.vault.closeKeys(trx, [subjectId]);
      writing = other.services.collection.writePrepared(prepared).finally(() => {
        done = true;
      });
      assert.equal(await untilLockWait(e, () => done), true, 'the write waited for the erasure');
    });
    await writing;
    // Nothing more was written for the person (their look-ups by the email moved to the new person).
    for (const [table, n] of Object.entries(await leftIn(e, subjectId)))
      assert.ok(n <= (before[table] ?? 0), `${table}: ${n} rows, ${before[table] ?? 0} before`);
    const buyer = await buyerOf(e, 'SO-race-f-again');
    assert.notEqual(buyer.subjectId, subjectId);
    assert.equal(buyer.keyLive, true);
  });

  it('on PostgreSQL, a correction that changed nothing waits to answer while an erasure closes the key, then answers that nothing is left to correct', async (t) => {
    const e = env();
    if (e.dialect !== 'postgres') return t.skip('SQLite runs one writer at a time');
    const { subjectId, email } = await personWithOrder('m');
    const id = await approvedCorrection(e, sent, email, { category: 'identity.name', value: 'Mo Other' });
    // The walk finds nothing to change (the rows already gone), and the erasure's first step (the
    // key closed) is held open from after the correction's last write until its answer waits for it.
    const walker = e.services.datasets;
    const correct = walker.correct.bind(walker);
    walker.correct = async () => ({
      operation: 'correct',
      dryRun: false,
      at: e.clock.now().toISOString(),
      tables: [],
      changes: 0,
      retained: [],
    });
    const subjects = e.services.subjects;
    const reindex = subjects.reindex.bind(subjects);
    let release: () => void = () => {};
    let erasing: Promise<unknown> | undefined;
    subjects.reindex = async (sid) => {
      const out = await reindex(sid);
      if (sid === subjectId && !erasing) {
        const held = new Promise<void>((resolve) => {
          release = resolve;
        });
        let closed: () => void = () => {};
        const keyClosed = new Promise<void>((resolve) => {
          closed = resolve;
        });
        erasing = e.store.db.transaction().execute(async (trx) => {
          await e.ctx.vault.closeKeys(trx, [subjectId]);
          closed();
          await held;
        });
        await keyClosed;
      }
      return out;
    };
    let done = false;
    try {
      const draining = e.services.jobs.drain().finally(() => {
        done = true;
      });
      assert.equal(await untilLockWait(e, () => done), true, 'the answer waited for the erasure');
      release();
      await erasing;
      await draining;
    } finally {
      walker.correct = correct;
      subjects.reindex = reindex;
      release();
    }
    const request = await e.services.rights.get(id);
    assert.equal(request.status, 'completed');
    assert.equal(request.responseNature, 'nothing to correct: erased', 'not "corrected"');
  });
});
