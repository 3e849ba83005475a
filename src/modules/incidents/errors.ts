// Error codes of incidents (the breach register): owned here, joined into the registry by
// src/app/error-registry.ts (which decides each code's HTTP status in one place) and documented in
// docs/errors.md.
import type { ErrorCodeTable, OwnCodes } from '../../platform/errors.js';

export const INCIDENTS_ERROR_CODES = {
  VOW_INCIDENT_NOT_FOUND: { status: 404, meaning: 'No incident matches this id.' },
  VOW_INCIDENT_INVALID: {
    status: 400,
    meaning:
      'The incident names a category, subject kind or authority the policy does not declare, a time in the future or before it became known, or holds what looks like a personal value.',
  },
  VOW_INCIDENT_REASON_MISSING: {
    status: 400,
    meaning: 'A risk decision needs its reason (Art. 33(5)): a decision of no risk above all.',
  },
  VOW_INCIDENT_DELAY_REASON_MISSING: {
    status: 400,
    meaning:
      'A notification to the authority made more than 72 hours after awareness needs the reasons for the delay (Art. 33(1)).',
  },
  VOW_INCIDENT_NOT_HIGH_RISK: {
    status: 409,
    meaning:
      'Vow writes to the people affected (Art. 34) only about an incident decided a high risk to their rights and freedoms.',
  },
  VOW_INCIDENT_TRANSLATION_MISSING: {
    status: 400,
    meaning:
      'The Art. 34 message has no version (or an incomplete one) in a language the policy is published in: every mail carries every version.',
  },
  VOW_INCIDENT_RESIDENTS_INVALID: {
    status: 400,
    meaning:
      'Residents per US state: a state that is not a US state (`us-` and its two-letter code), a count that is not a whole number 0 or more, or a notice for a state without residents or a duty its law does not have.',
  },
  VOW_INCIDENT_STATE: {
    status: 409,
    meaning:
      'The incident is not at a step where this action applies (closed, already notified, or not decided yet).',
  },
} as const satisfies ErrorCodeTable;

declare module '../../platform/errors.js' {
  interface ErrorCodes extends OwnCodes<typeof INCIDENTS_ERROR_CODES> {}
}
