// Error codes of the mail outbox: owned here, joined into the registry by src/app/error-registry.ts
// (which decides each code's HTTP status in one place) and documented in docs/errors.md.
import type { ErrorCodeTable, OwnCodes } from '../errors.js';

export const MAIL_ERROR_CODES = {
  VOW_MAIL_NOT_CONFIGURED: {
    status: 500,
    meaning: 'No SMTP server is configured (VOW_SMTP_URL) and production refuses the log-file fallback.',
  },
  VOW_MAIL_INVALID: {
    status: 500,
    meaning: 'A message was enqueued without a valid address, subject or body.',
  },
} as const satisfies ErrorCodeTable;

declare module '../errors.js' {
  interface ErrorCodes extends OwnCodes<typeof MAIL_ERROR_CODES> {}
}
