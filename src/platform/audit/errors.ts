// Error codes of the audit trail: owned here, joined into the registry by src/app/error-registry.ts
// (which decides each code's HTTP status in one place) and documented in docs/errors.md.
import type { ErrorCodeTable, OwnCodes } from '../errors.js';

export const AUDIT_ERROR_CODES = {
  VOW_AUDIT_PERSONAL_DATA: {
    status: 500,
    meaning: 'Vow refused to write an audit entry that looked like it held a personal value.',
  },
} as const satisfies ErrorCodeTable;

declare module '../errors.js' {
  interface ErrorCodes extends OwnCodes<typeof AUDIT_ERROR_CODES> {}
}
