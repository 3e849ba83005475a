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
  VOW_UNAUTHENTICATED: {
    status: 401,
    meaning: 'The route needs credentials (a session, a staff token or an API key) and none valid were sent.',
  },
  VOW_FORBIDDEN: {
    status: 403,
    meaning: 'The caller is known but does not hold the access this route needs.',
  },
  VOW_CSRF: {
    status: 403,
    meaning: 'A cookie-authenticated form or request came without its anti-forgery (CSRF) token.',
  },
  VOW_RATE_LIMITED: { status: 429, meaning: 'Too many requests from this address or for this identifier.' },
  VOW_LOCKED_OUT: {
    status: 429,
    meaning: 'Too many failed attempts for this account or code; try again after the back-off delay.',
  },
  VOW_BAD_CREDENTIALS: { status: 401, meaning: 'The user name (or email) and password do not match.' },
  VOW_TOTP_REQUIRED: {
    status: 401,
    meaning: 'This staff account has a second factor: send the current 6-digit code (totp).',
  },
  VOW_PASSWORD_CHANGE_REQUIRED: {
    status: 403,
    meaning: 'The account must choose a new password (first login with a one-time password) first.',
  },
  VOW_WEAK_PASSWORD: {
    status: 400,
    meaning: 'The new password is too short (at least 12 characters) or too long (at most 256).',
  },
  VOW_TOKEN_INVALID: {
    status: 400,
    meaning: 'The link or token is unknown, expired or already used.',
  },
  VOW_STAFF_EXISTS: { status: 409, meaning: 'A staff account with this user name already exists.' },
  VOW_UNKNOWN_STAFF: { status: 404, meaning: 'No staff account with this user name or id exists.' },
  VOW_UNKNOWN_ROLE: { status: 400, meaning: 'The role is not one of the staff roles Vow knows.' },
} as const;
