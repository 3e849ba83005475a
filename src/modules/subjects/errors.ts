// Error codes of people and the under-13 mark: owned here, joined into the registry by src/app/error-registry.ts
// (which decides each code's HTTP status in one place) and documented in docs/errors.md.
import type { ErrorCodeTable, OwnCodes } from '../../platform/errors.js';

export const SUBJECTS_ERROR_CODES = {
  VOW_UNKNOWN_SUBJECT: { status: 404, meaning: 'No subject with this id is known to Vow.' },
  VOW_SUBJECT_ALREADY_MARKED: {
    status: 409,
    meaning: 'The subject was already marked as under 13; nothing is left to delete.',
  },
  VOW_FOUR_EYES: {
    status: 403,
    meaning:
      'The under-13 purge needs two people: whoever proposed it (or issued the proposer their credentials, or was issued theirs by them) cannot approve it.',
  },
  VOW_PROPOSAL_NOT_FOUND: { status: 404, meaning: 'No under-13 proposal with this id exists.' },
  VOW_PROPOSAL_DECIDED: {
    status: 409,
    meaning: 'The under-13 proposal was already approved or rejected.',
  },
  VOW_PROPOSAL_PENDING: {
    status: 409,
    meaning: 'A proposal to mark this person as under 13 is already waiting for a privacy officer.',
  },
} as const satisfies ErrorCodeTable;

declare module '../../platform/errors.js' {
  interface ErrorCodes extends OwnCodes<typeof SUBJECTS_ERROR_CODES> {}
}
