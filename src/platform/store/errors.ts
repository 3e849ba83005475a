// Error codes of the store (storage faults and migrations): owned here, joined into the registry by src/app/error-registry.ts
// (which decides each code's HTTP status in one place) and documented in docs/errors.md.
import type { ErrorCodeTable, OwnCodes } from '../errors.js';

export const STORE_ERROR_CODES = {
  VOW_DATABASE_UNAVAILABLE: {
    status: 503,
    meaning: 'The database cannot be reached; retry after the Retry-After delay.',
  },
  VOW_MIGRATION_FAILED: {
    status: 500,
    meaning: 'A database migration failed; the database was left at the last good version.',
  },
  VOW_STORE_DRIVER: {
    status: 500,
    meaning:
      "The SQLite driver's native module cannot be loaded (built for another Node.js version, or not built); run npm rebuild better-sqlite3.",
  },
  VOW_STORAGE_READ_ONLY: {
    status: 503,
    meaning:
      'The database refuses writes (disk full, read-only file or volume, read-only PostgreSQL); reads still work.',
  },
} as const satisfies ErrorCodeTable;

declare module '../errors.js' {
  interface ErrorCodes extends OwnCodes<typeof STORE_ERROR_CODES> {}
}
