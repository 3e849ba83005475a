// Public surface of the disclosures module.
export {
  type DisclosedField,
  type DisclosureLogEntry,
  type DisclosurePayload,
  type DisclosureRequest,
  DisclosureService,
  type WithheldField,
} from './disclosure-service.js';
export type { DisclosureTables } from './tables.js';
