// Rate-limit counters shared by several processes on one PostgreSQL (src/scale/rate-limit-store.ts).
import type { VowMigration } from '../../store/index.js';

export const migration: VowMigration = {
  async up(db) {
    await db.schema
      .createTable('rate_limit_counters')
      .addColumn('key', 'text', (c) => c.primaryKey())
      .addColumn('window_start', 'bigint', (c) => c.notNull())
      .addColumn('count', 'integer', (c) => c.notNull())
      .execute();
  },
};
