// US state breach-notification laws: the residents of each state a breach concerns (counts only) and
// the notices given to them, their regulator and the consumer reporting agencies.
import type { VowMigration } from '../../../platform/store/index.js';

export const migration: VowMigration = {
  async up(db) {
    await db.schema
      .createTable('incident_residents')
      .addColumn('incident_id', 'text', (c) => c.notNull())
      .addColumn('state', 'text', (c) => c.notNull())
      .addColumn('residents', 'integer', (c) => c.notNull())
      .addColumn('source', 'text', (c) => c.notNull())
      .addColumn('updated_at', 'text', (c) => c.notNull())
      .addColumn('updated_by', 'text', (c) => c.notNull())
      .addPrimaryKeyConstraint('incident_residents_pk', ['incident_id', 'state'])
      .execute();
    await db.schema
      .createTable('incident_state_notices')
      .addColumn('incident_id', 'text', (c) => c.notNull())
      .addColumn('state', 'text', (c) => c.notNull())
      .addColumn('kind', 'text', (c) => c.notNull())
      .addColumn('at', 'text', (c) => c.notNull())
      .addColumn('to_whom', 'text', (c) => c.notNull())
      .addColumn('recorded_by', 'text', (c) => c.notNull())
      .addColumn('recorded_at', 'text', (c) => c.notNull())
      .addPrimaryKeyConstraint('incident_state_notices_pk', ['incident_id', 'state', 'kind'])
      .execute();
  },
};
