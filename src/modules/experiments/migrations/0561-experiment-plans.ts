// An experiment keeps the power calculation made when it was defined (JSON; null without a plan).
import type { VowMigration } from '../../../platform/store/index.js';

export const migration: VowMigration = {
  async up(db) {
    await db.schema.alterTable('experiments').addColumn('plan', 'text').execute();
  },
};
