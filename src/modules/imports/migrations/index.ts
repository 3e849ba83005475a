// The migrations of modules/imports, by name (a shipped migration is never edited or renamed).
import type { VowMigration } from '../../../platform/store/index.js';
import { migration as m0640 } from './0640-imports.js';
import { migration as m0720 } from './0720-import-line-numbering.js';
import { migration as m0731 } from './0731-import-run-names.js';

export const importsMigrations: Readonly<Record<string, VowMigration>> = {
  '0640-imports': m0640,
  '0720-import-line-numbering': m0720,
  '0731-import-run-names': m0731,
};
