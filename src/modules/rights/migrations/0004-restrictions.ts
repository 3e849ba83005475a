// Restrictions of processing (P23): while a row is open (lifted_at null), decisions for its
// purposes are denied and the person is left out of every audience those purposes feed.
import type { VowMigration } from '../../../platform/store/index.js';

export const migration: VowMigration = {
  async up(db) {
    await db.schema
      .createTable('restrictions')
      .addColumn('id', 'text', (c) => c.primaryKey())
      .addColumn('subject_id', 'text', (c) => c.notNull())
      // 'all' (every purpose) or 'purposes' (those listed, JSON array of purpose ids or prefixes)
      .addColumn('scope', 'text', (c) => c.notNull())
      .addColumn('purposes', 'text', (c) => c.notNull().defaultTo('[]'))
      .addColumn('started_at', 'text', (c) => c.notNull())
      .addColumn('lifted_at', 'text')
      .addColumn('request_id', 'text')
      .execute();
    await db.schema
      .createIndex('restrictions_subject')
      .on('restrictions')
      .columns(['subject_id', 'lifted_at'])
      .execute();
  },
};
