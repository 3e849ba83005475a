// Layout experiments (definitions, first exposures) and aggregate reports (released answers and
// the privacy budget each recipient has spent per period).
import type { VowMigration } from '../../../platform/store/index.js';

export const migration: VowMigration = {
  async up(db, kit) {
    await db.schema
      .createTable('experiments')
      .addColumn('id', 'text', (c) => c.primaryKey())
      .addColumn('name', 'text', (c) => c.notNull())
      .addColumn('description', 'text', (c) => c.notNull())
      .addColumn('variants', 'text', (c) => c.notNull())
      .addColumn('min_sample_per_arm', 'integer', (c) => c.notNull())
      .addColumn('currency', 'text', (c) => c.notNull())
      .addColumn('status', 'text', (c) => c.notNull())
      .addColumn('created_at', 'text', (c) => c.notNull())
      .addColumn('created_by', 'text')
      .addColumn('stopped_at', 'text')
      .execute();
    await kit
      .withSerialId(db.schema.createTable('experiment_exposures'), 'seq')
      .addColumn('experiment_id', 'text', (c) => c.notNull())
      .addColumn('visitor_id', 'text', (c) => c.notNull())
      .addColumn('variant', 'text', (c) => c.notNull())
      .addColumn('at', 'text', (c) => c.notNull())
      .addUniqueConstraint('experiment_exposures_once', ['experiment_id', 'visitor_id'])
      .execute();
    await db.schema
      .createIndex('experiment_exposures_visitor')
      .on('experiment_exposures')
      .columns(['visitor_id'])
      .execute();
    await db.schema
      .createTable('report_releases')
      .addColumn('id', 'text', (c) => c.primaryKey())
      .addColumn('report', 'text', (c) => c.notNull())
      .addColumn('period', 'text', (c) => c.notNull())
      .addColumn('epsilon_milli', 'integer', (c) => c.notNull())
      .addColumn('threshold', 'integer', (c) => c.notNull())
      .addColumn('contribution_cap', 'integer', (c) => c.notNull())
      .addColumn('cells', 'text', (c) => c.notNull())
      .addColumn('policy_version', 'text', (c) => c.notNull())
      .addColumn('released_at', 'text', (c) => c.notNull())
      .addUniqueConstraint('report_releases_once', ['report', 'period'])
      .execute();
    await kit
      .withSerialId(db.schema.createTable('report_receipts'), 'seq')
      .addColumn('release_id', 'text', (c) => c.notNull())
      .addColumn('recipient', 'text', (c) => c.notNull())
      .addColumn('period', 'text', (c) => c.notNull())
      .addColumn('epsilon_milli', 'integer', (c) => c.notNull())
      .addColumn('staff_id', 'text')
      .addColumn('at', 'text', (c) => c.notNull())
      .addUniqueConstraint('report_receipts_once', ['release_id', 'recipient'])
      .execute();
    await db.schema
      .createIndex('report_receipts_budget')
      .on('report_receipts')
      .columns(['recipient', 'period'])
      .execute();
  },
};
