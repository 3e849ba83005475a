// Runs are named by Vow (`<format>-<first 12 hex of the SHA-256>`, import-service.ts runName), never
// by the name the file was given, which could name a person: older runs are renamed the same way.
import { sql } from 'kysely';
import type { VowMigration } from '../../../platform/store/index.js';

export const migration: VowMigration = {
  async up(db) {
    await db
      .updateTable('import_runs')
      .set({ file_name: sql`${sql.ref('format')} || '-' || substr(${sql.ref('file_sha256')}, 1, 12)` })
      .execute();
  },
};
