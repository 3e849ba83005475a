// Core tables: the installation's metadata and the history of policy versions.
import type { VowMigration } from '../migration-kit.js';

export const migration: VowMigration = {
  async up(db, kit) {
    await db.schema
      .createTable('vow_meta')
      .addColumn('key', 'text', (c) => c.primaryKey())
      .addColumn('value', 'text', (c) => c.notNull())
      .addColumn('updated_at', 'text', (c) => c.notNull())
      .execute();
    await kit
      .withSerialId(db.schema.createTable('vow_heartbeat'), 'id')
      .addColumn('at', 'text', (c) => c.notNull())
      .execute();
    await db.schema
      .createTable('policy_versions')
      .addColumn('version', 'text', (c) => c.primaryKey())
      .addColumn('consent_version', 'text', (c) => c.notNull())
      .addColumn('name', 'text', (c) => c.notNull())
      .addColumn('effective_date', 'text', (c) => c.notNull())
      .addColumn('source', 'text', (c) => c.notNull())
      .addColumn('first_seen_at', 'text', (c) => c.notNull())
      .execute();
  },
};
