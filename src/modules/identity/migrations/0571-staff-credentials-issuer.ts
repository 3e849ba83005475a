// Who issued a staff member's current credentials (the one-time password of an account created or
// reset through the API; null when the command line did): two people one of whom holds the other's
// credentials are not four eyes.
import type { VowMigration } from '../../../platform/store/index.js';

export const migration: VowMigration = {
  async up(db) {
    await db.schema.alterTable('staff_accounts').addColumn('credentials_issued_by', 'text').execute();
  },
};
