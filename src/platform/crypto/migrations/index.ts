// The migrations of platform/crypto, by name (a shipped migration is never edited or renamed).
import type { VowMigration } from '../../store/index.js';
import { migration as m0002 } from './0002-security-core.js';
import { migration as m0730 } from './0730-destroyed-data-keys-index.js';

export const cryptoMigrations: Readonly<Record<string, VowMigration>> = {
  '0002-security-core': m0002,
  '0730-destroyed-data-keys-index': m0730,
};
