// A request whose person is erased between its verification and its fulfilment (an under-13
// purge, or their deletion of everything by another request) ends answered, never as a job that
// fails until it gives up with the request "in progress" for ever. Each kind answers what is true:
// an access that nothing is held, a correction that nothing is left to correct, a restriction or an
// objection that nothing is left to restrict, a deletion that the data is deleted.
import assert from 'node:assert/strict';
import { before, it } from 'node:test';
import { FULFIL_JOB } from '../../src/modules/rights/index.js';
import type { OutgoingMessage } from '../../src/platform/mail/index.js';
import { markUnder13, orderBody, post } from '../collection/fixtures.js';
import { describeEachDialect, type TestEnv } from '../helpers/env.js';
import { captureMail, type RequestBody } from './real-flow.js';

const KINDS = ['access', 'portability', 'correction', 'restriction', 'objection', 'deletion'] as const;
type Kind = (typeof KINDS)[number];

const NATURE: Record<Kind, string> = {
  access: 'nothing held: erased',
  portability: 'nothing held: erased',
  correction: 'nothing to correct: erased',
  restriction: 'nothing to restrict: erased',
  objection: 'nothing to restrict: erased',
  deletion: 'deleted',
};

async function personWithOrder(e: TestEnv, n: string): Promise<{ subjectId: string; email: string }> {
  const body = orderBody(`erased-${n}`);
  assert.equal((await post(e, '/v1/orders', body)).statusCode, 201);
  const subjectId = (await e.services.subjects.findByEmail(body.buyer.email))!;
  return { subjectId, email: body.buyer.email };
}

function requestOf(type: Kind, email: string, locale?: string): RequestBody {
  const body: RequestBody = { type, jurisdiction: 'eea', email, ...(locale ? { locale } : {}) };
  if (type === 'correction') body.correction = { category: 'identity.name', value: 'Ann Other' };
  return body;
}

describeEachDialect('a request whose person is erased meanwhile', (env) => {
  let sent: OutgoingMessage[] = [];
  before(() => {
    sent = captureMail(env);
  });

  /** Files a request and delivers its code mail; its status token and the code. */
  async function filed(e: TestEnv, body: RequestBody): Promise<{ statusToken: string; code: string }> {
    const r = await post(e, '/v1/requests', body);
    assert.equal(r.statusCode, 202, r.body);
    await e.services.jobs.drain();
    const mail = sent.filter((m) => m.to === body.email && /code|código/.test(m.subject)).at(-1);
    const code = /\b(\d{6})\b/.exec(mail?.text ?? '')?.[1];
    assert.ok(code, 'a code was mailed');
    return { statusToken: r.json().statusToken as string, code };
  }

  /** Types the code in (the fulfilment is queued, not run); the request's id. */
  async function verified(e: TestEnv, filedRequest: { statusToken: string; code: string }, type: Kind) {
    const v = await post(e, '/v1/requests/verify', filedRequest);
    assert.equal(v.statusCode, 200, v.body);
    const id = (await e.services.rights.statusByToken(filedRequest.statusToken)).id;
    if (type === 'correction')
      assert.equal((await post(e, `/v1/staff/requests/${id}/approve-correction`, {})).statusCode, 200);
    return id;
  }

  /** The request is answered, and no job of it is left to fail or retry. */
  async function assertAnswered(e: TestEnv, id: string, type: Kind) {
    const view = await e.services.rights.get(id);
    assert.equal(view.status, 'completed');
    assert.equal(view.responseNature, NATURE[type]);
    const open = await e.store.db
      .selectFrom('jobs')
      .select(['name', 'status', 'last_error'])
      .where('status', '!=', 'done')
      .execute();
    assert.deepEqual(open, [], 'no job failed or waits for a retry');
    const audited = await e.store.db
      .selectFrom('audit_log')
      .select('action')
      .where('target_id', '=', id)
      .where('action', '=', 'request.completed')
      .execute();
    assert.equal(audited.length, 1, 'the answer is audited once');
    assert.equal(
      (await e.store.db.selectFrom('restrictions').select('id').where('request_id', '=', id).execute())
        .length,
      0,
      'no restriction row outlives the erasure',
    );
  }

  for (const type of KINDS) {
    it(`${type}: the person purged before the fulfilment ran is answered, and nobody is mailed`, async () => {
      const e = env();
      const { subjectId, email } = await personWithOrder(e, `p-${type}`);
      const id = await verified(e, await filed(e, requestOf(type, email)), type);
      assert.equal((await markUnder13(e, subjectId)).statusCode, 200);
      const before = sent.length;
      await e.services.jobs.drain();
      await assertAnswered(e, id, type);
      // The purge forgot the request's contact: no answer is mailed to it.
      assert.deepEqual(
        sent.slice(before).filter((m) => m.to === email),
        [],
      );
    });
  }

  for (const type of KINDS) {
    it(`${type}: the person deleted by another request before the fulfilment ran is told, in their language`, async () => {
      const e = env();
      const { email } = await personWithOrder(e, `d-${type}`);
      // Both requests filed and their codes delivered before the deletion runs (it deletes codes).
      const deletion = await filed(e, requestOf('deletion', email));
      const request = await filed(e, requestOf(type, email, 'es-US'));
      await verified(e, deletion, 'deletion');
      e.clock.advance(1000); // the deletion's fulfilment runs first
      const id = await verified(e, request, type);
      const before = sent.length;
      await e.services.jobs.drain();
      await assertAnswered(e, id, type);
      const answer = sent
        .slice(before)
        .filter((m) => m.to === email && /^(Respondimos|Eliminamos)/.test(m.subject));
      assert.equal(answer.length, 1, 'the answer is mailed to the request’s contact once');
      if (type !== 'deletion') {
        assert.match(answer[0]!.subject, /^Respondimos a su solicitud/);
        assert.match(
          answer[0]!.text,
          type === 'correction'
            ? /No queda nada que corregir/
            : type === 'restriction' || type === 'objection'
              ? /No queda nada que limitar/
              : /Ya no tenemos ningún dato sobre usted/,
        );
        // Answered, the request forgets its contact, as the erasure does for answered requests.
        const row = await e.store.db
          .selectFrom('rights_requests')
          .select(['sealed', 'email_index'])
          .where('id', '=', id)
          .executeTakeFirstOrThrow();
        assert.deepEqual(row, { sealed: '', email_index: null });
      }
    });
  }

  it('access: a crash right after the answer leaves no contact behind (forgotten in the answer’s own transaction)', async () => {
    const e = env();
    const { email } = await personWithOrder(e, 'crash-access');
    const deletion = await filed(e, requestOf('deletion', email));
    const request = await filed(e, requestOf('access', email));
    await verified(e, deletion, 'deletion');
    e.clock.advance(1000);
    const id = await verified(e, request, 'access');
    // The process dies at the first transaction after the answer committed: a completed request's
    // job is not run again, so nothing after that point would forget the contact.
    const db = e.store.db;
    const transaction = db.transaction.bind(db);
    let crashed = false;
    const answered = async () =>
      (await db.selectFrom('rights_requests').select('status').where('id', '=', id).executeTakeFirst())
        ?.status === 'completed';
    Object.assign(db, {
      transaction: () =>
        new Proxy(transaction(), {
          get: (builder, key) =>
            key === 'execute'
              ? async (fn: never) => {
                  if (!crashed && (await answered())) {
                    crashed = true;
                    throw new Error('the process died');
                  }
                  return builder.execute(fn);
                }
              : Reflect.get(builder, key),
        }),
    });
    try {
      // The crash may reach the runner itself (its own bookkeeping is a transaction too).
      await e.services.jobs.drain().catch((err: Error) => assert.equal(err.message, 'the process died'));
    } finally {
      Reflect.deleteProperty(db, 'transaction');
    }
    assert.ok(crashed, 'the crash happened after the answer');
    assert.equal((await e.services.rights.get(id)).status, 'completed');
    const row = await e.store.db
      .selectFrom('rights_requests')
      .select(['sealed', 'email_index'])
      .where('id', '=', id)
      .executeTakeFirstOrThrow();
    assert.deepEqual(row, { sealed: '', email_index: null });
    // The job's retry (its lease gone with the process) finds the request answered and ends.
    e.clock.advance(3600_000);
    await e.services.jobs.drain();
    await assertAnswered(e, id, 'access');
  });

  it('correction: the person deleted by another request after the correction began changes nothing, and is told nothing is left to correct', async () => {
    const e = env();
    const { subjectId, email } = await personWithOrder(e, 'race-correction');
    const deletion = await filed(e, requestOf('deletion', email));
    const id = await verified(e, await filed(e, requestOf('correction', email, 'es-US')), 'correction');
    // The deletion runs to its end after the correction's fulfilment found the person still there,
    // right before its walk: the walk finds nothing left to change.
    const walker = e.services.datasets;
    const correct = walker.correct.bind(walker);
    let deleted = false;
    walker.correct = async (identity, options, actor) => {
      if (!deleted) {
        deleted = true;
        await verified(e, deletion, 'deletion');
        await e.services.jobs.drain(100, [FULFIL_JOB]);
        assert.equal((await e.services.rights.statusByToken(deletion.statusToken)).status, 'completed');
      }
      return correct(identity, options, actor);
    };
    const before = sent.length;
    try {
      await e.services.jobs.drain();
    } finally {
      walker.correct = correct;
    }
    assert.ok(deleted, 'the deletion ran during the correction');
    const closed = await e.store.db.transaction().execute((trx) => e.ctx.vault.closedAmong(trx, [subjectId]));
    assert.equal(closed.size, 1, 'the deletion closed the person’s key');
    await assertAnswered(e, id, 'correction');
    const answers = sent.slice(before).filter((m) => m.to === email && /^Respondimos/.test(m.subject));
    assert.equal(answers.length, 1, 'one answer to the correction');
    assert.match(answers[0]!.text, /No queda nada que corregir/);
  });
});
