// Three Vow processes on one PostgreSQL database: two write groups of orders at once while the
// third registers one webhook endpoint and disables another. A group reads the endpoints with its
// consent states and audit entries, after it took the audit head with its consent events; an
// endpoint is added or disabled in a transaction that takes the audit head too. So the audit chain
// orders them: a group's events reach an endpoint exactly when the group's audit entries come after
// the endpoint's `webhook.endpoint_added` and before its `webhook.endpoint_disabled`, once each,
// and the chain verifies. Also, deterministically: an endpoint disabled while a group waits for the
// audit head gets none of that group's events.
import assert from 'node:assert/strict';
import { it } from 'node:test';
import { deferred } from '../helpers/deferred.js';
import { describeOnProcesses, newBuyerOrders, type Writer, waitUntilBlockedOnLock } from './processes.js';

describeOnProcesses('webhook endpoints changed while two processes write orders', [21, 22, 23], (writers) => {
  const [a, b, c] = writers as [Writer, Writer, Writer];

  const auditSeq = async (action: string, id: string) =>
    Number(
      (
        await a.store.db
          .selectFrom('audit_log')
          .select('seq')
          .where('action', '=', action)
          .where('target_id', '=', id)
          .executeTakeFirstOrThrow()
      ).seq,
    );
  const told = async (endpointId: string) => {
    const rows = await a.store.db
      .selectFrom('webhook_deliveries')
      .select('body')
      .where('endpoint_id', '=', endpointId)
      .execute();
    const subjects = rows.map((r) => (JSON.parse(r.body!) as { data: { subjectId: string } }).data.subjectId);
    assert.equal(new Set(subjects).size, subjects.length, `${endpointId}: one delivery an event`);
    return new Set(subjects);
  };

  it('tells each endpoint exactly the events the audit chain orders between its addition and its end', async () => {
    const { id: leaving } = await c.services.downstream.webhooks.create(
      { url: 'https://hooks.example.com/leaving', events: ['consent.granted'] },
      null,
    );
    const sending: Promise<unknown>[] = [];
    let joining = '';
    for (let turn = 0; turn < 8; turn++) {
      for (const [w, tag] of [
        [a, 'race-a'],
        [b, 'race-b'],
      ] as const)
        for (const body of newBuyerOrders(`${tag}${turn}`, 4))
          sending.push(w.services.collection.order(body as never));
      if (turn === 2)
        sending.push(
          c.services.downstream.webhooks
            .create({ url: 'https://hooks.example.com/joining', events: ['consent.granted'] }, null)
            .then(({ id }) => {
              joining = id;
            }),
        );
      if (turn === 5) sending.push(c.services.downstream.webhooks.disable(leaving, null));
      await new Promise((resolve) => setImmediate(resolve));
    }
    await Promise.all(sending);
    const verified = await a.ctx.audit.verify();
    assert.ok(verified.ok, JSON.stringify(verified));
    const added = await auditSeq('webhook.endpoint_added', joining);
    const disabled = await auditSeq('webhook.endpoint_disabled', leaving);
    const enrolments = await a.store.db
      .selectFrom('audit_log')
      .select(['seq', 'target_id'])
      .where('action', '=', 'consent.enrolled')
      .execute();
    assert.equal(enrolments.length, 64, 'one enrolment a buyer');
    const after = new Set(enrolments.filter((e) => Number(e.seq) > added).map((e) => e.target_id!));
    const before = new Set(enrolments.filter((e) => Number(e.seq) < disabled).map((e) => e.target_id!));
    assert.deepEqual(await told(joining), after, 'the joining endpoint: every group after it, none before');
    assert.deepEqual(await told(leaving), before, 'the leaving endpoint: every group before it, none after');
  });

  it("gives none of a group's events to an endpoint disabled while the group waited for the audit head", async () => {
    const { id } = await c.services.downstream.webhooks.create(
      { url: 'https://hooks.example.com/disabled-meanwhile', events: ['consent.granted'] },
      null,
    );
    const { promise: held, resolve: release } = deferred();
    const { promise: holding, resolve: locked } = deferred();
    // As WebhookEndpoints.disable does, held open once it has taken the audit head.
    const disabling = c.store.db.transaction().execute(async (trx) => {
      await trx
        .updateTable('webhook_endpoints')
        .set({ disabled_at: c.ctx.clock.now().toISOString() })
        .where('id', '=', id)
        .execute();
      await c.ctx.audit.record(
        {
          actor: { type: 'system' },
          action: 'webhook.endpoint_disabled',
          target: { type: 'webhook_endpoint', id },
        },
        trx,
      );
      locked();
      await held;
    });
    await holding;
    const writing = a.services.collection.collectBatch(
      newBuyerOrders('disabled-meanwhile', 5).map((body) => ({
        type: 'order' as const,
        body: body as never,
      })),
    );
    await waitUntilBlockedOnLock(a);
    release();
    await disabling;
    const { results } = await writing;
    assert.deepEqual(
      results.map((r) => r.status),
      Array(5).fill(201),
    );
    assert.equal((await told(id)).size, 0);
  });
});
