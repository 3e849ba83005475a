// Error codes of cookie consent and site measurement (registered in src/errors.ts).
export const COOKIES_ERROR_CODES = {
  VOW_CONSENT_VERSION_STALE: {
    status: 409,
    meaning: 'The cookie choice was made on a banner for an older version of the policy.',
  },
  VOW_COOKIE_CATEGORY_UNKNOWN: {
    status: 400,
    meaning: 'The cookie choice names a category the policy does not declare, or a required one.',
  },
} as const;
