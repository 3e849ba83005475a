// subject_identifiers keeps one index led by subject_id (migration 0700 dropped the narrower one,
// a write per identifier for nothing), and a person's identifiers are still found through an index.
import assert from 'node:assert/strict';
import { it } from 'node:test';
import { sql } from 'kysely';
import { describeEachDialect } from '../helpers/env.js';

describeEachDialect('subject_identifiers indexes', (env) => {
  const indexes = async (): Promise<string[]> => {
    const db = env().store.db;
    const rows =
      env().store.dialect === 'sqlite'
        ? (
            await sql<{
              name: string;
            }>`select name from sqlite_master where type = 'index' and tbl_name = 'subject_identifiers'`.execute(
              db,
            )
          ).rows
        : (
            await sql<{
              name: string;
            }>`select indexname as name from pg_indexes where tablename = 'subject_identifiers' and schemaname = current_schema()`.execute(
              db,
            )
          ).rows;
    return rows.map((r) => r.name).sort();
  };

  it('one index led by subject_id, which serves a look-up by person', async () => {
    const names = await indexes();
    assert.ok(!names.includes('subject_identifiers_subject'), names.join(', '));
    assert.ok(names.includes('subject_identifiers_subject_kind'), names.join(', '));
    assert.ok(names.includes('subject_identifiers_index'), names.join(', '));
    if (env().store.dialect === 'sqlite') {
      const plan = await sql<{
        detail: string;
      }>`explain query plan select id from subject_identifiers where subject_id = ${'x'}`.execute(
        env().store.db,
      );
      assert.match(
        plan.rows.map((r) => r.detail).join('\n'),
        /USING (COVERING )?INDEX subject_identifiers_subject_kind/,
      );
    }
  });
});
