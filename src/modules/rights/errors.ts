// Error codes of the rights engineer's modules: rights requests, complaints, jobs and mail
// (registered in src/errors.ts).
export const RIGHTS_ERROR_CODES = {
  VOW_JOB_UNKNOWN: { status: 500, meaning: 'No job definition is registered under this id.' },
  VOW_JOB_PAYLOAD_INVALID: { status: 500, meaning: 'A job was enqueued with a payload its schema refuses.' },
  VOW_JOB_LEASE_LOST: {
    status: 409,
    meaning: 'A worker lost its lease on a job (it ran too long); another worker finishes it.',
  },
  VOW_MAIL_NOT_CONFIGURED: {
    status: 500,
    meaning: 'No SMTP server is configured (VOW_SMTP_URL) and production refuses the log-file fallback.',
  },
  VOW_MAIL_INVALID: {
    status: 500,
    meaning: 'A message was enqueued without a valid address, subject or body.',
  },
  VOW_REQUEST_INVALID: {
    status: 400,
    meaning: 'The request names an unknown category or purpose, or lacks what its type needs.',
  },
  VOW_REQUEST_NOT_FOUND: { status: 404, meaning: 'No privacy request matches this id or link.' },
  VOW_REQUEST_STATE: { status: 409, meaning: 'The request is not at a step where this action applies.' },
  VOW_VERIFICATION_FAILED: {
    status: 400,
    meaning: 'The identity could not be verified (wrong, expired or used code, or too few matching details).',
  },
  VOW_VERIFICATION_LOCKED: {
    status: 429,
    meaning: 'Too many wrong codes for this request; a new request must be made.',
  },
  VOW_EXTENSION_NOT_ALLOWED: {
    status: 409,
    meaning: 'The deadline can no longer be extended (already extended, or the first period is over).',
  },
  VOW_EXPORT_EXPIRED: { status: 410, meaning: 'The download link expired (links last 7 days).' },
  VOW_RIGHTS_NOT_CONNECTED: {
    status: 503,
    meaning: 'The subjects directory or the datasets walker is not connected; fulfilment retries.',
  },
  VOW_COMPLAINT_NOT_FOUND: { status: 404, meaning: 'No complaint matches this id or link.' },
} as const;
