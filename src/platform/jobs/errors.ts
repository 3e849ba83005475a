// Error codes of the durable job runner: owned here, joined into the registry by src/app/error-registry.ts
// (which decides each code's HTTP status in one place) and documented in docs/errors.md.
import type { ErrorCodeTable, OwnCodes } from '../errors.js';

export const JOBS_ERROR_CODES = {
  VOW_JOB_UNKNOWN: { status: 500, meaning: 'No job definition is registered under this id.' },
  VOW_JOB_PAYLOAD_INVALID: { status: 500, meaning: 'A job was enqueued with a payload its schema refuses.' },
  VOW_JOB_BATCH_KEYED: {
    status: 500,
    meaning: 'Jobs enqueued together carried an idempotency key; a keyed job is enqueued on its own.',
  },
  VOW_JOB_LEASE_LOST: {
    status: 409,
    meaning: 'A worker lost its lease on a job (it ran too long); another worker finishes it.',
  },
} as const satisfies ErrorCodeTable;

declare module '../errors.js' {
  interface ErrorCodes extends OwnCodes<typeof JOBS_ERROR_CODES> {}
}
