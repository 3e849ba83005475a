// Every migration, by name: each module and platform part keeps its own in its migrations/ folder
// and they are joined here. Names sort in the order they run; a shipped migration is never edited or
// renamed (a database records the names it applied). Two parts may not ship the same name.
// Every command that opens the store loads this file: the modules (and the mail part) are read
// through their light entry (light.ts), which holds their migrations without their services; their
// index.ts brought the whole app (about 0.7 s of CPU at each start of `vow migrate`, `vow staff`, …).
import { collectionMigrations } from '../modules/collection/light.js';
import { complaintsMigrations } from '../modules/complaints/light.js';
import { consentMigrations } from '../modules/consent/light.js';
import { disclosuresMigrations } from '../modules/disclosures/light.js';
import { downstreamMigrations } from '../modules/downstream/light.js';
import { experimentsMigrations } from '../modules/experiments/light.js';
import { identityMigrations } from '../modules/identity/light.js';
import { importsMigrations } from '../modules/imports/light.js';
import { incidentsMigrations } from '../modules/incidents/light.js';
import { promisesMigrations } from '../modules/promises/light.js';
import { reportsMigrations } from '../modules/reports/light.js';
import { rightsMigrations } from '../modules/rights/light.js';
import { siteAnalyticsMigrations } from '../modules/site-analytics/light.js';
import { subjectsMigrations } from '../modules/subjects/light.js';
import { cryptoMigrations } from '../platform/crypto/index.js';
import { jobsMigrations } from '../platform/jobs/index.js';
import { mailMigrations } from '../platform/mail/light.js';
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
