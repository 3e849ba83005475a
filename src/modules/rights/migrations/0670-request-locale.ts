// The language a request was made in (en-US, es-US): every message about it is written in it.
import type { VowMigration } from '../../../platform/store/index.js';

export const migration: VowMigration = {
  async up(db) {
    await db.schema
      .alterTable('rights_requests')
      .addColumn('locale', 'text', (c) => c.notNull().defaultTo('en-US'))
      .execute();
  },
};
