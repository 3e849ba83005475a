// subject_identifiers keeps one index led by subject_id (migration 0700 dropped the narrower one,
// a write per identifier for nothing), and one index by value that holds only the kinds looked up by
// value (migration 0710: accounts, emails, phones; never addresses). The look-ups by value carry the
// term `searchableKind` writes, and each dialect's planner then reads that partial index.
import assert from 'node:assert/strict';
import { it } from 'node:test';
import { type Compilable, CompiledQuery, sql } from 'kysely';
import { SEARCHABLE_KINDS, searchableKind } from '../../src/modules/subjects/index.js';
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

  /** A query's plan, as text; on PostgreSQL with sequential scans off, so an index that can serve it does. */
  const planOf = async (query: Compilable): Promise<string> => {
    const { sql: text, parameters } = query.compile();
    if (env().store.dialect === 'sqlite') {
      const r = await env().store.db.executeQuery<{ detail: string }>(
        CompiledQuery.raw(`explain query plan ${text}`, [...parameters]),
      );
      return r.rows.map((row) => row.detail).join('\n');
    }
    return env()
      .store.db.transaction()
      .execute(async (trx) => {
        await sql`set local enable_seqscan = off`.execute(trx);
        const r = await trx.executeQuery<{ 'QUERY PLAN': string }>(
          CompiledQuery.raw(`explain ${text}`, [...parameters]),
        );
        return r.rows.map((row) => row['QUERY PLAN']).join('\n');
      });
  };

  it('one index led by subject_id, which serves a look-up by person', async () => {
    const names = await indexes();
    assert.ok(!names.includes('subject_identifiers_subject'), names.join(', '));
    assert.ok(names.includes('subject_identifiers_subject_kind'), names.join(', '));
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

  it('the index by value holds accounts, emails and phones, and serves their look-ups', async () => {
    const names = await indexes();
    assert.ok(!names.includes('subject_identifiers_index'), names.join(', '));
    assert.ok(names.includes('subject_identifiers_searchable'), names.join(', '));
    assert.deepEqual([...SEARCHABLE_KINDS], ['account', 'email', 'phone']);
    const db = env().store.db;
    // The shapes of the look-ups by value (consent/identifiers.ts subjectsByBlindIndex, the
    // imported withdrawals' list of indexes, the children check's join): with the term, the index.
    const plans = [
      await planOf(
        db
          .selectFrom('subject_identifiers')
          .select('subject_id')
          .distinct()
          .where('kind', '=', 'phone')
          .where(searchableKind('kind'))
          .where('blind_index', '=', 'x'),
      ),
      await planOf(
        db
          .selectFrom('subject_identifiers as si')
          .select('si.blind_index')
          .where('si.kind', '=', 'email')
          .where(searchableKind('si.kind'))
          .where('si.blind_index', 'in', ['x', 'y']),
      ),
    ];
    for (const plan of plans) assert.match(plan, /subject_identifiers_searchable/, plan);
    // Without the term, SQLite cannot tell that a bound kind is one the index holds.
    if (env().store.dialect === 'sqlite') {
      const bare = await planOf(
        db
          .selectFrom('subject_identifiers')
          .select('subject_id')
          .where('kind', '=', 'phone')
          .where('blind_index', '=', 'x'),
      );
      assert.doesNotMatch(bare, /subject_identifiers_searchable/, bare);
    }
  });
});
