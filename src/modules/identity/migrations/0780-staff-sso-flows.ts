// Staff single sign-on flows, single use on Vow's side (security.md #34): each started log-in is a
// row keyed by a hash of its random state, consumed by the one callback that completes it. Nothing
// about a person: a hash of random bytes and two times.
import type { VowMigration } from '../../../platform/store/index.js';

export const migration: VowMigration = {
  async up(db) {
    await db.schema
      .createTable('staff_sso_flows')
      .addColumn('id', 'text', (c) => c.primaryKey())
      .addColumn('expires_at', 'text', (c) => c.notNull())
      .addColumn('used_at', 'text')
      .execute();
    await db.schema
      .createIndex('staff_sso_flows_expires')
      .on('staff_sso_flows')
      .column('expires_at')
      .execute();
  },
};
