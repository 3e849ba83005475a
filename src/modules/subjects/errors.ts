// Error codes of people and the under-13 mark: owned here, joined into the registry by src/app/error-registry.ts
// (which decides each code's HTTP status in one place) and documented in docs/errors.md.
import type { ErrorCodeTable, OwnCodes } from '../../platform/errors.js';

export const SUBJECTS_ERROR_CODES = {
  VOW_UNKNOWN_SUBJECT: { status: 404, meaning: 'No subject with this id is known to Vow.' },
  VOW_SUBJECT_ALREADY_MARKED: {
    status: 409,
    meaning: 'The subject was already marked as under 13; nothing is left to delete.',
  },
} as const satisfies ErrorCodeTable;

declare module '../../platform/errors.js' {
  interface ErrorCodes extends OwnCodes<typeof SUBJECTS_ERROR_CODES> {}
}
