// Per-person data keys (field encryption, crypto-shredding) and the hash-chained audit trail.
import type { VowMigration } from '../../store/index.js';

export const migration: VowMigration = {
  async up(db, kit) {
    await db.schema
      .createTable('data_keys')
      .addColumn('subject_id', 'text', (c) => c.primaryKey())
      .addColumn('wrapped_key', 'text')
      .addColumn('created_at', 'text', (c) => c.notNull())
      .addColumn('destroyed_at', 'text')
      .execute();
    await kit
      .withSerialId(db.schema.createTable('audit_log'), 'seq')
      .addColumn('at', 'text', (c) => c.notNull())
      .addColumn('actor_type', 'text', (c) => c.notNull())
      .addColumn('actor_id', 'text')
      .addColumn('action', 'text', (c) => c.notNull())
      .addColumn('target_type', 'text')
      .addColumn('target_id', 'text')
      .addColumn('reason', 'text')
      .addColumn('details', 'text', (c) => c.notNull())
      .addColumn('prev_hash', 'text', (c) => c.notNull())
      .addColumn('hash', 'text', (c) => c.notNull())
      .execute();
    // One row: the chain head. Appends lock it, so concurrent writers (several processes on one
    // PostgreSQL) still build one unbroken chain.
    await db.schema
      .createTable('audit_head')
      .addColumn('id', 'integer', (c) => c.primaryKey())
      .addColumn('seq', 'bigint', (c) => c.notNull())
      .addColumn('hash', 'text', (c) => c.notNull())
      .execute();
    await db.insertInto('audit_head').values({ id: 1, seq: 0, hash: 'genesis' }).execute();
  },
};
