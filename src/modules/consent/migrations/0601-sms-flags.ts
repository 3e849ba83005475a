// Ambiguous SMS replies flagged for staff (issue 20: revocation by any reasonable means).
import type { VowMigration } from '../../../platform/store/index.js';

export const migration: VowMigration = {
  async up(db) {
    await db.schema
      .createTable('sms_flags')
      .addColumn('id', 'text', (c) => c.primaryKey())
      .addColumn('phone_index', 'text', (c) => c.notNull())
      .addColumn('subject_id', 'text')
      .addColumn('sealed', 'text')
      .addColumn('word', 'text', (c) => c.notNull())
      .addColumn('status', 'text', (c) => c.notNull())
      .addColumn('received_at', 'text', (c) => c.notNull())
      .addColumn('decided_at', 'text')
      .addColumn('decided_by', 'text')
      .execute();
    await db.schema
      .createIndex('sms_flags_status')
      .on('sms_flags')
      .columns(['status', 'received_at'])
      .execute();
    await db.schema.createIndex('sms_flags_subject').on('sms_flags').column('subject_id').execute();
  },
};
