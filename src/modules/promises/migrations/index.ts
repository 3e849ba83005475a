// The migrations of modules/promises, by name (a shipped migration is never edited or renamed).
import type { VowMigration } from '../../../platform/store/index.js';
import { migration as m0500 } from './0500-promise-checks.js';
import { migration as m0580 } from './0580-promise-monitor.js';
import { migration as m0765 } from './0765-audit-target-index.js';

export const promisesMigrations: Readonly<Record<string, VowMigration>> = {
  '0500-promise-checks': m0500,
  '0580-promise-monitor': m0580,
  '0765-audit-target-index': m0765,
};
