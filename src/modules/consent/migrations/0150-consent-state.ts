// Consent: the current state per person and channel (kept in step with consent_events), the
// identifier suppression list, and one-click unsubscribe tokens.
import type { VowMigration } from '../../../platform/store/index.js';

export const migration: VowMigration = {
  async up(db) {
    await db.schema
      .createTable('consent_state')
      .addColumn('subject_ref', 'text', (c) => c.notNull())
      .addColumn('channel', 'text', (c) => c.notNull())
      .addColumn('state', 'text', (c) => c.notNull())
      .addColumn('last_event', 'text', (c) => c.notNull())
      .addColumn('last_seq', 'bigint', (c) => c.notNull())
      .addColumn('updated_at', 'text', (c) => c.notNull())
      .addPrimaryKeyConstraint('consent_state_pk', ['subject_ref', 'channel'])
      .execute();
    // Audiences: every person in a state on one channel, in subject order (keyset pagination).
    await db.schema
      .createIndex('consent_state_audience')
      .on('consent_state')
      .columns(['channel', 'state', 'subject_ref'])
      .execute();
    await db.schema
      .createTable('suppression_list')
      .addColumn('id', 'text', (c) => c.primaryKey())
      .addColumn('index_kind', 'text', (c) => c.notNull())
      .addColumn('blind_index', 'text', (c) => c.notNull())
      .addColumn('channel', 'text', (c) => c.notNull())
      .addColumn('reason', 'text', (c) => c.notNull())
      .addColumn('created_at', 'text', (c) => c.notNull())
      .addUniqueConstraint('suppression_list_entry', ['index_kind', 'blind_index', 'channel'])
      .execute();
    await db.schema
      .createTable('unsubscribe_tokens')
      .addColumn('token_index', 'text', (c) => c.primaryKey())
      .addColumn('subject_id', 'text', (c) => c.notNull())
      .addColumn('channel', 'text', (c) => c.notNull())
      .addColumn('created_at', 'text', (c) => c.notNull())
      .addColumn('used_at', 'text')
      .execute();
    await db.schema
      .createIndex('unsubscribe_tokens_subject')
      .on('unsubscribe_tokens')
      .columns(['subject_id'])
      .execute();
  },
};
