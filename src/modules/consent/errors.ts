// Error codes of marketing consent (a person's channels, unsubscribes, suppressions): owned here, joined into the registry by src/app/error-registry.ts
// (which decides each code's HTTP status in one place) and documented in docs/errors.md.
import type { ErrorCodeTable, OwnCodes } from '../../platform/errors.js';

export const CONSENT_ERROR_CODES = {
  VOW_CONSENT_DENIED: {
    status: 403,
    meaning: 'The policy and the person’s choices do not allow this marketing use (decide() denies it).',
  },
  VOW_CONSENT_UNKNOWN_CHANNEL: { status: 400, meaning: 'The consent channel is not declared in the policy.' },
  VOW_CONSENT_UNKNOWN_COLLECTION_POINT: {
    status: 400,
    meaning: 'The collection point is not declared in the policy.',
  },
  VOW_CONSENT_NO_CONTACT: {
    status: 409,
    meaning: 'Vow holds no contact address of this person that may be used for this channel.',
  },
  VOW_UNSUBSCRIBE_TOKEN_INVALID: {
    status: 404,
    meaning: 'The unsubscribe link is not one Vow issued (mistyped or cut short).',
  },
  VOW_SMS_FLAG_NOT_FOUND: {
    status: 404,
    meaning: 'No open flagged SMS reply has this id (it may be decided already).',
  },
} as const satisfies ErrorCodeTable;

declare module '../../platform/errors.js' {
  interface ErrorCodes extends OwnCodes<typeof CONSENT_ERROR_CODES> {}
}
