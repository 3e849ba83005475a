// Error codes of annotated datasets and the walker: owned here, joined into the registry by src/app/error-registry.ts
// (which decides each code's HTTP status in one place) and documented in docs/errors.md.
import type { ErrorCodeTable, OwnCodes } from '../../platform/errors.js';

export const DATASETS_ERROR_CODES = {
  VOW_DATASET_INVALID: {
    status: 500,
    meaning: 'A dataset annotation is not valid; each problem names its file, line and path.',
  },
  VOW_DATASET_NOT_FOUND: {
    status: 500,
    meaning: 'A dataset annotation or the VOW_DATASETS file cannot be read.',
  },
  VOW_DATASET_UNAVAILABLE: {
    status: 503,
    meaning: 'A configured dataset (database) cannot be reached or answered with an error.',
  },
  VOW_DATASET_UNKNOWN_FIELD: {
    status: 400,
    meaning: 'A correction names a category or column that no annotated dataset holds.',
  },
} as const satisfies ErrorCodeTable;

declare module '../../platform/errors.js' {
  interface ErrorCodes extends OwnCodes<typeof DATASETS_ERROR_CODES> {}
}
