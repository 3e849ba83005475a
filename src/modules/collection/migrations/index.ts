// The migrations of modules/collection, by name (a shipped migration is never edited or renamed).
import type { VowMigration } from '../../../platform/store/index.js';
import { migration as m0101 } from './0101-collection.js';
import { migration as m0572 } from './0572-idempotency-keys.js';
import { migration as m0590 } from './0590-declared-forms.js';

export const collectionMigrations: Readonly<Record<string, VowMigration>> = {
  '0101-collection': m0101,
  '0572-idempotency-keys': m0572,
  '0590-declared-forms': m0590,
};
