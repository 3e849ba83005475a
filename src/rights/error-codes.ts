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
} as const;
