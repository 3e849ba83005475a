// Every migration, by name: each module and platform part keeps its own in its migrations/ folder
// and they are joined here. Names sort in the order they run; a shipped migration is never edited or
// renamed (a database records the names it applied). Two parts may not ship the same name.
import { collectionMigrations } from '../modules/collection/index.js';
import { complaintsMigrations } from '../modules/complaints/index.js';
import { consentMigrations } from '../modules/consent/index.js';
import { disclosuresMigrations } from '../modules/disclosures/index.js';
import { downstreamMigrations } from '../modules/downstream/index.js';
import { experimentsMigrations } from '../modules/experiments/index.js';
import { identityMigrations } from '../modules/identity/index.js';
import { importsMigrations } from '../modules/imports/index.js';
import { incidentsMigrations } from '../modules/incidents/index.js';
import { promisesMigrations } from '../modules/promises/index.js';
import { reportsMigrations } from '../modules/reports/index.js';
import { rightsMigrations } from '../modules/rights/index.js';
import { siteAnalyticsMigrations } from '../modules/site-analytics/index.js';
import { subjectsMigrations } from '../modules/subjects/index.js';
import { cryptoMigrations } from '../platform/crypto/index.js';
import { jobsMigrations } from '../platform/jobs/index.js';
import { mailMigrations } from '../platform/mail/index.js';
import { rateLimitsMigrations } from '../platform/rate-limits/index.js';
import { migrateToLatest, type Store, storeMigrations, type VowMigration } from '../platform/store/index.js';

const PARTS: readonly Readonly<Record<string, VowMigration>>[] = [
  collectionMigrations,
  complaintsMigrations,
  consentMigrations,
  disclosuresMigrations,
  downstreamMigrations,
  experimentsMigrations,
  identityMigrations,
  promisesMigrations,
  reportsMigrations,
  importsMigrations,
  incidentsMigrations,
  rightsMigrations,
  siteAnalyticsMigrations,
  subjectsMigrations,
  cryptoMigrations,
  jobsMigrations,
  mailMigrations,
  rateLimitsMigrations,
  storeMigrations,
];

function join(parts: typeof PARTS): Readonly<Record<string, VowMigration>> {
  const all: Record<string, VowMigration> = {};
  for (const part of parts) {
    for (const [name, migration] of Object.entries(part)) {
      if (all[name]) throw new Error(`Two migrations are named ${name}`);
      all[name] = migration;
    }
  }
  return Object.freeze(all);
}

export const MIGRATIONS: Readonly<Record<string, VowMigration>> = join(PARTS);

/** Applies every pending migration of Vow to the store; returns the names applied. */
export function migrate(store: Store): Promise<string[]> {
  return migrateToLatest(store, MIGRATIONS);
}
