// The migrations of platform/rate-limits, by name (a shipped migration is never edited or renamed).
import type { VowMigration } from '../../store/index.js';
import { migration as m0550 } from './0550-rate-limit-counters.js';

export const rateLimitsMigrations: Readonly<Record<string, VowMigration>> = {
  '0550-rate-limit-counters': m0550,
};
