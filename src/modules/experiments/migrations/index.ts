// The migrations of modules/experiments, by name (a shipped migration is never edited or renamed).
import type { VowMigration } from '../../../platform/store/index.js';
import { migration as m0350 } from './0350-experiments-reports.js';
import { migration as m0561 } from './0561-experiment-plans.js';

export const experimentsMigrations: Readonly<Record<string, VowMigration>> = {
  '0350-experiments-reports': m0350,
  '0561-experiment-plans': m0561,
};
