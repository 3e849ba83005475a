// The migrations of modules/reports, by name (a shipped migration is never edited or renamed). The
// reports' tables were created by 0350-experiments-reports, kept in modules/experiments.
import type { VowMigration } from '../../../platform/store/index.js';
import { migration as m0560 } from './0560-report-receipts-by-time.js';

export const reportsMigrations: Readonly<Record<string, VowMigration>> = {
  '0560-report-receipts-by-time': m0560,
};
