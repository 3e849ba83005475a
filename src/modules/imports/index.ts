// Public surface of the imports module: `vow import` and POST /v1/imports, bringing a shop's
// customers, orders and marketing lists in through the collection and consent modules.
export { importsTables } from './erasure.js';
export { IMPORTS_ERROR_CODES } from './errors.js';
export { IMPORT_FORMAT_IDS, type ImportFormatId, importFormat } from './formats/index.js';
export type { Fact, FormatEnv, Refusal, Unit } from './formats/types.js';
export {
  type ImportCounts,
  type ImportHooks,
  type ImportOptions,
  type ImportProgress,
  type ImportReport,
  type ImportRunView,
  ImportService,
  type RefusedRow,
} from './import-service.js';
export { importsMigrations } from './migrations/index.js';
export { importUnits } from './read-file.js';
export type { ImportsTables } from './tables.js';
