// Error codes of layout experiments: owned here, joined into the registry by src/app/error-registry.ts
// (which decides each code's HTTP status in one place) and documented in docs/errors.md.
import type { ErrorCodeTable, OwnCodes } from '../../platform/errors.js';

export const EXPERIMENTS_ERROR_CODES = {
  VOW_EXPERIMENT_NOT_FOUND: { status: 404, meaning: 'No layout experiment with this id exists.' },
  VOW_EXPERIMENT_EXISTS: { status: 409, meaning: 'A layout experiment with this id already exists.' },
  VOW_EXPERIMENT_INVALID: {
    status: 400,
    meaning:
      'The experiment definition is inconsistent (duplicate layout ids or weights out of range), or its plan or power calculation cannot be computed.',
  },
  VOW_EXPERIMENT_STOPPED: {
    status: 409,
    meaning: 'The experiment was stopped; it records no more exposures.',
  },
} as const satisfies ErrorCodeTable;

declare module '../../platform/errors.js' {
  interface ErrorCodes extends OwnCodes<typeof EXPERIMENTS_ERROR_CODES> {}
}
