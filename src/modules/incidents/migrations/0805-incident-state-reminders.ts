// US state breach-notification laws: the reminders of a notice's deadline sent to the privacy
// officers, one per notice, stage and deadline, so a reminder goes once.
import type { VowMigration } from '../../../platform/store/index.js';

export const migration: VowMigration = {
  async up(db) {
    await db.schema
      .createTable('incident_state_reminders')
      .addColumn('incident_id', 'text', (c) => c.notNull())
      .addColumn('state', 'text', (c) => c.notNull())
      .addColumn('kind', 'text', (c) => c.notNull())
      .addColumn('stage', 'text', (c) => c.notNull())
      .addColumn('deadline_at', 'text', (c) => c.notNull())
      .addColumn('sent_at', 'text', (c) => c.notNull())
      .addPrimaryKeyConstraint('incident_state_reminders_pk', [
        'incident_id',
        'state',
        'kind',
        'stage',
        'deadline_at',
      ])
      .execute();
  },
};
