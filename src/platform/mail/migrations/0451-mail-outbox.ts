// The mail outbox (src/mail): messages are written here first and delivered by a durable job.
import type { VowMigration } from '../../store/index.js';

export const migration: VowMigration = {
  async up(db) {
    await db.schema
      .createTable('mail_outbox')
      .addColumn('id', 'text', (c) => c.primaryKey())
      .addColumn('kind', 'text', (c) => c.notNull())
      .addColumn('subject_id', 'text')
      .addColumn('audience', 'text', (c) => c.notNull())
      .addColumn('sealed', 'text')
      .addColumn('status', 'text', (c) => c.notNull())
      .addColumn('message_id', 'text')
      .addColumn('last_error', 'text')
      .addColumn('created_at', 'text', (c) => c.notNull())
      .addColumn('sent_at', 'text')
      .execute();
    await db.schema.createIndex('mail_outbox_subject').on('mail_outbox').columns(['subject_id']).execute();
    await db.schema
      .createIndex('mail_outbox_kind')
      .on('mail_outbox')
      .columns(['kind', 'created_at'])
      .execute();
  },
};
