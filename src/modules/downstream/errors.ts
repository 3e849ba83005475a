// Error codes of downstream (webhooks and downstream tasks): owned here, joined into the registry by
// src/app/error-registry.ts and documented in docs/errors.md.
import type { ErrorCodeTable, OwnCodes } from '../../platform/errors.js';

export const DOWNSTREAM_ERROR_CODES = {
  VOW_WEBHOOK_NOT_FOUND: { status: 404, meaning: 'No webhook endpoint or delivery matches this id.' },
  VOW_WEBHOOK_URL_INVALID: {
    status: 400,
    meaning:
      'A webhook URL must be https (plain http only on the loopback interface), without credentials, not on a link-local or metadata address, and its host must resolve (within 5 seconds) when it is registered.',
  },
  VOW_WEBHOOK_ADDRESS_REFUSED: {
    status: 400,
    meaning:
      "The webhook URL's host is, or resolves to, an address deliveries may not reach: link-local, metadata, reserved, or loopback and private ones not listed in VOW_WEBHOOK_PRIVATE_NETWORKS.",
  },
  VOW_WEBHOOK_EVENT_UNKNOWN: {
    status: 400,
    meaning: 'An event type is not one Vow sends; see docs/api.md for the list.',
  },
  VOW_WEBHOOK_RECIPIENT_UNKNOWN: { status: 400, meaning: 'The recipient is not one the policy names.' },
  VOW_TASK_NOT_FOUND: { status: 404, meaning: 'No downstream task matches this id.' },
  VOW_TASK_STATE: { status: 409, meaning: 'The downstream task is already done or explained.' },
  VOW_ACK_SIGNATURE_INVALID: {
    status: 401,
    meaning:
      "The acknowledgement's webhook-signature does not verify with the endpoint's secret, or its timestamp is outside 5 minutes.",
  },
} as const satisfies ErrorCodeTable;

declare module '../../platform/errors.js' {
  interface ErrorCodes extends OwnCodes<typeof DOWNSTREAM_ERROR_CODES> {}
}
