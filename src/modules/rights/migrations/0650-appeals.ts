// Appeals of refused requests (US state laws): the appeal log, and who refused each request so the
// appeal is decided by someone else.
import type { VowMigration } from '../../../platform/store/index.js';

export const migration: VowMigration = {
  async up(db) {
    await db.schema.alterTable('rights_requests').addColumn('denied_by', 'text').execute();
    await db.schema
      .createTable('rights_appeals')
      .addColumn('id', 'text', (c) => c.primaryKey())
      .addColumn('request_id', 'text', (c) => c.notNull().unique())
      .addColumn('jurisdiction', 'text', (c) => c.notNull())
      .addColumn('status', 'text', (c) => c.notNull())
      .addColumn('received_at', 'text', (c) => c.notNull())
      .addColumn('due_on', 'text', (c) => c.notNull())
      .addColumn('extended_due_on', 'text')
      .addColumn('first_decider', 'text')
      .addColumn('decided_by', 'text')
      .addColumn('decided_at', 'text')
      .addColumn('sealed', 'text', (c) => c.notNull())
      .addColumn('created_at', 'text', (c) => c.notNull())
      .addColumn('updated_at', 'text', (c) => c.notNull())
      .execute();
    await db.schema
      .createIndex('rights_appeals_due')
      .on('rights_appeals')
      .columns(['status', 'due_on'])
      .execute();
  },
};
