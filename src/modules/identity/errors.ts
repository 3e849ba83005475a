// Error codes of sign-in, sessions, staff and shopper accounts: owned here, joined into the registry by src/app/error-registry.ts
// (which decides each code's HTTP status in one place) and documented in docs/errors.md.
import type { ErrorCodeTable, OwnCodes } from '../../platform/errors.js';

export const IDENTITY_ERROR_CODES = {
  VOW_UNAUTHENTICATED: {
    status: 401,
    meaning: 'The route needs credentials (a session, a staff token or an API key) and none valid were sent.',
  },
  VOW_FORBIDDEN: {
    status: 403,
    meaning: 'The caller is known but does not hold the access this route needs.',
  },
  VOW_SCOPE_MISSING: {
    status: 403,
    meaning:
      'The API key is valid but was not given the scope this route needs (details.scope); make a key with it.',
  },
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
  VOW_PASSWORD_EXPIRED: {
    status: 401,
    meaning:
      'The one-time password has expired (7 days after it was issued); ask an administrator for a new one.',
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
  VOW_SELF_ROLE_CHANGE: {
    status: 403,
    meaning: 'No one changes their own roles: another administrator must.',
  },
  VOW_ROLE_GRANT_FORBIDDEN: {
    status: 403,
    meaning:
      'Only a privacy officer (or the command line) grants or removes the privacy officer role, or creates or resets a privacy officer account: an administrator cannot mint the four-eyes approver.',
  },
  VOW_PASSWORD_LOGIN_DISABLED: {
    status: 403,
    meaning: 'Staff log in through single sign-on only (VOW_OIDC_ONLY=on): the password log-in is off.',
  },
  VOW_SSO_REFUSED: {
    status: 403,
    meaning:
      'The single sign-on log-in was refused: the provider’s answer did not check out, the account is disabled, or it grants no Vow staff role.',
  },
  VOW_SSO_LOGOUT_REFUSED: {
    status: 400,
    meaning:
      'A back-channel log-out token posted by the single sign-on provider was refused (details.reason: malformed, bad_signature, bad_claims, expired, replayed); no session was ended.',
  },
  VOW_SSO_UNAVAILABLE: {
    status: 502,
    meaning: 'The single sign-on provider could not be reached or answered something Vow cannot use.',
  },
} as const satisfies ErrorCodeTable;

declare module '../../platform/errors.js' {
  interface ErrorCodes extends OwnCodes<typeof IDENTITY_ERROR_CODES> {}
}
