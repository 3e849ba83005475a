// The migrations of modules/site-analytics, by name (a shipped migration is never edited or renamed).
import type { VowMigration } from '../../../platform/store/index.js';
import { migration as m0300 } from './0300-analytics-events.js';

export const siteAnalyticsMigrations: Readonly<Record<string, VowMigration>> = {
  '0300-analytics-events': m0300,
};
