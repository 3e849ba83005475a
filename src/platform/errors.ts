// One error class with stable codes; the HTTP status of every code is decided here and nowhere else.
// Each domain keeps its codes in its own `error-codes.ts` (plain data) and they are joined below.

import { COLLECTION_ERROR_CODES } from '../modules/collection/errors.js';
import { CONSENT_ERROR_CODES } from '../modules/consent/errors.js';
import { COOKIES_ERROR_CODES } from '../modules/cookie-consent/errors.js';
import { DATASET_ERROR_CODES } from '../modules/datasets/errors.js';
import { EXPERIMENT_REPORT_ERROR_CODES } from '../modules/experiments/errors.js';
import { SECURITY_ERROR_CODES } from '../modules/identity/errors.js';
import { RIGHTS_ERROR_CODES } from '../modules/rights/errors.js';
import { FAULT_ERROR_CODES } from './store/errors.js';

export interface ErrorSpec {
  /** HTTP status the API answers with. */
  readonly status: number;
  /** What the code means, in one sentence (also in docs/errors.md). */
  readonly meaning: string;
}

/**
 * The registry of every error code Vow has shipped. A shipped code is never reused for another
 * meaning; docs/errors.md lists the same codes (a test checks they agree).
 */
const CORE_ERROR_CODES = {
  VOW_VALIDATION: { status: 400, meaning: 'The request does not match the schema of the endpoint.' },
  VOW_BAD_JSON: { status: 400, meaning: 'The request body is not valid JSON.' },
  VOW_BODY_TOO_LARGE: { status: 413, meaning: 'The request body is larger than the configured limit.' },
  VOW_UNSUPPORTED_MEDIA_TYPE: {
    status: 415,
    meaning: 'The request body has a content type the endpoint does not accept.',
  },
  VOW_NOT_FOUND: { status: 404, meaning: 'No route or resource exists at this address.' },
  VOW_METHOD_NOT_ALLOWED: { status: 405, meaning: 'The route exists but not for this HTTP method.' },
  VOW_INTERNAL: { status: 500, meaning: 'An unexpected error; it was logged with the request id.' },
  VOW_CONFIG_INVALID: { status: 500, meaning: 'The configuration (environment variables) is invalid.' },
  VOW_POLICY_INVALID: {
    status: 500,
    meaning: 'The policy file is not valid; each problem names its path and line.',
  },
  VOW_POLICY_NOT_FOUND: { status: 500, meaning: 'The policy file named by VOW_POLICY cannot be read.' },
  VOW_UNKNOWN_PURPOSE: { status: 400, meaning: 'The purpose is not declared in the policy in force.' },
  VOW_UNKNOWN_CATEGORY: { status: 400, meaning: 'The data category is not declared in the policy in force.' },
  VOW_UNKNOWN_SUBJECT_KIND: {
    status: 400,
    meaning: 'The subject kind is not declared in the policy in force.',
  },
  VOW_UNKNOWN_RECIPIENT: { status: 400, meaning: 'The recipient is not declared in the policy in force.' },
  VOW_UNKNOWN_SUBJECT: { status: 404, meaning: 'No subject with this id is known to Vow.' },
  VOW_DATABASE_UNAVAILABLE: {
    status: 503,
    meaning: 'The database cannot be reached; retry after the Retry-After delay.',
  },
  VOW_MIGRATION_FAILED: {
    status: 500,
    meaning: 'A database migration failed; the database was left at the last good version.',
  },
} as const;

export const ERROR_CODES = {
  ...CORE_ERROR_CODES,
  ...SECURITY_ERROR_CODES,
  ...COOKIES_ERROR_CODES,
  ...EXPERIMENT_REPORT_ERROR_CODES,
  ...RIGHTS_ERROR_CODES,
  ...COLLECTION_ERROR_CODES,
  ...DATASET_ERROR_CODES,
  ...CONSENT_ERROR_CODES,
  ...FAULT_ERROR_CODES,
} as const satisfies Record<string, ErrorSpec>;

export type ErrorCode = keyof typeof ERROR_CODES;

export class VowError extends Error {
  readonly code: ErrorCode;
  readonly status: number;
  readonly details: unknown;

  constructor(code: ErrorCode, message: string, details?: unknown, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'VowError';
    this.code = code;
    this.status = ERROR_CODES[code].status;
    this.details = details;
  }

  /** The API error body: `{ error: { code, message, details? } }`. */
  toBody(): { error: { code: ErrorCode; message: string; details?: unknown } } {
    return {
      error: {
        code: this.code,
        message: this.message,
        ...(this.details === undefined ? {} : { details: this.details }),
      },
    };
  }
}

export function isVowError(value: unknown): value is VowError {
  return value instanceof VowError;
}
