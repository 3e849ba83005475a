// A staff one-time password expires (security.md #39): when it stops working, set as it is issued
// (an account added, a password reset) and cleared when its holder chooses their own. Accounts still
// waiting on a one-time password issued before keep it without an end: reset theirs.
import type { VowMigration } from '../../../platform/store/index.js';

export const migration: VowMigration = {
  async up(db) {
    await db.schema.alterTable('staff_accounts').addColumn('one_time_expires_at', 'text').execute();
  },
};
