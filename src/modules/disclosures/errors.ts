// Error codes of disclosures to recipients: owned here, joined into the registry by src/app/error-registry.ts
// (which decides each code's HTTP status in one place) and documented in docs/errors.md.
import type { ErrorCodeTable, OwnCodes } from '../../platform/errors.js';

export const DISCLOSURES_ERROR_CODES = {
  VOW_DISCLOSURE_DENIED: {
    status: 403,
    meaning: 'The policy does not let this recipient receive this data for this purpose.',
  },
} as const satisfies ErrorCodeTable;

declare module '../../platform/errors.js' {
  interface ErrorCodes extends OwnCodes<typeof DISCLOSURES_ERROR_CODES> {}
}
