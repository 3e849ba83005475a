// One-time passwords issued before 0781 get an end too (security.md #39, #46): 7 days after the
// account's last change (`updated_at`), which issuing the password set, so never sooner than the rule
// a password issued today follows (later only by the time between the issue and a later change of the
// account's roles or state). One issued more than 7 days before the upgrade ends at once, as one
// issued after 0781 would have: `vow staff reset-password` gives its holder a new one. A handful of
// rows (staff accounts waiting on a first log-in), so they are read and written one by one.
import type { VowMigration } from '../../../platform/store/index.js';

/** The one-time password's life when this migration was written (ONE_TIME_PASSWORD_TTL_MS then). */
const SEVEN_DAYS_MS = 7 * 24 * 60 * 60 * 1000;

export const migration: VowMigration = {
  async up(db) {
    const pending = (await db
      .selectFrom('staff_accounts')
      .select(['id', 'created_at', 'updated_at'])
      .where('must_change_password', '=', 1)
      .where('one_time_expires_at', 'is', null)
      .execute()) as { id: string; created_at: string; updated_at: string }[];
    for (const row of pending) {
      const issued = [row.updated_at, row.created_at].map((t) => Date.parse(t)).find((t) => !Number.isNaN(t));
      // An unreadable time (never written by Vow) ends the password at once.
      const end = new Date((issued ?? 0) + SEVEN_DAYS_MS).toISOString();
      await db
        .updateTable('staff_accounts')
        .set({ one_time_expires_at: end })
        .where('id', '=', row.id)
        .where('one_time_expires_at', 'is', null)
        .execute();
    }
  },
};
