// Public surface of the datasets module: annotations, connectors, the per-person walker.
//
// The rights module calls `services.datasets`:
//   await services.datasets.export({ subjectIds, emails, phones, accountIds }, actor)      -> PersonExport
//   exportToCsv(personExport)                                                              -> { 'dataset.table': csv }
//   await services.datasets.delete(identity, { categories?: [...] | 'all', dryRun? }, actor) -> WalkReport
//   await services.datasets.correct(identity, { category, column?, value, dryRun? }, actor) -> WalkReport
export { DEFAULT_MASK, loadAnnotationFile, parseAnnotation } from './annotation.js';
export { connectDataset, type DatasetConnection, type DatasetEngine, engineOf } from './connect.js';
export { exportToCsv } from './csv.js';
export { DATASETS_ERROR_CODES } from './errors.js';
export type { ExpiredValues, ExpiryReport } from './expire.js';
export {
  buildRecordOfProcessing,
  NOT_STATED,
  type ProcessingActivity,
  type RecordOfProcessing,
  recordOfProcessingCsv,
} from './record-of-processing.js';
export { redactUrl } from './redact-url.js';
export {
  type DatasetConfig,
  EXAMPLE_SHOP_ANNOTATION_PATH,
  loadDatasetsFile,
  VOW_ANNOTATION_PATH,
} from './registry.js';
export { ROW_TIME_COLUMNS } from './rows.js';
export { seedExampleShop } from './seed-example.js';
export {
  createDatasetService,
  type DatasetInfo,
  DatasetService,
  type DatasetServiceDeps,
  type DatasetSource,
} from './service.js';
export type * from './types.js';
export { findRows, purposesFor, verifyAgainstDatabase } from './walker.js';
