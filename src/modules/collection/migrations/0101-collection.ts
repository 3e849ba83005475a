// The records of each collection point. Personal values are sealed under the person's data key;
// non-identifying answers (gender, catalog preferences, items) are plain columns.
import type { VowMigration } from '../../../platform/store/index.js';

export const migration: VowMigration = {
  async up(db) {
    await db.schema
      .createTable('orders')
      .addColumn('id', 'text', (c) => c.primaryKey())
      .addColumn('shop_order_id', 'text', (c) => c.notNull().unique())
      // Keyed hash of the request body: same id and same body answer the same, else 409.
      .addColumn('request_hash', 'text', (c) => c.notNull())
      .addColumn('buyer_subject_id', 'text', (c) => c.notNull())
      .addColumn('buyer_sealed', 'text', (c) => c.notNull())
      .addColumn('gift_subject_id', 'text')
      .addColumn('gift_sealed', 'text')
      .addColumn('items', 'text', (c) => c.notNull())
      .addColumn('total_cents', 'bigint', (c) => c.notNull())
      .addColumn('currency', 'text', (c) => c.notNull())
      .addColumn('placed_at', 'text', (c) => c.notNull())
      .addColumn('policy_version', 'text', (c) => c.notNull())
      .addColumn('collected_at', 'text', (c) => c.notNull())
      .execute();
    await db.schema.createIndex('orders_buyer').on('orders').column('buyer_subject_id').execute();
    await db.schema.createIndex('orders_gift').on('orders').column('gift_subject_id').execute();

    await db.schema
      .createTable('registrations')
      .addColumn('id', 'text', (c) => c.primaryKey())
      .addColumn('subject_id', 'text', (c) => c.notNull())
      .addColumn('sealed', 'text', (c) => c.notNull())
      // Non-identifying, counted by the aggregate reports (P6): an enum value or null.
      .addColumn('gender', 'text')
      .addColumn('catalog_opt_in', 'integer', (c) => c.notNull())
      .addColumn('registered_at', 'text', (c) => c.notNull())
      .addColumn('policy_version', 'text', (c) => c.notNull())
      .addColumn('collected_at', 'text', (c) => c.notNull())
      .execute();
    await db.schema.createIndex('registrations_subject').on('registrations').column('subject_id').execute();
    await db.schema
      .createIndex('registrations_gender')
      .on('registrations')
      .columns(['gender', 'registered_at'])
      .execute();

    await db.schema
      .createTable('contest_entries')
      .addColumn('id', 'text', (c) => c.primaryKey())
      .addColumn('subject_id', 'text', (c) => c.notNull())
      .addColumn('contest_id', 'text')
      .addColumn('sealed', 'text')
      .addColumn('policy_version', 'text', (c) => c.notNull())
      .addColumn('collected_at', 'text', (c) => c.notNull())
      .execute();
    await db.schema
      .createIndex('contest_entries_subject')
      .on('contest_entries')
      .column('subject_id')
      .execute();

    await db.schema
      .createTable('catalog_requests')
      .addColumn('id', 'text', (c) => c.primaryKey())
      .addColumn('subject_id', 'text', (c) => c.notNull())
      .addColumn('sealed', 'text', (c) => c.notNull())
      .addColumn('relationship_status', 'text', (c) => c.notNull())
      // JSON array of the jewelry types ticked.
      .addColumn('jewelry_types', 'text', (c) => c.notNull())
      .addColumn('budget', 'text', (c) => c.notNull())
      .addColumn('age_range', 'text', (c) => c.notNull())
      .addColumn('residence_type', 'text', (c) => c.notNull())
      .addColumn('gender', 'text')
      .addColumn('policy_version', 'text', (c) => c.notNull())
      .addColumn('collected_at', 'text', (c) => c.notNull())
      .execute();
    await db.schema
      .createIndex('catalog_requests_subject')
      .on('catalog_requests')
      .column('subject_id')
      .execute();

    await db.schema
      .createTable('sms_signups')
      .addColumn('id', 'text', (c) => c.primaryKey())
      .addColumn('subject_id', 'text', (c) => c.notNull())
      // Proof of prior express written consent: the exact wording shown and its SHA-256.
      .addColumn('consent_text', 'text', (c) => c.notNull())
      .addColumn('consent_text_sha256', 'text', (c) => c.notNull())
      .addColumn('policy_version', 'text', (c) => c.notNull())
      .addColumn('collected_at', 'text', (c) => c.notNull())
      .execute();
    await db.schema.createIndex('sms_signups_subject').on('sms_signups').column('subject_id').execute();

    await db.schema
      .createTable('inbound_messages')
      .addColumn('id', 'text', (c) => c.primaryKey())
      .addColumn('subject_id', 'text', (c) => c.notNull())
      .addColumn('sealed', 'text', (c) => c.notNull())
      .addColumn('received_at', 'text', (c) => c.notNull())
      .addColumn('policy_version', 'text', (c) => c.notNull())
      .addColumn('collected_at', 'text', (c) => c.notNull())
      .execute();
    await db.schema
      .createIndex('inbound_messages_subject')
      .on('inbound_messages')
      .column('subject_id')
      .execute();
  },
};
