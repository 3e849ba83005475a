// Error codes of the datasets module (registered in src/errors.ts).
export const DATASET_ERROR_CODES = {
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
} as const;
