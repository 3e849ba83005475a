// The people marked as under 13, found by id range without reading every person (audiences). An
// audience page joined `subjects` for this one flag: a look-up per contact, ~15% of the CPU of the
// million-person email audience, to find the few marked people; the partial index holds only them.
import { sql } from 'kysely';
import type { VowMigration } from '../../../platform/store/index.js';

export const migration: VowMigration = {
  async up(db) {
    await db.schema
      .createIndex('subjects_under13')
      .on('subjects')
      .column('id')
      .where(sql.ref('under13'), '=', sql.lit(1))
      .execute();
  },
};
