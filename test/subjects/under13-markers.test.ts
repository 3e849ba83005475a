// Migration 0711: the under-13 markers of addresses, which no collection is refused by, are deleted;
// the markers of accounts, emails and phones stay (they refuse a child's identifiers, P14).
import assert from 'node:assert/strict';
import { it } from 'node:test';
import { migration } from '../../src/modules/subjects/migrations/0711-under13-markers-searchable.js';
import { migrationKit } from '../../src/platform/store/migration-kit.js';
import { describeEachDialect } from '../helpers/env.js';

describeEachDialect('under-13 markers of addresses (migration 0711)', (env) => {
  it('deletes the address markers an older version kept, and keeps every other marker', async () => {
    const db = env().store.db;
    const at = env().ctx.clock.now().toISOString();
    const rows = ['account', 'email', 'phone', 'address'].map((kind) => ({
      kind,
      blind_index: `m0711-${kind}`,
      marked_at: at,
    }));
    await db.insertInto('under13_markers').values(rows).execute();
    await migration.up(db, migrationKit(env().store.dialect));
    const left = await db
      .selectFrom('under13_markers')
      .select('kind')
      .where('blind_index', 'like', 'm0711-%')
      .orderBy('kind')
      .execute();
    assert.deepEqual(
      left.map((r) => r.kind),
      ['account', 'email', 'phone'],
    );
  });
});
