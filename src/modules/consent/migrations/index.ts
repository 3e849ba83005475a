// The migrations of modules/consent, by name (a shipped migration is never edited or renamed).
import type { VowMigration } from '../../../platform/store/index.js';
import { migration as m0003 } from './0003-consent-ledger.js';
import { migration as m0150 } from './0150-consent-state.js';
import { migration as m0551 } from './0551-audience-indexes.js';
import { migration as m0601 } from './0601-sms-flags.js';
import { migration as m0602 } from './0602-mail-feedback.js';

export const consentMigrations: Readonly<Record<string, VowMigration>> = {
  '0003-consent-ledger': m0003,
  '0150-consent-state': m0150,
  '0551-audience-indexes': m0551,
  '0601-sms-flags': m0601,
  '0602-mail-feedback': m0602,
};
