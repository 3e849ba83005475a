// Public surface of the imports module: `vow import` and POST /v1/imports, bringing a shop's
// customers, orders and marketing lists in through the collection and consent modules.
export { importsTables } from './erasure.js';
export { IMPORTS_ERROR_CODES } from './errors.js';
export { IMPORT_FORMAT_IDS, type ImportFormatId, importFormat } from './formats/index.js';
export type { Fact, FormatEnv, Refusal, Unit } from './formats/types.js';
export { ImportService } from './import-service.js';
export type {
  ImportCounts,
  ImportHooks,
  ImportOptions,
  ImportProgress,
  ImportReport,
  ImportRunView,
  RefusedRow,
} from './import-types.js';
export { importsMigrations } from './migrations/index.js';
export { importUnits } from './read-file.js';
export type { ImportsTables } from './tables.js';
