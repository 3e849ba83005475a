// The budget counts a recipient's receipts by when they were received (per calendar week and over
// a rolling window), so they are looked up by recipient and time.
import type { VowMigration } from '../../../platform/store/index.js';

export const migration: VowMigration = {
  async up(db) {
    await db.schema
      .createIndex('report_receipts_received')
      .on('report_receipts')
      .columns(['recipient', 'at'])
      .execute();
  },
};
