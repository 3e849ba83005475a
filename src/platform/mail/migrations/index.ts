// The migrations of platform/mail, by name (a shipped migration is never edited or renamed).
import type { VowMigration } from '../../store/index.js';
import { migration as m0451 } from './0451-mail-outbox.js';

export const mailMigrations: Readonly<Record<string, VowMigration>> = {
  '0451-mail-outbox': m0451,
};
