// One error class with stable codes. Every code is owned by the part of Vow that raises it (this file
// holds the platform's own: HTTP, configuration, unexpected failures); each part declares its table in
// its errors.ts and adds the codes to `ErrorCodes` below, so a mistyped code is a type error. The
// registry in src/app/error-registry.ts joins the tables and decides each code's HTTP status in one
// place; docs/errors.md lists the same codes (a test checks they agree). A shipped code is never reused
// for another meaning.

export interface ErrorSpec {
  /** HTTP status the API answers with. */
  readonly status: number;
  /** What the code means, in one sentence (also in docs/errors.md). */
  readonly meaning: string;
}

/** A part's own codes: `VOW_…` names and what each means. */
export type ErrorCodeTable = Readonly<Record<`VOW_${string}`, ErrorSpec>>;

/** The names of a table's codes, in the shape `ErrorCodes` is extended with. */
export type OwnCodes<T extends ErrorCodeTable> = { readonly [K in keyof T]: true };

/**
 * Every code Vow has shipped, by name. Each part's errors.ts extends this interface with its own
 * table (`declare module … { interface ErrorCodes extends OwnCodes<typeof TABLE> {} }`).
 */
export interface ErrorCodes extends OwnCodes<typeof PLATFORM_ERROR_CODES> {}

export type ErrorCode = keyof ErrorCodes & string;

export const PLATFORM_ERROR_CODES = {
  VOW_VALIDATION: { status: 400, meaning: 'The request does not match the schema of the endpoint.' },
  VOW_BAD_JSON: { status: 400, meaning: 'The request body is not valid JSON.' },
  VOW_BODY_TOO_LARGE: {
    status: 413,
    meaning: 'The request body (or an imported file) is larger than the configured limit.',
  },
  VOW_UNSUPPORTED_MEDIA_TYPE: {
    status: 415,
    meaning: 'The request body has a content type the endpoint does not accept.',
  },
  VOW_NOT_FOUND: { status: 404, meaning: 'No route or resource exists at this address.' },
  VOW_METHOD_NOT_ALLOWED: { status: 405, meaning: 'The route exists but not for this HTTP method.' },
  VOW_INTERNAL: { status: 500, meaning: 'An unexpected error; it was logged with the request id.' },
  VOW_CONFIG_INVALID: { status: 500, meaning: 'The configuration (environment variables) is invalid.' },
  VOW_USAGE: {
    status: 400,
    meaning: 'The `vow` command line is wrong: an unknown command or option, a missing or extra value.',
  },
  VOW_CSRF: {
    status: 403,
    meaning: 'A cookie-authenticated form or request came without its anti-forgery (CSRF) token.',
  },
  VOW_RATE_LIMITED: { status: 429, meaning: 'Too many requests from this address or for this identifier.' },
  VOW_BAD_REQUEST: {
    status: 400,
    meaning:
      'The HTTP request itself could not be read (a malformed request line or header, or Transfer-Encoding with Content-Length); the connection is closed.',
  },
  VOW_HEADERS_TOO_LARGE: {
    status: 431,
    meaning: "The request's headers are larger than the server reads (16 KiB); the connection is closed.",
  },
  VOW_REQUEST_TIMEOUT: {
    status: 408,
    meaning: "The request's headers did not arrive in time (60 s); the connection is closed.",
  },
} as const satisfies ErrorCodeTable;

export class VowError extends Error {
  readonly code: ErrorCode;
  readonly details: unknown;

  constructor(code: ErrorCode, message: string, details?: unknown, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'VowError';
    this.code = code;
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
