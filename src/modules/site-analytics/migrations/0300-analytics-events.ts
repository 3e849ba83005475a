// Cookie consent and site measurement: scrubbed events, counters of dropped events, and the log of
// what was forwarded to Google Analytics.
import type { VowMigration } from '../../../platform/store/index.js';

export const migration: VowMigration = {
  async up(db, kit) {
    await kit
      .withSerialId(db.schema.createTable('analytics_events'), 'id')
      .addColumn('visitor_id', 'text', (c) => c.notNull())
      .addColumn('type', 'text', (c) => c.notNull())
      .addColumn('area', 'text', (c) => c.notNull())
      .addColumn('path', 'text', (c) => c.notNull())
      .addColumn('duration_ms', 'integer')
      .addColumn('value_cents', 'bigint')
      .addColumn('currency', 'text')
      .addColumn('browser_family', 'text', (c) => c.notNull())
      .addColumn('at', 'text', (c) => c.notNull())
      .execute();
    await db.schema.createIndex('analytics_events_at').on('analytics_events').columns(['at']).execute();
    await db.schema
      .createIndex('analytics_events_visitor')
      .on('analytics_events')
      .columns(['visitor_id', 'at'])
      .execute();
    await db.schema
      .createTable('analytics_counters')
      .addColumn('name', 'text', (c) => c.primaryKey())
      .addColumn('count', 'bigint', (c) => c.notNull().defaultTo(0))
      .addColumn('updated_at', 'text', (c) => c.notNull())
      .execute();
    await kit
      .withSerialId(db.schema.createTable('ga_forwards'), 'id')
      .addColumn('visitor_id', 'text', (c) => c.notNull())
      .addColumn('event_type', 'text', (c) => c.notNull())
      .addColumn('params', 'text', (c) => c.notNull())
      .addColumn('status', 'text', (c) => c.notNull())
      .addColumn('at', 'text', (c) => c.notNull())
      .execute();
    await db.schema.createIndex('ga_forwards_visitor').on('ga_forwards').columns(['visitor_id']).execute();
  },
};
