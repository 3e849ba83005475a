// How a run numbers the file's lines (read-file.ts, LineNumbering): runs begun before the file's own
// lines were counted keep csv-parse's count (1), so that one stopped half-way resumes from its
// checkpoint in the numbering it was written in; new runs record 2.
import type { VowMigration } from '../../../platform/store/index.js';

export const migration: VowMigration = {
  async up(db) {
    await db.schema
      .alterTable('import_runs')
      .addColumn('line_numbering', 'integer', (c) => c.notNull().defaultTo(1))
      .execute();
  },
};
