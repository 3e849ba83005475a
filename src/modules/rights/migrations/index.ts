// The migrations of modules/rights, by name (a shipped migration is never edited or renamed).
import type { VowMigration } from '../../../platform/store/index.js';
import { migration as m0004 } from './0004-restrictions.js';
import { migration as m0452 } from './0452-rights.js';
import { migration as m0650 } from './0650-appeals.js';
import { migration as m0670 } from './0670-request-locale.js';
import { migration as m0750 } from './0750-verification-approvals.js';

export const rightsMigrations: Readonly<Record<string, VowMigration>> = {
  '0004-restrictions': m0004,
  '0452-rights': m0452,
  '0650-appeals': m0650,
  '0670-request-locale': m0670,
  '0750-verification-approvals': m0750,
};
