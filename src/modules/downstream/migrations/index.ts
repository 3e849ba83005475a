// The migrations of modules/downstream, by name (a shipped migration is never edited or renamed).
import type { VowMigration } from '../../../platform/store/index.js';
import { migration as m0600 } from './0600-downstream.js';

export const downstreamMigrations: Readonly<Record<string, VowMigration>> = {
  '0600-downstream': m0600,
};
