// The migrations of modules/disclosures, by name (a shipped migration is never edited or renamed).
import type { VowMigration } from '../../../platform/store/index.js';
import { migration as m0102 } from './0102-disclosures.js';

export const disclosuresMigrations: Readonly<Record<string, VowMigration>> = {
  '0102-disclosures': m0102,
};
