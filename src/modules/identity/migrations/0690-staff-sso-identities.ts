// Staff single sign-on: which staff account an OpenID Connect provider's user (issuer + subject)
// logs in as. The subject is the provider's opaque, stable id of a staff member (not a shopper).
import type { VowMigration } from '../../../platform/store/index.js';

export const migration: VowMigration = {
  async up(db) {
    await db.schema
      .createTable('staff_sso_identities')
      .addColumn('issuer', 'text', (c) => c.notNull())
      .addColumn('subject', 'text', (c) => c.notNull())
      .addColumn('staff_id', 'text', (c) => c.notNull())
      .addColumn('created_at', 'text', (c) => c.notNull())
      .addColumn('last_login_at', 'text', (c) => c.notNull())
      .addPrimaryKeyConstraint('staff_sso_identities_pk', ['issuer', 'subject'])
      .execute();
    await db.schema
      .createIndex('staff_sso_identities_staff')
      .on('staff_sso_identities')
      .column('staff_id')
      .execute();
  },
};
