// subject_identifiers had two indexes led by subject_id: (subject_id), from the first schema, and
// (subject_id, kind, collected_at), added for the audiences (0551). Every look-up by person that the
// first served, the second serves as well (it begins with the same column), so the first only cost
// a write per identifier: three of the about 33 index entries a new buyer makes (BENCHMARKS.md).
import type { VowMigration } from '../../../platform/store/index.js';

export const migration: VowMigration = {
  async up(db) {
    await db.schema.dropIndex('subject_identifiers_subject').ifExists().execute();
  },
};
