// Error codes of collection points: owned here, joined into the registry by src/app/error-registry.ts
// (which decides each code's HTTP status in one place) and documented in docs/errors.md.
import type { ErrorCodeTable, OwnCodes } from '../../platform/errors.js';

export const COLLECTION_ERROR_CODES = {
  VOW_UNDER_13: {
    status: 403,
    meaning: 'The data shows, or Vow was told, that the person is under 13; nothing of it was stored.',
  },
  VOW_ORDER_CONFLICT: {
    status: 409,
    meaning: 'An order with this shop order id was already recorded with a different body.',
  },
  VOW_IDEMPOTENCY_CONFLICT: {
    status: 409,
    meaning: 'This Idempotency-Key was already used (within a day) with a different body.',
  },
} as const satisfies ErrorCodeTable;

declare module '../../platform/errors.js' {
  interface ErrorCodes extends OwnCodes<typeof COLLECTION_ERROR_CODES> {}
}
