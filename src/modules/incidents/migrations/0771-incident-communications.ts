// GDPR Art. 34: the message Vow sends the people affected by a high-risk breach (one per incident), and
// per person whether it was queued, so a retried job never writes to anyone twice.
import type { VowMigration } from '../../../platform/store/index.js';

export const migration: VowMigration = {
  async up(db) {
    await db.schema
      .createTable('incident_communications')
      .addColumn('incident_id', 'text', (c) => c.primaryKey())
      .addColumn('subject', 'text', (c) => c.notNull())
      .addColumn('what_happened', 'text', (c) => c.notNull())
      .addColumn('consequences', 'text', (c) => c.notNull())
      .addColumn('measures', 'text', (c) => c.notNull())
      .addColumn('advice', 'text', (c) => c.notNull())
      .addColumn('locale', 'text', (c) => c.notNull())
      .addColumn('queued_at', 'text', (c) => c.notNull())
      .addColumn('queued_by', 'text', (c) => c.notNull())
      .addColumn('done_at', 'text')
      .execute();
    await db.schema
      .createTable('incident_notices')
      .addColumn('incident_id', 'text', (c) => c.notNull())
      .addColumn('subject_id', 'text', (c) => c.notNull())
      .addColumn('status', 'text', (c) => c.notNull())
      .addColumn('outbox_id', 'text')
      .addColumn('at', 'text', (c) => c.notNull())
      .addPrimaryKeyConstraint('incident_notices_pk', ['incident_id', 'subject_id'])
      .execute();
    await db.schema
      .createIndex('incident_notices_subject')
      .on('incident_notices')
      .column('subject_id')
      .execute();
  },
};
