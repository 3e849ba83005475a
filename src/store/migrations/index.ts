// Every migration, by name. Names sort in the order they run; a shipped migration is never edited.
// Each domain adds its own file here (NNNN-domain.ts) and one line below.

import type { VowMigration } from '../migration-kit.js';
import { migration as core } from './0001-core.js';
import { migration as securityCore } from './0002-security-core.js';
import { migration as consentLedger } from './0003-consent-ledger.js';
import { migration as restrictions } from './0004-restrictions.js';
import { migration as consentState } from './0150-consent-state.js';
import { migration as jobs } from './0450-jobs.js';
import { migration as mailOutbox } from './0451-mail-outbox.js';

export const MIGRATIONS: Readonly<Record<string, VowMigration>> = {
  '0001-core': core,
  '0002-security-core': securityCore,
  '0003-consent-ledger': consentLedger,
  '0004-restrictions': restrictions,
  '0150-consent-state': consentState,
  '0450-jobs': jobs,
  '0451-mail-outbox': mailOutbox,
};
