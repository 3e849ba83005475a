// Staff sessions end when idle (security.md #45): a session's last request, written at most once a
// minute. Null for the sessions open at the upgrade, whose log-in time then stands for it (so a
// console idle for longer than the limit is signed out once, at its next request).
import type { VowMigration } from '../../../platform/store/index.js';

export const migration: VowMigration = {
  async up(db) {
    await db.schema.alterTable('sessions').addColumn('last_seen_at', 'text').execute();
  },
};
