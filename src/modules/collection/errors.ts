// Error codes of the subjects, collection and disclosures modules (registered in src/errors.ts).
export const COLLECTION_ERROR_CODES = {
  VOW_UNDER_13: {
    status: 403,
    meaning: 'The data shows, or Vow was told, that the person is under 13; nothing of it was stored.',
  },
  VOW_ORDER_CONFLICT: {
    status: 409,
    meaning: 'An order with this shop order id was already recorded with a different body.',
  },
  VOW_DISCLOSURE_DENIED: {
    status: 403,
    meaning: 'The policy does not let this recipient receive this data for this purpose.',
  },
  VOW_SUBJECT_ALREADY_MARKED: {
    status: 409,
    meaning: 'The subject was already marked as under 13; nothing is left to delete.',
  },
} as const;
