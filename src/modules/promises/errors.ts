// Error codes of the promise monitor: owned here, joined into the registry by src/app/error-registry.ts
// (which decides each code's HTTP status in one place) and documented in docs/errors.md.
import type { ErrorCodeTable, OwnCodes } from '../../platform/errors.js';

export const PROMISES_ERROR_CODES = {
  VOW_PROMISES_CHECK_FAILED: {
    status: 500,
    meaning:
      'The promise checks could not run to the end (the worker stopped, or the store failed); nothing was recorded.',
  },
} as const satisfies ErrorCodeTable;

declare module '../../platform/errors.js' {
  interface ErrorCodes extends OwnCodes<typeof PROMISES_ERROR_CODES> {}
}
