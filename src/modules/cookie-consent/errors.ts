// Error codes of cookie consent (a visitor's banner choice): owned here, joined into the registry by src/app/error-registry.ts
// (which decides each code's HTTP status in one place) and documented in docs/errors.md.
import type { ErrorCodeTable, OwnCodes } from '../../platform/errors.js';

export const COOKIE_CONSENT_ERROR_CODES = {
  VOW_CONSENT_VERSION_STALE: {
    status: 409,
    meaning: 'The cookie choice was made on a banner for an older version of the policy.',
  },
  VOW_COOKIE_CATEGORY_UNKNOWN: {
    status: 400,
    meaning: 'The cookie choice names a category the policy does not declare, or a required one.',
  },
} as const satisfies ErrorCodeTable;

declare module '../../platform/errors.js' {
  interface ErrorCodes extends OwnCodes<typeof COOKIE_CONSENT_ERROR_CODES> {}
}
