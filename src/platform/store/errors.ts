// Error codes of storage faults (registered in src/errors.ts); VOW_DATABASE_UNAVAILABLE is a core code.
export const FAULT_ERROR_CODES = {
  VOW_STORAGE_READ_ONLY: {
    status: 503,
    meaning:
      'The database refuses writes (disk full, read-only file or volume, read-only PostgreSQL); reads still work.',
  },
} as const;
