// Error codes of aggregate reports with differential privacy: owned here, joined into the registry by src/app/error-registry.ts
// (which decides each code's HTTP status in one place) and documented in docs/errors.md.
import type { ErrorCodeTable, OwnCodes } from '../../platform/errors.js';

export const REPORTS_ERROR_CODES = {
  VOW_REPORT_PERIOD_OPEN: {
    status: 409,
    meaning: 'The reporting period has not ended yet; a report covers a finished ISO week only.',
  },
  VOW_REPORT_NOT_ALLOWED: {
    status: 403,
    meaning: 'The policy does not allow this aggregate report to go to this recipient.',
  },
  VOW_BUDGET_EXHAUSTED: {
    status: 403,
    meaning:
      "The recipient's privacy budget (epsilon) for this week of receipt, or for its rolling lifetime window, is spent; no new report is given to it.",
  },
  VOW_REPORT_NOT_READY: {
    status: 409,
    meaning:
      'The week has ended but its release is still being prepared by the release job; ask again shortly.',
  },
} as const satisfies ErrorCodeTable;

declare module '../../platform/errors.js' {
  interface ErrorCodes extends OwnCodes<typeof REPORTS_ERROR_CODES> {}
}
