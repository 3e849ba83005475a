import assert from 'node:assert/strict';
import { it } from 'node:test';
import { MIGRATIONS, migrate } from '../../src/app/migrations.js';
import { loadPolicy, recordPolicyVersion } from '../../src/modules/policy/index.js';
import { describeEachDialect } from '../helpers/env.js';

describeEachDialect('store', (env) => {
  it('has applied every migration, and a second run applies nothing', async () => {
    const rows = await env()
      .store.db.selectFrom('kysely_migration' as never)
      .select('name' as never)
      .execute();
    assert.deepEqual(rows.map((r) => (r as { name: string }).name).sort(), Object.keys(MIGRATIONS).sort());
    assert.deepEqual(await migrate(env().store), []);
  });

  it('records the policy version in force once', async () => {
    const { store, clock } = env();
    await recordPolicyVersion(store, loadPolicy(), clock);
    const rows = await store.db.selectFrom('policy_versions').selectAll().execute();
    assert.equal(rows.length, 1);
    assert.equal(rows[0]!.version, env().ctx.policy.version);
    assert.equal(rows[0]!.first_seen_at, '2026-01-15T12:00:00.000Z');
  });

  it('rolls back a failed transaction', async () => {
    const { store } = env();
    await assert.rejects(
      store.db.transaction().execute(async (trx) => {
        await trx.insertInto('vow_meta').values({ key: 'k', value: 'v', updated_at: 'now' }).execute();
        throw new Error('boom');
      }),
    );
    const rows = await store.db.selectFrom('vow_meta').selectAll().where('key', '=', 'k').execute();
    assert.equal(rows.length, 0);
  });
});
