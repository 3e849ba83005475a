// Error codes of the policy and the names it declares: owned here, joined into the registry by src/app/error-registry.ts
// (which decides each code's HTTP status in one place) and documented in docs/errors.md.
import type { ErrorCodeTable, OwnCodes } from '../../platform/errors.js';

export const POLICY_ERROR_CODES = {
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
} as const satisfies ErrorCodeTable;

declare module '../../platform/errors.js' {
  interface ErrorCodes extends OwnCodes<typeof POLICY_ERROR_CODES> {}
}
