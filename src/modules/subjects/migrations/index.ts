// The migrations of modules/subjects, by name (a shipped migration is never edited or renamed).
import type { VowMigration } from '../../../platform/store/index.js';
import { migration as m0100 } from './0100-subjects.js';
import { migration as m0552 } from './0552-under13-index.js';
import { migration as m0570 } from './0570-under13-proposals.js';
import { migration as m0700 } from './0700-identifiers-subject-index.js';
import { migration as m0710 } from './0710-identifiers-searchable-index.js';
import { migration as m0711 } from './0711-under13-markers-searchable.js';

export const subjectsMigrations: Readonly<Record<string, VowMigration>> = {
  '0100-subjects': m0100,
  '0552-under13-index': m0552,
  '0570-under13-proposals': m0570,
  '0700-identifiers-subject-index': m0700,
  '0710-identifiers-searchable-index': m0710,
  '0711-under13-markers-searchable': m0711,
};
