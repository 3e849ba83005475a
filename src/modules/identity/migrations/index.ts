// The migrations of modules/identity, by name (a shipped migration is never edited or renamed).
import type { VowMigration } from '../../../platform/store/index.js';
import { migration as m0200 } from './0200-security-access.js';
import { migration as m0201 } from './0201-totp-last-step.js';
import { migration as m0571 } from './0571-staff-credentials-issuer.js';
import { migration as m0690 } from './0690-staff-sso-identities.js';
import { migration as m0745 } from './0745-api-key-scopes.js';
import { migration as m0780 } from './0780-staff-sso-flows.js';
import { migration as m0781 } from './0781-staff-one-time-expiry.js';
import { migration as m0782 } from './0782-staff-session-idle.js';
import { migration as m0783 } from './0783-one-time-expiry-backfill.js';
import { migration as m0784 } from './0784-staff-form-drafts.js';
import { migration as m0785 } from './0785-sso-flow-carried.js';
import { migration as m0790 } from './0790-attempt-keys-binary.js';
import { migration as m0791 } from './0791-staff-kept-addresses.js';
import { migration as m0795 } from './0795-staff-sso-sessions.js';

export const identityMigrations: Readonly<Record<string, VowMigration>> = {
  '0200-security-access': m0200,
  '0201-totp-last-step': m0201,
  '0571-staff-credentials-issuer': m0571,
  '0690-staff-sso-identities': m0690,
  '0745-api-key-scopes': m0745,
  '0780-staff-sso-flows': m0780,
  '0781-staff-one-time-expiry': m0781,
  '0782-staff-session-idle': m0782,
  '0783-one-time-expiry-backfill': m0783,
  '0784-staff-form-drafts': m0784,
  '0785-sso-flow-carried': m0785,
  '0790-attempt-keys-binary': m0790,
  '0791-staff-kept-addresses': m0791,
  '0795-staff-sso-sessions': m0795,
};
