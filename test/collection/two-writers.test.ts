// Two Vow processes writing orders to one PostgreSQL database at once (two contexts, each with its
// own pool, group commit and caches, as two processes have). A group now reads and locks the audit
// head with its consent events' insert and reads the webhook endpoints with its states and audit
// entries (no statement of their own: test/collection/statements.test.ts), so what those reads
// promised is checked here across processes: one audit chain, never forked, and every endpoint
// committed before a group commits receives that group's events, even one registered while the
// group waited for the audit head.
import assert from 'node:assert/strict';
import { it } from 'node:test';
import { deferred } from '../helpers/deferred.js';
import { describeOnProcesses, newBuyerOrders, type Writer, waitUntilBlockedOnLock } from './processes.js';

describeOnProcesses('two processes writing orders at once', [1, 2], (writers) => {
  const [a, b] = writers as [Writer, Writer];

  it('keeps one audit chain while both write groups of orders and staff entries at once', async () => {
    const sent = await Promise.all([
      ...newBuyerOrders('chain-a', 40).map((body) => a.services.collection.order(body as never)),
      ...newBuyerOrders('chain-b', 40).map((body) => b.services.collection.order(body as never)),
      ...Array.from({ length: 10 }, (_, i) =>
        b.ctx.audit.record({ actor: { type: 'system' }, action: 'test.entry', details: { n: i } }),
      ),
    ]);
    assert.equal(sent.length, 90);
    // Both processes wrote in groups (fewer transactions than orders), at the same time.
    assert.ok(a.services.collection.groupStats.groups < 40, JSON.stringify(a.services.collection.groupStats));
    assert.ok(b.services.collection.groupStats.groups < 40, JSON.stringify(b.services.collection.groupStats));
    const verified = await a.ctx.audit.verify();
    assert.ok(verified.ok, JSON.stringify(verified));
    const events = await a.store.db
      .selectFrom('consent_events')
      .select((eb) => eb.fn.countAll<string>().as('n'))
      .executeTakeFirstOrThrow();
    // One audit entry a consent event, plus the ten of the staff.
    assert.equal(verified.entries, Number(events.n) + 10);
  });

  it("gives a group's events to an endpoint another process registered while the group waited for the audit head", async () => {
    // Process B registers an endpoint in a transaction that records itself in the audit trail (as
    // WebhookEndpoints.create does), so it holds the audit head until it commits.
    const { promise: held, resolve: release } = deferred();
    const { promise: holding, resolve: locked } = deferred();
    const endpointId = 'whep_registered_meanwhile';
    const registering = b.store.db.transaction().execute(async (trx) => {
      await trx
        .insertInto('webhook_endpoints')
        .values({
          id: endpointId,
          url: 'https://hooks.example.com/meanwhile',
          events: JSON.stringify(['consent.granted']),
          recipient: null,
          secret_sealed: 'not used: nothing is delivered here',
          previous_sealed: null,
          previous_until: null,
          created_at: b.ctx.clock.now().toISOString(),
          created_by: null,
          disabled_at: null,
        })
        .execute();
      await b.ctx.audit.record(
        {
          actor: { type: 'system' },
          action: 'webhook.endpoint_added',
          target: { type: 'webhook_endpoint', id: endpointId },
        },
        trx,
      );
      locked();
      await held;
    });
    await holding;
    // Process A writes a group of new buyers (each enrolled: a consent.granted event each); it
    // waits for the audit head, so it commits after B.
    const writing = a.services.collection.collectBatch(
      newBuyerOrders('meanwhile', 5).map((body) => ({ type: 'order' as const, body: body as never })),
    );
    await waitUntilBlockedOnLock(a);
    release();
    await registering;
    const { results } = await writing;
    assert.deepEqual(
      results.map((r) => r.status),
      Array(5).fill(201),
    );
    const buyers = new Set(results.map((r) => (r.body as { subjectId: string }).subjectId));
    const deliveries = await a.store.db
      .selectFrom('webhook_deliveries')
      .select(['subject_id', 'body'])
      .where('endpoint_id', '=', endpointId)
      .execute();
    const told = new Set(
      deliveries.map((d) => (JSON.parse(d.body!) as { data: { subjectId: string } }).data.subjectId),
    );
    assert.deepEqual(told, buyers);
  });

  it('gives nothing to an endpoint disabled before the group', async () => {
    const { id } = await b.services.downstream.webhooks.create(
      { url: 'https://hooks.example.com/off', events: ['consent.granted'] },
      null,
    );
    await b.services.downstream.webhooks.disable(id, null);
    await a.services.collection.collectBatch(
      newBuyerOrders('disabled', 3).map((body) => ({ type: 'order' as const, body: body as never })),
    );
    const deliveries = await a.store.db
      .selectFrom('webhook_deliveries')
      .select('id')
      .where('endpoint_id', '=', id)
      .execute();
    assert.equal(deliveries.length, 0);
  });
});
