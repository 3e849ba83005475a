// A console form posted after its staff session lapsed is kept for a short while (form-drafts.ts), so
// signing in again gives it back: the fields sealed under a key only the sign-in page's token opens.
import type { VowMigration } from '../../../platform/store/index.js';

export const migration: VowMigration = {
  async up(db) {
    await db.schema
      .createTable('staff_form_drafts')
      .addColumn('id', 'text', (c) => c.primaryKey())
      .addColumn('secret_hash', 'text', (c) => c.notNull())
      .addColumn('staff_id', 'text', (c) => c.notNull())
      .addColumn('sealed', 'text', (c) => c.notNull())
      .addColumn('created_at', 'text', (c) => c.notNull())
      .addColumn('expires_at', 'text', (c) => c.notNull())
      .execute();
    await db.schema
      .createIndex('staff_form_drafts_expires')
      .on('staff_form_drafts')
      .column('expires_at')
      .execute();
  },
};
