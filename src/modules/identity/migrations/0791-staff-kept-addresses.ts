// A console page asked for with no live staff session, its query string and all (a list's filters
// and position), is kept for a short while (kept-addresses.ts), so signing in again opens it as it
// was: sealed under a key only the log-in page's token opens, never an address or a cookie.
import type { VowMigration } from '../../../platform/store/index.js';

export const migration: VowMigration = {
  async up(db) {
    await db.schema
      .createTable('staff_kept_addresses')
      .addColumn('id', 'text', (c) => c.primaryKey())
      .addColumn('secret_hash', 'text', (c) => c.notNull())
      // Null when the browser had no session at all (a bookmark): whoever signs in through that page.
      .addColumn('staff_id', 'text')
      .addColumn('sealed', 'text', (c) => c.notNull())
      .addColumn('created_at', 'text', (c) => c.notNull())
      .addColumn('expires_at', 'text', (c) => c.notNull())
      .execute();
    await db.schema
      .createIndex('staff_kept_addresses_expires')
      .on('staff_kept_addresses')
      .column('expires_at')
      .execute();
    await db.schema
      .createIndex('staff_kept_addresses_owner')
      .on('staff_kept_addresses')
      .column('staff_id')
      .execute();
  },
};
