// Public surface of the disclosures module.
export {
  type DisclosedField,
  type DisclosureLogEntry,
  type DisclosurePayload,
  type DisclosureRequest,
  DisclosureService,
  type NewDisclosureEntry,
  type WithheldField,
} from './disclosure-service.js';
export { disclosuresEraser } from './erasure.js';
export { DISCLOSURES_ERROR_CODES } from './errors.js';
export { disclosuresMigrations } from './migrations/index.js';
export type { DisclosureTables } from './tables.js';
