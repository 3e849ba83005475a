// The records of declared forms (collection points whose fields the policy types): one row per
// submission, and one per value, sealed under the person's key with its field's category, so the
// dataset walker exports, corrects and deletes each value by category.
import type { VowMigration } from '../../../platform/store/index.js';

export const migration: VowMigration = {
  async up(db) {
    await db.schema
      .createTable('form_submissions')
      .addColumn('id', 'text', (c) => c.primaryKey())
      .addColumn('collection_point', 'text', (c) => c.notNull())
      .addColumn('subject_id', 'text', (c) => c.notNull())
      .addColumn('policy_version', 'text', (c) => c.notNull())
      .addColumn('collected_at', 'text', (c) => c.notNull())
      .execute();
    await db.schema
      .createIndex('form_submissions_subject')
      .on('form_submissions')
      .column('subject_id')
      .execute();

    await db.schema
      .createTable('form_values')
      .addColumn('submission_id', 'text', (c) => c.notNull())
      .addColumn('field', 'text', (c) => c.notNull())
      .addColumn('subject_id', 'text', (c) => c.notNull())
      .addColumn('category', 'text', (c) => c.notNull())
      .addColumn('value_type', 'text', (c) => c.notNull())
      .addColumn('value', 'text', (c) => c.notNull())
      .addPrimaryKeyConstraint('form_values_pk', ['submission_id', 'field'])
      .execute();
    await db.schema.createIndex('form_values_subject').on('form_values').column('subject_id').execute();
  },
};
