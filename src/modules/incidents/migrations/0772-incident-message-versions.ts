// GDPR Art. 34: the message to the people affected in each other language the policy is published in
// (the policy's own language stays in incident_communications), so every mail carries every version.
import type { VowMigration } from '../../../platform/store/index.js';

export const migration: VowMigration = {
  async up(db) {
    await db.schema
      .createTable('incident_message_versions')
      .addColumn('incident_id', 'text', (c) => c.notNull())
      .addColumn('locale', 'text', (c) => c.notNull())
      .addColumn('position', 'integer', (c) => c.notNull())
      .addColumn('subject', 'text', (c) => c.notNull())
      .addColumn('what_happened', 'text', (c) => c.notNull())
      .addColumn('consequences', 'text', (c) => c.notNull())
      .addColumn('measures', 'text', (c) => c.notNull())
      .addColumn('advice', 'text', (c) => c.notNull())
      .addPrimaryKeyConstraint('incident_message_versions_pk', ['incident_id', 'locale'])
      .execute();
  },
};
