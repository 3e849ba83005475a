// A running job renews its short lease by heartbeat: a long job keeps it however long it runs, and a
// crashed worker's job (no more heartbeats) is taken again once one lease has passed, not after
// minutes. The heartbeat is driven by hand here, with the manual clock: no test sleeps.
import assert from 'node:assert/strict';
import { it } from 'node:test';
import { z } from 'zod';
import { loadConfig } from '../../src/platform/config.js';
import {
  DEFAULT_HEARTBEAT_MS,
  DEFAULT_LEASE_MS,
  defineJob,
  JobRunner,
  type Ticker,
} from '../../src/platform/jobs/index.js';
import { deferred } from '../helpers/deferred.js';
import { describeEachDialect } from '../helpers/env.js';

/** A ticker the test fires by hand (`beat()`), standing in for setInterval. */
function manualTicker(): { ticker: Ticker; beat: () => Promise<void>; active: () => number } {
  const beats = new Set<() => Promise<void>>();
  return {
    ticker: (fn) => {
      beats.add(fn);
      return () => beats.delete(fn);
    },
    beat: async () => {
      await Promise.all([...beats].map((fn) => fn()));
    },
    active: () => beats.size,
  };
}

describeEachDialect('job leases renewed by heartbeat', (env) => {
  it('defaults to a 20 s lease renewed every 5 s, configurable, the heartbeat at most half the lease', () => {
    assert.equal(DEFAULT_LEASE_MS, 20_000);
    assert.equal(DEFAULT_HEARTBEAT_MS, 5_000);
    const config = loadConfig({ VOW_JOB_LEASE_SECONDS: '30', VOW_JOB_HEARTBEAT_SECONDS: '10' });
    assert.equal(config.jobLeaseMs, 30_000);
    assert.equal(config.jobHeartbeatMs, 10_000);
    assert.equal(loadConfig({}).jobLeaseMs, 20_000);
    assert.throws(
      () => loadConfig({ VOW_JOB_LEASE_SECONDS: '10', VOW_JOB_HEARTBEAT_SECONDS: '6' }),
      (e: { code?: string }) => e.code === 'VOW_CONFIG_INVALID',
    );
  });

  it('keeps a long job leased while it beats, and hands a silent one over after one lease', async () => {
    const { ctx, clock, store } = env();
    const { promise: running, resolve: release } = deferred();
    let runs = 0;
    const { promise: startedRunning, resolve: started } = deferred();
    const long = defineJob({
      id: 'test.long_heartbeat',
      version: 1,
      schema: z.object({}),
      handler: async () => {
        runs++;
        if (runs === 1) {
          started();
          await running;
        }
        return { runs };
      },
    });
    const beatsA = manualTicker();
    const a = new JobRunner(ctx, { workerId: 'a', ticker: beatsA.ticker });
    const b = new JobRunner(ctx, { workerId: 'b', ticker: manualTicker().ticker });
    a.register(long);
    b.register(long);
    const { id } = await a.enqueue({ name: 'test.long_heartbeat', payload: {} });
    const first = a.runOnce();
    await startedRunning;
    assert.equal(beatsA.active(), 1, 'a running job has a heartbeat');
    // A minute of work, three times the lease: each beat renews it, nobody else may take the job.
    for (let t = 0; t < 12; t++) {
      clock.advance(DEFAULT_HEARTBEAT_MS);
      await beatsA.beat();
      assert.equal(await b.runOnce(), null, `still A's at ${(t + 1) * 5} s`);
    }
    const held = await store.db.selectFrom('jobs').selectAll().where('id', '=', id).executeTakeFirstOrThrow();
    assert.ok(held.lease_expires_at! > clock.now().toISOString(), 'the lease was renewed');
    // A goes silent (as a killed process does): one lease later, B takes the job and finishes it.
    clock.advance(DEFAULT_LEASE_MS - 1);
    assert.equal(await b.runOnce(), null, 'not before the lease ends');
    clock.advance(2);
    assert.deepEqual(await b.runOnce(), { id, name: 'test.long_heartbeat', status: 'done' });
    // A's late heartbeat no longer renews (the job is B's), and A cannot finish it.
    await beatsA.beat();
    assert.equal(beatsA.active(), 0, "A's heartbeat stopped once it lost the job");
    release();
    assert.equal((await first)?.status, 'lease_lost');
    assert.equal((await a.get(id))?.status, 'done');
  });
});
