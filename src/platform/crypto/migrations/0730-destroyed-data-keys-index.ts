// The keys destroyed since a moment, found by an index: every process looks for keys other processes
// destroyed about once a second (vault.ts, DESTROYED_KEYS_CHECK_MS), so the look must not read the
// whole table. Only destroyed keys are in it (most rows have none).
import { sql } from 'kysely';
import type { VowMigration } from '../../store/index.js';

export const migration: VowMigration = {
  async up(db) {
    await db.schema
      .createIndex('data_keys_destroyed_at')
      .on('data_keys')
      .column('destroyed_at')
      .where(sql.ref('destroyed_at'), 'is not', null)
      .execute();
  },
};
