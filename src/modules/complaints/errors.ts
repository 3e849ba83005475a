// Error codes of complaints: owned here, joined into the registry by src/app/error-registry.ts
// (which decides each code's HTTP status in one place) and documented in docs/errors.md.
import type { ErrorCodeTable, OwnCodes } from '../../platform/errors.js';

export const COMPLAINTS_ERROR_CODES = {
  VOW_COMPLAINT_NOT_FOUND: { status: 404, meaning: 'No complaint matches this id or link.' },
} as const satisfies ErrorCodeTable;

declare module '../../platform/errors.js' {
  interface ErrorCodes extends OwnCodes<typeof COMPLAINTS_ERROR_CODES> {}
}
