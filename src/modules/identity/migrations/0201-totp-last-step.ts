// A TOTP code works once: the time step last used to log in is remembered per staff member.
import type { VowMigration } from '../../../platform/store/index.js';

export const migration: VowMigration = {
  async up(db) {
    await db.schema.alterTable('staff_accounts').addColumn('totp_last_step', 'bigint').execute();
  },
};
