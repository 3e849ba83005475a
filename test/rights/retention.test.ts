import assert from 'node:assert/strict';
import { before, it } from 'node:test';
import { describeEachDialect } from '../helpers/env.js';
import { connectHarness, type RightsHarness } from './helpers.js';

describeEachDialect('the request log is kept 24 months', (env) => {
  let h: RightsHarness;
  before(() => {
    h = connectHarness(env());
  });

  it('a daily job removes expired export data and requests answered more than 24 months ago, and nothing younger', async () => {
    const e = env();
    e.clock.set('2026-01-10T10:00:00Z');
    const old = await e.services.rights.submit(
      { type: 'access', jurisdiction: 'us-ca' },
      { channel: 'account', sessionSubjectId: 'ret-1' },
    );
    await h.drain();
    assert.equal((await e.services.rights.get(old.requestId)).status, 'completed');
    assert.equal(
      (
        await e.store.db
          .selectFrom('rights_exports')
          .select('id')
          .where('request_id', '=', old.requestId)
          .execute()
      ).length,
      1,
    );
    e.clock.set('2027-02-10T10:00:00Z');
    const young = await e.services.rights.submit(
      { type: 'access', jurisdiction: 'us-ca' },
      { channel: 'account', sessionSubjectId: 'ret-2' },
    );
    await h.drain();

    e.clock.set('2028-01-11T12:00:00Z');
    await e.services.rights.scheduleMaintenance();
    await e.services.rights.scheduleMaintenance(); // twice: still one job for the day
    assert.equal(
      (await e.services.jobs.list({ name: 'rights.prune_log' })).filter((j) => j.status === 'pending').length,
      1,
    );
    await h.drain();
    assert.equal(
      (await e.services.jobs.list({ name: 'rights.prune_log', status: 'done' })).length,
      0,
      'not before midnight',
    );
    e.clock.set('2028-01-12T00:00:01Z');
    await h.drain();
    const done = await e.services.jobs.list({ name: 'rights.prune_log', status: 'done' });
    assert.equal(done.length, 1);
    const result = done[0]?.result as { requests: number; exports: number; jobs: number };
    assert.equal(result.requests, 1);
    assert.equal(result.exports, 2, 'both export links are past 7 days');
    assert.ok(result.jobs >= 2, 'jobs finished more than 90 days ago are gone');
    const oldJob = await e.services.jobs.findByKey(`rights:${old.requestId}`);
    assert.equal(oldJob, undefined);
    await assert.rejects(e.services.rights.get(old.requestId), /No such request/);
    assert.equal(
      (await e.services.rights.get(young.requestId)).status,
      'completed',
      'younger than 24 months: kept',
    );
    const exportsLeft = await e.store.db.selectFrom('rights_exports').select('request_id').execute();
    assert.equal(exportsLeft.length, 0, 'expired export data is gone');
    // The next day's run is already scheduled.
    assert.equal((await e.services.jobs.list({ name: 'rights.prune_log', status: 'pending' })).length, 1);
    const audit = await e.ctx.audit.list({ targetType: 'request', targetId: old.requestId });
    assert.equal(audit.at(-1)?.action, 'request.log_pruned');
  });
});
