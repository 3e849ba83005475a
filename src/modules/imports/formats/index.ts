// The import formats, by the name `vow import --format` and the API take.
import { VowError } from '../../../platform/errors.js';
import { klaviyoProfiles, mailchimpList, smsOptouts } from './lists.js';
import { ndjson } from './ndjson.js';
import { shopifyCustomers, shopifyOrders } from './shopify.js';
import type { ImportFormat } from './types.js';

export const IMPORT_FORMATS = {
  'shopify-customers': shopifyCustomers,
  'shopify-orders': shopifyOrders,
  mailchimp: mailchimpList,
  klaviyo: klaviyoProfiles,
  'sms-optouts': smsOptouts,
  ndjson,
} as const satisfies Record<string, ImportFormat>;

export type ImportFormatId = keyof typeof IMPORT_FORMATS;
export const IMPORT_FORMAT_IDS = Object.keys(IMPORT_FORMATS) as [ImportFormatId, ...ImportFormatId[]];

export function importFormat(id: string): ImportFormat {
  if (!Object.hasOwn(IMPORT_FORMATS, id))
    throw new VowError('VOW_IMPORT_UNKNOWN_FORMAT', `Unknown import format "${id}"`, {
      formats: IMPORT_FORMAT_IDS,
    });
  return IMPORT_FORMATS[id as ImportFormatId];
}
