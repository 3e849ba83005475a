// Error codes of the vault (master key, sealing, crypto-shredding): owned here, joined into the registry by src/app/error-registry.ts
// (which decides each code's HTTP status in one place) and documented in docs/errors.md.
import type { ErrorCodeTable, OwnCodes } from '../errors.js';

export const CRYPTO_ERROR_CODES = {
  VOW_MASTER_KEY_MISSING: { status: 500, meaning: 'No master key is configured (required in production).' },
  VOW_MASTER_KEY_INVALID: { status: 500, meaning: 'The configured master key is not 32 bytes of base64.' },
  VOW_DECRYPTION_FAILED: {
    status: 500,
    meaning: 'A stored value could not be decrypted: wrong master key or tampered data.',
  },
  VOW_SUBJECT_SHREDDED: {
    status: 410,
    meaning:
      'The person was deleted and their data key destroyed (or their deletion has begun); nothing more can be stored for them.',
  },
} as const satisfies ErrorCodeTable;

declare module '../errors.js' {
  interface ErrorCodes extends OwnCodes<typeof CRYPTO_ERROR_CODES> {}
}
