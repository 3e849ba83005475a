// The migrations of modules/complaints, by name (its tables were first created by 0452-rights).
import type { VowMigration } from '../../../platform/store/index.js';
import { migration as m0671 } from './0671-complaint-locale.js';

export const complaintsMigrations: Readonly<Record<string, VowMigration>> = {
  '0671-complaint-locale': m0671,
};
