// The disclosure log: what was sent to which recipient, for which purpose and why; never a value.
import type { VowMigration } from '../../../platform/store/index.js';

export const migration: VowMigration = {
  async up(db) {
    await db.schema
      .createTable('disclosures')
      .addColumn('id', 'text', (c) => c.primaryKey())
      // One disclosure can cover several people (an order's buyer and gift recipient).
      .addColumn('disclosure_id', 'text', (c) => c.notNull())
      .addColumn('subject_id', 'text', (c) => c.notNull())
      .addColumn('recipient', 'text', (c) => c.notNull())
      .addColumn('purpose', 'text', (c) => c.notNull())
      .addColumn('record_id', 'text')
      // JSON arrays of category ids and field names sent (names only).
      .addColumn('categories', 'text', (c) => c.notNull())
      .addColumn('fields', 'text', (c) => c.notNull())
      // JSON array of rule ids that allowed it.
      .addColumn('rules', 'text', (c) => c.notNull())
      .addColumn('policy_version', 'text', (c) => c.notNull())
      .addColumn('disclosed_at', 'text', (c) => c.notNull())
      .execute();
    await db.schema.createIndex('disclosures_subject').on('disclosures').column('subject_id').execute();
  },
};
