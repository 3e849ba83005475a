// The language a complaint was made in (en-US, es-US): the acknowledgement and replies use it.
import type { VowMigration } from '../../../platform/store/index.js';

export const migration: VowMigration = {
  async up(db) {
    await db.schema
      .alterTable('complaints')
      .addColumn('locale', 'text', (c) => c.notNull().defaultTo('en-US'))
      .execute();
  },
};
