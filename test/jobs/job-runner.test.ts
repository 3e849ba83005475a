import assert from 'node:assert/strict';
import { it } from 'node:test';
import { z } from 'zod';
import { isVowError } from '../../src/platform/errors.js';
import { defineJob, type JobDefinition, JobRunner } from '../../src/platform/jobs/index.js';
import { deferred } from '../helpers/deferred.js';
import { describeEachDialect, type TestEnv } from '../helpers/env.js';

function runner(
  env: TestEnv,
  workerId: string,
  // biome-ignore lint/suspicious/noExplicitAny: definitions of different payload types
  defs: readonly JobDefinition<any>[],
): JobRunner {
  // No heartbeat: these tests move the lease by the manual clock (test/jobs/heartbeat.test.ts drives one).
  const r = new JobRunner(env.ctx, { workerId, leaseMs: 60_000, heartbeatMs: 0 });
  for (const d of defs) r.register(d);
  return r;
}

describeEachDialect('durable jobs', (env) => {
  it('runs an enqueued job once with its parsed payload and keeps its result', async () => {
    const seen: string[] = [];
    const def = defineJob({
      id: 'test.echo',
      version: 1,
      schema: z.object({ word: z.string() }),
      handler: async ({ word }) => {
        seen.push(word);
        return { length: word.length };
      },
    });
    const r = runner(env(), 'w1', [def]);
    const { id } = await r.enqueue({ name: 'test.echo', payload: { word: 'hello' } });
    assert.deepEqual(await r.runOnce(), { id, name: 'test.echo', status: 'done' });
    assert.equal(await r.runOnce(), null);
    assert.deepEqual(seen, ['hello']);
    const job = await r.get(id);
    assert.equal(job?.status, 'done');
    assert.deepEqual(job?.result, { length: 5 });
  });

  it('keeps one job per idempotency key, so a request is never fulfilled twice', async () => {
    let runs = 0;
    const def = defineJob({
      id: 'test.once',
      version: 1,
      schema: z.object({ requestId: z.string() }),
      handler: async () => {
        runs++;
      },
    });
    const r = runner(env(), 'w1', [def]);
    const a = await r.enqueue({ name: 'test.once', payload: { requestId: 'r1' }, idempotencyKey: 'req:r1' });
    const b = await r.enqueue({ name: 'test.once', payload: { requestId: 'r1' }, idempotencyKey: 'req:r1' });
    assert.equal(a.id, b.id);
    assert.equal(a.created, true);
    assert.equal(b.created, false);
    await r.drain();
    await r.enqueue({ name: 'test.once', payload: { requestId: 'r1' }, idempotencyKey: 'req:r1' });
    await r.drain();
    assert.equal(runs, 1);
  });

  it('refuses an unknown job id and a payload its schema rejects, enqueueing nothing', async () => {
    const def = defineJob({
      id: 'test.strict',
      version: 1,
      schema: z.object({ n: z.number() }),
      handler: async () => {},
    });
    const r = runner(env(), 'w1', [def]);
    await assert.rejects(
      r.enqueue({ name: 'test.nope', payload: {} }),
      (e) => isVowError(e) && e.code === 'VOW_JOB_UNKNOWN',
    );
    await assert.rejects(
      r.enqueue({ name: 'test.strict', payload: { n: 'x' } }),
      (e) => isVowError(e) && e.code === 'VOW_JOB_PAYLOAD_INVALID',
    );
    assert.equal((await r.list({ name: 'test.strict' })).length, 0);
    assert.throws(() => defineJob({ id: 'flat', version: 1, schema: z.object({}), handler: async () => {} }));
  });

  it('enqueues many unkeyed jobs in one transaction and refuses a keyed one among them, enqueueing none', async () => {
    const def = defineJob({
      id: 'test.many',
      version: 1,
      schema: z.object({ n: z.number() }),
      handler: async () => {},
    });
    const r = runner(env(), 'w1', [def]);
    const db = env().store.db;
    const ids = await db.transaction().execute((trx) =>
      r.enqueueMany(
        [1, 2, 3].map((n) => ({ name: 'test.many', payload: { n } })),
        trx,
      ),
    );
    assert.equal(new Set(ids).size, 3);
    const keyed = [
      { name: 'test.many', payload: { n: 4 } },
      { name: 'test.many', payload: { n: 5 }, idempotencyKey: 'many:5' },
    ];
    await assert.rejects(
      // @ts-expect-error: the type refuses a keyed job; untyped callers meet the run-time check
      db.transaction().execute((trx) => r.enqueueMany(keyed, trx)),
      (e) =>
        isVowError(e) && e.code === 'VOW_JOB_BATCH_KEYED' && (e.details as { index: number }).index === 1,
    );
    await assert.rejects(
      db.transaction().execute((trx) => r.enqueueMany([{ name: 'test.many', payload: { n: 'x' } }], trx)),
      (e) => isVowError(e) && e.code === 'VOW_JOB_PAYLOAD_INVALID',
    );
    assert.deepEqual((await r.list({ name: 'test.many' })).map((j) => j.id).sort(), [...ids].sort());
  });

  it('waits for run_at, retries a failing job after a back-off and gives up after max attempts', async () => {
    let calls = 0;
    const def = defineJob({
      id: 'test.flaky',
      version: 1,
      schema: z.object({}),
      maxAttempts: 2,
      handler: async () => {
        calls++;
        throw new Error('boom');
      },
    });
    const e = env();
    const r = runner(e, 'w1', [def]);
    const { id } = await r.enqueue({
      name: 'test.flaky',
      payload: {},
      runAt: new Date(e.clock.now().getTime() + 60_000),
    });
    assert.equal(await r.runOnce(), null, 'not due yet');
    e.clock.advance(60_000);
    assert.equal((await r.runOnce())?.status, 'pending');
    assert.equal(await r.runOnce(), null, 'backing off');
    assert.equal((await r.get(id))?.lastError, 'Error');
    e.clock.advance(30_000);
    assert.equal((await r.runOnce())?.status, 'failed');
    e.clock.advance(24 * 3600_000);
    assert.equal(await r.runOnce(), null);
    assert.equal(calls, 2);
    assert.equal((await r.get(id))?.status, 'failed');
  });

  it('a crashed worker’s job is taken again after its lease expires and each step runs exactly once', async () => {
    const e = env();
    const effects: string[] = [];
    const stall = deferred();
    const reachedStall = deferred();
    let stallOnce = true;
    const def = defineJob({
      id: 'test.steps',
      version: 1,
      schema: z.object({ requestId: z.string() }),
      handler: async ({ requestId }, job) => {
        await job.step('first', async (trx) => {
          effects.push(`first:${job.attempt}`);
          await trx
            .insertInto('vow_meta')
            .values({ key: `first:${requestId}`, value: '1', updated_at: 'x' })
            .execute();
          return 1;
        });
        if (stallOnce) {
          stallOnce = false;
          reachedStall.resolve();
          await stall.promise; // the worker hangs here, as if the process froze
        }
        await job.step('second', async (trx) => {
          effects.push(`second:${job.attempt}`);
          await trx
            .insertInto('vow_meta')
            .values({ key: `second:${requestId}`, value: '1', updated_at: 'x' })
            .execute();
          return 2;
        });
        return { ok: true };
      },
    });
    const a = runner(e, 'worker-a', [def]);
    const b = runner(e, 'worker-b', [def]);
    const { id } = await a.enqueue({
      name: 'test.steps',
      payload: { requestId: 'crash-1' },
      idempotencyKey: 'crash-1',
    });
    const first = a.runOnce();
    await reachedStall.promise;
    assert.equal(await b.runOnce(), null, 'leased to worker A: not claimable');
    e.clock.advance(61_000);
    assert.deepEqual(await b.runOnce(), { id, name: 'test.steps', status: 'done' });
    stall.resolve();
    assert.equal((await first)?.status, 'lease_lost', 'the stale worker may not finish or repeat work');
    assert.deepEqual(effects, ['first:1', 'second:2']);
    const keys = await e.store.db
      .selectFrom('vow_meta')
      .select('key')
      .where('key', 'like', '%:crash-1')
      .execute();
    assert.deepEqual(keys.map((k) => k.key).sort(), ['first:crash-1', 'second:crash-1']);
    const job = await a.get(id);
    assert.equal(job?.status, 'done');
    assert.equal(job?.attempts, 2);
  });

  it('two workers racing for one job: exactly one claims it', async () => {
    let runs = 0;
    const def = defineJob({
      id: 'test.race',
      version: 1,
      schema: z.object({}),
      handler: async () => {
        runs++;
      },
    });
    const e = env();
    const workers = [runner(e, 'r1', [def]), runner(e, 'r2', [def]), runner(e, 'r3', [def])];
    await workers[0]!.enqueue({ name: 'test.race', payload: {} });
    const outcomes = await Promise.all(workers.map((w) => w.runOnce()));
    assert.equal(outcomes.filter((o) => o !== null).length, 1);
    assert.equal(runs, 1);
  });

  it('the background runner picks up a job and stops cleanly', async () => {
    const done = deferred();
    const def = defineJob({
      id: 'test.background',
      version: 1,
      schema: z.object({}),
      handler: async () => {
        done.resolve();
      },
    });
    const r = new JobRunner(env().ctx, { pollMs: 5 });
    r.register(def);
    r.start();
    await r.enqueue({ name: 'test.background', payload: {} });
    r.wake();
    await done.promise;
    await r.stop();
    assert.equal((await r.list({ name: 'test.background' }))[0]?.status, 'done');
  });
  it('once() skips work a previous attempt recorded, and records work done outside a transaction', async () => {
    const e = env();
    let walks = 0;
    let failFirst = true;
    const def = defineJob({
      id: 'test.once_steps',
      version: 1,
      schema: z.object({}),
      handler: async (_p, job) => {
        const a = await job.once('walk', async () => {
          walks++;
          return { changes: 3 };
        });
        if (failFirst) {
          failFirst = false;
          throw new Error('crash after the walk');
        }
        return a;
      },
    });
    const r = runner(e, 'w-once', [def]);
    const { id } = await r.enqueue({ name: 'test.once_steps', payload: {} });
    assert.equal((await r.runOnce())?.status, 'pending');
    e.clock.advance(30_000);
    assert.equal((await r.runOnce())?.status, 'done');
    assert.equal(walks, 1);
    assert.deepEqual((await r.get(id))?.result, { changes: 3 });
  });

  it('leaves a job enqueued by a newer definition version to a process that has that version', async () => {
    const e = env();
    let ranBy = '';
    const v1 = defineJob({
      id: 'test.versioned',
      version: 1,
      schema: z.object({}),
      handler: async () => {
        ranBy = 'v1';
      },
    });
    const v2 = defineJob({
      id: 'test.versioned',
      version: 2,
      schema: z.object({}),
      handler: async () => {
        ranBy = 'v2';
      },
    });
    const oldProcess = runner(e, 'old', [v1]);
    const newProcess = runner(e, 'new', [v2]);
    await newProcess.enqueue({ name: 'test.versioned', payload: {} });
    assert.equal(await oldProcess.runOnce(), null);
    assert.equal((await newProcess.runOnce())?.status, 'done');
    assert.equal(ranBy, 'v2');
  });

  it('a runner with onlyOwnJobs runs the jobs it enqueued and leaves the queue of the store alone', async () => {
    const e = env();
    const ran: string[] = [];
    const def = defineJob({
      id: 'test.own',
      version: 1,
      schema: z.object({ who: z.string() }),
      handler: async ({ who }) => {
        ran.push(who);
      },
    });
    const store = runner(e, 'store', [def]);
    const replay = new JobRunner(e.ctx, { workerId: 'replay', onlyOwnJobs: true });
    replay.register(def);
    await store.enqueue({ name: 'test.own', payload: { who: 'store' } });
    const keyed = await store.enqueue({
      name: 'test.own',
      payload: { who: 'keyed' },
      idempotencyKey: 'own:k',
    });
    await replay.enqueue({ name: 'test.own', payload: { who: 'replay' } });
    // Enqueueing an existing key hands back the other runner's job: still not this runner's.
    assert.equal(
      (await replay.enqueue({ name: 'test.own', payload: { who: 'keyed' }, idempotencyKey: 'own:k' })).id,
      keyed.id,
    );
    assert.equal(await replay.drain(), 1);
    assert.deepEqual(ran, ['replay']);
    assert.equal(await store.drain(), 2);
    assert.deepEqual(ran.sort(), ['keyed', 'replay', 'store']);
  });
});
