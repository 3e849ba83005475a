// The rights module's named values: request types, jurisdictions, job ids and deletion notice recipients.
// Job ids are stored with every queued job, so a shipped id is never renamed (a recorded job must resume).
import { US_STATES } from '../policy/index.js';
import type { Jurisdiction } from './tables.js';

export const REQUEST_TYPES = [
  'access',
  'portability',
  'correction',
  'deletion',
  'restriction',
  'objection',
] as const;
/**
 * Where a person lives, as they state it: the EEA, the UK, a US state (`us-` and its postal code,
 * every state and DC, whether or not its law is in the policy) or elsewhere (`other`).
 */
export const JURISDICTIONS = [
  'eea',
  'uk',
  ...Object.keys(US_STATES).map((code) => `us-${code}` as const),
  'other',
] as unknown as readonly [Jurisdiction, ...Jurisdiction[]];
export const FULFIL_JOB = 'rights.fulfil';
export const PRUNE_JOB = 'rights.prune_log';
/** Downstream recipients told of a deletion (GDPR Art. 19, CCPA service-provider notice). */
export const DELETION_NOTICE_RECIPIENTS = ['email_service', 'sms_gateway', 'google_analytics'] as const;
