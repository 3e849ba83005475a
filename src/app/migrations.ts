// Every migration, by name. Names sort in the order they run; a shipped migration is never edited.
// Each domain adds its own file here (NNNN-domain.ts) and one line below.

import { migration as collection } from '../modules/collection/migrations/0101-collection.js';
import { migration as consentLedger } from '../modules/consent/migrations/0003-consent-ledger.js';
import { migration as consentState } from '../modules/consent/migrations/0150-consent-state.js';
import { migration as audienceIndexes } from '../modules/consent/migrations/0551-audience-indexes.js';
import { migration as disclosures } from '../modules/disclosures/migrations/0102-disclosures.js';
import { migration as experimentsReports } from '../modules/experiments/migrations/0350-experiments-reports.js';
import { migration as securityAccess } from '../modules/identity/migrations/0200-security-access.js';
import { migration as totpLastStep } from '../modules/identity/migrations/0201-totp-last-step.js';
import { migration as promiseChecks } from '../modules/promises/migrations/0500-promise-checks.js';
import { migration as restrictions } from '../modules/rights/migrations/0004-restrictions.js';
import { migration as rights } from '../modules/rights/migrations/0452-rights.js';
import { migration as analyticsEvents } from '../modules/site-analytics/migrations/0300-analytics-events.js';
import { migration as subjects } from '../modules/subjects/migrations/0100-subjects.js';
import { migration as under13Index } from '../modules/subjects/migrations/0552-under13-index.js';
import { migration as securityCore } from '../platform/crypto/migrations/0002-security-core.js';
import { migration as jobs } from '../platform/jobs/migrations/0450-jobs.js';
import { migration as mailOutbox } from '../platform/mail/migrations/0451-mail-outbox.js';
import { migration as rateLimitCounters } from '../platform/rate-limits/migrations/0550-rate-limit-counters.js';
import type { VowMigration } from '../platform/store/migration-kit.js';
import { migration as core } from '../platform/store/migrations/0001-core.js';

export const MIGRATIONS: Readonly<Record<string, VowMigration>> = {
  '0001-core': core,
  '0002-security-core': securityCore,
  '0003-consent-ledger': consentLedger,
  '0004-restrictions': restrictions,
  '0300-analytics-events': analyticsEvents,
  '0100-subjects': subjects,
  '0101-collection': collection,
  '0102-disclosures': disclosures,
  '0150-consent-state': consentState,
  '0200-security-access': securityAccess,
  '0201-totp-last-step': totpLastStep,
  '0350-experiments-reports': experimentsReports,
  '0450-jobs': jobs,
  '0500-promise-checks': promiseChecks,
  '0451-mail-outbox': mailOutbox,
  '0452-rights': rights,
  '0550-rate-limit-counters': rateLimitCounters,
  '0551-audience-indexes': audienceIndexes,
  '0552-under13-index': under13Index,
};
