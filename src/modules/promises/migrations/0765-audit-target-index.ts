// The promise monitor's incremental runs read again the audit entries of the people written since the
// last run (a token deleted or a ledger event lost after the entry was first read): by target, so an
// index on the audit trail's target. The trail's rows are never changed; an index adds no column.
import type { VowMigration } from '../../../platform/store/index.js';

export const migration: VowMigration = {
  async up(db) {
    await db.schema.createIndex('audit_log_target').on('audit_log').columns(['target_id', 'seq']).execute();
  },
};
