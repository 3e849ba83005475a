// People and how they are found again: subjects, their sealed identifiers with blind indexes, the
// one-subject-per-identifier look-up, the links from each collection record to the person it
// holds data of (with the kind they had there), and the under-13 markers (P14).
import type { VowMigration } from '../../../platform/store/index.js';

export const migration: VowMigration = {
  async up(db) {
    await db.schema
      .createTable('subjects')
      .addColumn('id', 'text', (c) => c.primaryKey())
      .addColumn('created_at', 'text', (c) => c.notNull())
      .addColumn('updated_at', 'text', (c) => c.notNull())
      // 1 once staff marked the person as under 13: nothing else is kept about them.
      .addColumn('under13', 'integer', (c) => c.notNull().defaultTo(0))
      .execute();

    // Which subject an identifier (by blind index) belongs to: one subject per identifier.
    await db.schema
      .createTable('subject_lookup')
      .addColumn('kind', 'text', (c) => c.notNull())
      .addColumn('blind_index', 'text', (c) => c.notNull())
      .addColumn('subject_id', 'text', (c) => c.notNull())
      .addColumn('created_at', 'text', (c) => c.notNull())
      .addPrimaryKeyConstraint('subject_lookup_pk', ['kind', 'blind_index'])
      .execute();
    await db.schema.createIndex('subject_lookup_subject').on('subject_lookup').column('subject_id').execute();

    // Every identifier as collected: sealed value, blind index, and where and as whom it came in.
    await db.schema
      .createTable('subject_identifiers')
      .addColumn('id', 'text', (c) => c.primaryKey())
      .addColumn('subject_id', 'text', (c) => c.notNull())
      .addColumn('kind', 'text', (c) => c.notNull())
      .addColumn('blind_index', 'text', (c) => c.notNull())
      .addColumn('sealed_value', 'text', (c) => c.notNull())
      .addColumn('field', 'text', (c) => c.notNull())
      .addColumn('subject_kind', 'text', (c) => c.notNull())
      .addColumn('collection_point', 'text', (c) => c.notNull())
      .addColumn('record_type', 'text', (c) => c.notNull())
      .addColumn('record_id', 'text', (c) => c.notNull())
      .addColumn('policy_version', 'text', (c) => c.notNull())
      .addColumn('collected_at', 'text', (c) => c.notNull())
      .execute();
    await db.schema
      .createIndex('subject_identifiers_subject')
      .on('subject_identifiers')
      .column('subject_id')
      .execute();
    await db.schema
      .createIndex('subject_identifiers_index')
      .on('subject_identifiers')
      .columns(['kind', 'blind_index'])
      .execute();
    await db.schema
      .createIndex('subject_identifiers_record')
      .on('subject_identifiers')
      .column('record_id')
      .execute();

    // One row per (record, person in it): the kind they had there and the fields collected.
    await db.schema
      .createTable('subject_records')
      .addColumn('id', 'text', (c) => c.primaryKey())
      .addColumn('subject_id', 'text', (c) => c.notNull())
      .addColumn('subject_kind', 'text', (c) => c.notNull())
      .addColumn('collection_point', 'text', (c) => c.notNull())
      .addColumn('record_type', 'text', (c) => c.notNull())
      .addColumn('record_id', 'text', (c) => c.notNull())
      // JSON: { field: { category, purposes } } for the fields of this person in the record.
      .addColumn('fields', 'text', (c) => c.notNull())
      .addColumn('policy_version', 'text', (c) => c.notNull())
      .addColumn('collected_at', 'text', (c) => c.notNull())
      .execute();
    await db.schema
      .createIndex('subject_records_subject')
      .on('subject_records')
      .column('subject_id')
      .execute();
    await db.schema.createIndex('subject_records_record').on('subject_records').column('record_id').execute();

    // P14: the blind indexes of a known under-13 person's identifiers; no subject id, no value.
    await db.schema
      .createTable('under13_markers')
      .addColumn('kind', 'text', (c) => c.notNull())
      .addColumn('blind_index', 'text', (c) => c.notNull())
      .addColumn('marked_at', 'text', (c) => c.notNull())
      .addPrimaryKeyConstraint('under13_markers_pk', ['kind', 'blind_index'])
      .execute();
  },
};
