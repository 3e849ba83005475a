// The promise monitor's working tables: the open findings (what breaks a promise now, by the unit
// re-checked), the change journal filled by triggers (which people and rows changed since the last
// check), the watermarks of incremental runs, and one row per run.
import type { VowMigration } from '../../../platform/store/index.js';

export const migration: VowMigration = {
  async up(db) {
    await db.schema
      .createTable('promise_findings')
      .addColumn('id', 'text', (c) => c.primaryKey())
      .addColumn('family', 'text', (c) => c.notNull())
      .addColumn('scope', 'text', (c) => c.notNull())
      .addColumn('promise', 'text', (c) => c.notNull())
      .addColumn('tbl', 'text', (c) => c.notNull())
      .addColumn('row_id', 'text', (c) => c.notNull())
      .addColumn('rule', 'text', (c) => c.notNull())
      .addColumn('reason', 'text', (c) => c.notNull())
      .addColumn('detail', 'text', (c) => c.notNull())
      .addColumn('first_seen_at', 'text', (c) => c.notNull())
      .addColumn('last_seen_at', 'text', (c) => c.notNull())
      .execute();
    await db.schema
      .createIndex('promise_findings_scope')
      .on('promise_findings')
      .columns(['family', 'scope'])
      .execute();
    await db.schema
      .createIndex('promise_findings_promise')
      .on('promise_findings')
      .columns(['promise', 'tbl', 'row_id'])
      .execute();
    await db.schema
      .createTable('promise_changes')
      .addColumn('ref', 'text', (c) => c.primaryKey())
      .addColumn('n', 'bigint', (c) => c.notNull())
      .execute();
    await db.schema
      .createTable('promise_marks')
      .addColumn('name', 'text', (c) => c.primaryKey())
      .addColumn('value', 'text', (c) => c.notNull())
      .addColumn('updated_at', 'text', (c) => c.notNull())
      .execute();
    await db.schema
      .createTable('promise_runs')
      .addColumn('id', 'text', (c) => c.primaryKey())
      .addColumn('mode', 'text', (c) => c.notNull())
      .addColumn('started_at', 'text', (c) => c.notNull())
      .addColumn('duration_ms', 'integer', (c) => c.notNull())
      .addColumn('scopes', 'integer', (c) => c.notNull())
      .addColumn('findings', 'integer', (c) => c.notNull())
      .addColumn('broken', 'text', (c) => c.notNull())
      .execute();
    await db.schema.createIndex('promise_runs_started').on('promise_runs').column('started_at').execute();
  },
};
