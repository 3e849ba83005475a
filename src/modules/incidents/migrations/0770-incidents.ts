// The personal-data breach register (GDPR Art. 33(5)): incidents and their notes.
import type { VowMigration } from '../../../platform/store/index.js';

export const migration: VowMigration = {
  async up(db) {
    await db.schema
      .createTable('incidents')
      .addColumn('id', 'text', (c) => c.primaryKey())
      .addColumn('status', 'text', (c) => c.notNull())
      .addColumn('summary', 'text', (c) => c.notNull())
      .addColumn('aware_at', 'text', (c) => c.notNull())
      .addColumn('recorded_at', 'text', (c) => c.notNull())
      .addColumn('updated_at', 'text', (c) => c.notNull())
      .addColumn('reported_by', 'text')
      .addColumn('owner_id', 'text')
      .addColumn('data_categories', 'text', (c) => c.notNull())
      .addColumn('subject_kinds', 'text', (c) => c.notNull())
      .addColumn('approx_subjects', 'integer')
      .addColumn('approx_records', 'integer')
      .addColumn('consequences', 'text', (c) => c.notNull())
      .addColumn('measures', 'text', (c) => c.notNull())
      .addColumn('risk', 'text', (c) => c.notNull())
      .addColumn('risk_reason', 'text')
      .addColumn('risk_decided_at', 'text')
      .addColumn('risk_decided_by', 'text')
      .addColumn('authority', 'text')
      .addColumn('deadline_at', 'text', (c) => c.notNull())
      .addColumn('authority_notified_at', 'text')
      .addColumn('authority_reference', 'text')
      .addColumn('delay_reason', 'text')
      .addColumn('subjects_informed_at', 'text')
      .addColumn('subjects_informed_how', 'text')
      .addColumn('closed_at', 'text')
      .execute();
    await db.schema
      .createIndex('incidents_status')
      .on('incidents')
      .columns(['status', 'deadline_at'])
      .execute();
    await db.schema
      .createTable('incident_notes')
      .addColumn('id', 'text', (c) => c.primaryKey())
      .addColumn('incident_id', 'text', (c) => c.notNull())
      .addColumn('at', 'text', (c) => c.notNull())
      .addColumn('staff_id', 'text')
      .addColumn('text', 'text', (c) => c.notNull())
      .execute();
    await db.schema
      .createIndex('incident_notes_incident')
      .on('incident_notes')
      .columns(['incident_id', 'at'])
      .execute();
  },
};
