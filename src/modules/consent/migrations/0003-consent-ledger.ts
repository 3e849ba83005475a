// The consent ledger: append-only events per person (or visitor) and channel.
import type { VowMigration } from '../../../platform/store/index.js';

export const migration: VowMigration = {
  async up(db, kit) {
    await kit
      .withSerialId(db.schema.createTable('consent_events'), 'seq')
      .addColumn('id', 'text', (c) => c.notNull().unique())
      .addColumn('subject_ref', 'text', (c) => c.notNull())
      .addColumn('channel', 'text', (c) => c.notNull())
      .addColumn('event', 'text', (c) => c.notNull())
      .addColumn('cause_type', 'text', (c) => c.notNull())
      .addColumn('cause_ref', 'text')
      .addColumn('staff_id', 'text')
      .addColumn('at', 'text', (c) => c.notNull())
      .addColumn('policy_version', 'text', (c) => c.notNull())
      .addColumn('details', 'text', (c) => c.notNull().defaultTo('{}'))
      .execute();
    await db.schema
      .createIndex('consent_events_subject')
      .on('consent_events')
      .columns(['subject_ref', 'channel', 'seq'])
      .execute();
    await db.schema
      .createIndex('consent_events_channel')
      .on('consent_events')
      .columns(['channel', 'seq'])
      .execute();
  },
};
