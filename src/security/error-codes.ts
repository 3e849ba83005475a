// Error codes of the security module (registered in src/errors.ts).
export const SECURITY_ERROR_CODES = {
  VOW_MASTER_KEY_MISSING: { status: 500, meaning: 'No master key is configured (required in production).' },
  VOW_MASTER_KEY_INVALID: { status: 500, meaning: 'The configured master key is not 32 bytes of base64.' },
  VOW_DECRYPTION_FAILED: {
    status: 500,
    meaning: 'A stored value could not be decrypted: wrong master key or tampered data.',
  },
  VOW_SUBJECT_SHREDDED: {
    status: 410,
    meaning: 'The person was deleted and their data key destroyed; nothing more can be stored for them.',
  },
  VOW_AUDIT_PERSONAL_DATA: {
    status: 500,
    meaning: 'Vow refused to write an audit entry that looked like it held a personal value.',
  },
} as const;
