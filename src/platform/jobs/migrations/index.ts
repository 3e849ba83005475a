// The migrations of platform/jobs, by name (a shipped migration is never edited or renamed).
import type { VowMigration } from '../../store/index.js';
import { migration as m0450 } from './0450-jobs.js';

export const jobsMigrations: Readonly<Record<string, VowMigration>> = {
  '0450-jobs': m0450,
};
