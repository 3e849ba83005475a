// Bounces and complaints received (issue 20): keyed hashes of addresses only, to count soft bounces.
import type { VowMigration } from '../../../platform/store/index.js';

export const migration: VowMigration = {
  async up(db) {
    await db.schema
      .createTable('mail_feedback')
      .addColumn('id', 'text', (c) => c.primaryKey())
      .addColumn('email_index', 'text', (c) => c.notNull())
      .addColumn('kind', 'text', (c) => c.notNull())
      .addColumn('detail', 'text', (c) => c.notNull())
      .addColumn('received_at', 'text', (c) => c.notNull())
      .execute();
    await db.schema
      .createIndex('mail_feedback_email')
      .on('mail_feedback')
      .columns(['email_index', 'kind'])
      .execute();
  },
};
