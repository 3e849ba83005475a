// Single sign-on sessions re-checked at the provider (security.md #54): each staff session started by
// single sign-on gets a row naming the provider's user (issuer + subject) and the provider's session
// id (`sid`, for its back-channel log-out), and, when the provider granted one, the refresh token,
// sealed by the vault (AES-256-GCM) under the staff member's key. `sessions.sso_checked_at` is when
// the session was last checked (null: never re-checked, as a session with no refresh token), written
// by a compare-and-set so one request at a time refreshes. `staff_sso_logout_jtis` keeps the hash of
// each back-channel log-out token's `jti` until the token expires, so a replay is refused.
import type { VowMigration } from '../../../platform/store/index.js';

export const migration: VowMigration = {
  async up(db) {
    await db.schema.alterTable('sessions').addColumn('sso_checked_at', 'text').execute();
    await db.schema
      .createTable('staff_sso_sessions')
      .addColumn('session_id', 'text', (c) => c.primaryKey())
      .addColumn('staff_id', 'text', (c) => c.notNull())
      .addColumn('issuer', 'text', (c) => c.notNull())
      .addColumn('subject', 'text', (c) => c.notNull())
      .addColumn('sid', 'text')
      .addColumn('refresh_sealed', 'text')
      .addColumn('verified_at', 'text', (c) => c.notNull())
      .addColumn('expires_at', 'text', (c) => c.notNull())
      .execute();
    await db.schema
      .createIndex('staff_sso_sessions_subject')
      .on('staff_sso_sessions')
      .columns(['issuer', 'subject'])
      .execute();
    await db.schema
      .createIndex('staff_sso_sessions_sid')
      .on('staff_sso_sessions')
      .columns(['issuer', 'sid'])
      .execute();
    await db.schema
      .createIndex('staff_sso_sessions_expires')
      .on('staff_sso_sessions')
      .column('expires_at')
      .execute();
    await db.schema
      .createTable('staff_sso_logout_jtis')
      .addColumn('id', 'text', (c) => c.primaryKey())
      .addColumn('expires_at', 'text', (c) => c.notNull())
      .execute();
    await db.schema
      .createIndex('staff_sso_logout_jtis_expires')
      .on('staff_sso_logout_jtis')
      .column('expires_at')
      .execute();
  },
};
