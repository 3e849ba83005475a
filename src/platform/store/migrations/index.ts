// The migrations of platform/store, by name (a shipped migration is never edited or renamed).
import type { VowMigration } from '../migration-kit.js';
import { migration as m0001 } from './0001-core.js';

export const storeMigrations: Readonly<Record<string, VowMigration>> = {
  '0001-core': m0001,
};
