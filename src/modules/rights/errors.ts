// Error codes of data subject requests: owned here, joined into the registry by src/app/error-registry.ts
// (which decides each code's HTTP status in one place) and documented in docs/errors.md.
import type { ErrorCodeTable, OwnCodes } from '../../platform/errors.js';

export const RIGHTS_ERROR_CODES = {
  VOW_REQUEST_INVALID: {
    status: 400,
    meaning: 'The request names an unknown category or purpose, or lacks what its type needs.',
  },
  VOW_NOT_CORRECTABLE: {
    status: 400,
    meaning:
      'The correction names a data category the policy marks as not correctable (consent history, cookie ids, credentials, system records): it records what happened, or a reset changes it.',
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
  VOW_APPEAL_NOT_OFFERED: {
    status: 409,
    meaning:
      'The request cannot be appealed: it was not refused, it was already appealed, or the law of the person’s state offers no appeal.',
  },
  VOW_APPEAL_NOT_FOUND: { status: 404, meaning: 'No appeal matches this id.' },
  VOW_APPEAL_STATE: { status: 409, meaning: 'The appeal is already decided.' },
  VOW_APPEAL_SAME_DECIDER: {
    status: 403,
    meaning:
      'The staff member who refused a request (or an account they issued or were issued by) may not decide its appeal; another person must.',
  },
  VOW_APPROVAL_NOT_INDEPENDENT: {
    status: 403,
    meaning:
      'A staff verification is approved or rejected by a privacy officer other than the verifier, and not by an account the verifier issued or was issued by (nor one the same privacy officer issued).',
  },
  VOW_EXPORT_EXPIRED: { status: 410, meaning: 'The download link expired (links last 7 days).' },
  VOW_RIGHTS_NOT_CONNECTED: {
    status: 503,
    meaning: 'The subjects directory or the datasets walker is not connected; fulfilment retries.',
  },
} as const satisfies ErrorCodeTable;

declare module '../../platform/errors.js' {
  interface ErrorCodes extends OwnCodes<typeof RIGHTS_ERROR_CODES> {}
}
