// Public surface of the consent module.

export { audienceStream, audienceTarget } from './audiences.js';
export { assertChannel, kindsOfChannel, type PlannedEvent, planCollection } from './collection-rules.js';
export {
  type ConsentCause,
  type ConsentChange,
  ConsentService,
  type KindsAt,
  type PlannedChoice,
  type RecordCollectionInput,
} from './consent-service.js';
export { type ConsentCount, consentTrend } from './consent-trend.js';
export { consentEraser } from './erasure.js';
export { CONSENT_ERROR_CODES } from './errors.js';
export {
  type ImportedWithdrawal,
  isIdentifierWithdrawn,
  lockImportedWithdrawals,
  normaliseListIdentifier,
  recordImportedWithdrawal,
  recordImportedWithdrawals,
  type WithdrawalOutcome,
  withdrawnIdentifiers,
} from './imported-withdrawal.js';
export {
  CAUSE_TYPES,
  CONSENT_EVENTS,
  type ConsentEventRow,
  type ConsentEventType,
  consentHistory,
  currentStates,
  deriveStates,
  storedStates,
} from './ledger.js';
export { channelsCovered, channelsOfMedium, covers, type ListEntryScope } from './list-coverage.js';
export { type FeedbackOutcome, MailFeedback } from './mail-feedback.js';
export { parseMailReport } from './mail-report.js';
export { consentMigrations } from './migrations/index.js';
export { renderCampaignEmail } from './render-email.js';
export type {
  ConsentBatchListener,
  ConsentChangeNotice,
  ConsentListener,
  ConsentReadAhead,
  SmsFlagView,
  SmsInboundResult,
} from './sms-flags.js';
export { type SuppressionLog, suppressionLog } from './suppression-log.js';
export type { ConsentTables } from './tables.js';
