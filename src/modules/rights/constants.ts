// The rights module's named values: request types, jurisdictions, job ids and deletion notice recipients.
// Job ids are stored with every queued job, so a shipped id is never renamed (a recorded job must resume).

export const REQUEST_TYPES = [
  'access',
  'portability',
  'correction',
  'deletion',
  'restriction',
  'objection',
] as const;
export const JURISDICTIONS = ['eea', 'uk', 'us-ca', 'other'] as const;
export const FULFIL_JOB = 'rights.fulfil';
export const PRUNE_JOB = 'rights.prune_log';
/** Answers a request whose downstream tasks have all closed. */
export const ANSWER_JOB = 'rights.answer';
/** Downstream recipients told of a deletion (GDPR Art. 19, CCPA service-provider notice). */
export const DELETION_NOTICE_RECIPIENTS = ['email_service', 'sms_gateway', 'google_analytics'] as const;
