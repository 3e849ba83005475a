// Idempotency keys of the collection endpoints (`Idempotency-Key` header): the first answer to a key
// is kept for a day, so a retried request is answered again instead of stored twice.
import type { VowMigration } from '../../../platform/store/index.js';

export const migration: VowMigration = {
  async up(db) {
    await db.schema
      .createTable('collection_idempotency')
      .addColumn('key_hash', 'text', (c) => c.primaryKey())
      .addColumn('request_hash', 'text', (c) => c.notNull())
      .addColumn('status', 'integer', (c) => c.notNull())
      .addColumn('answer', 'text', (c) => c.notNull())
      .addColumn('subject_id', 'text', (c) => c.notNull())
      .addColumn('other_subject_id', 'text')
      .addColumn('created_at', 'text', (c) => c.notNull())
      .addColumn('expires_at', 'text', (c) => c.notNull())
      .execute();
    await db.schema
      .createIndex('collection_idempotency_expiry')
      .on('collection_idempotency')
      .column('expires_at')
      .execute();
    await db.schema
      .createIndex('collection_idempotency_subject')
      .on('collection_idempotency')
      .column('subject_id')
      .execute();
  },
};
