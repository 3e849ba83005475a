// The datasets module's light entry: reading and checking annotation files and building the record
// of processing, without the connectors, the walker or the store (kysely and the drivers). `vow
// datasets check` (without --url) and `vow records-of-processing` load this instead of index.ts;
// test/cli/start-loads.test.ts fails if it brings them back. Everything here is on index.ts too.
export { loadAnnotationFile, parseAnnotation } from './annotation.js';
export {
  buildRecordOfProcessing,
  type RecordOfProcessing,
  recordOfProcessingCsv,
} from './record-of-processing.js';
export { redactUrl } from './redact-url.js';
export { loadDatasetsFile, VOW_ANNOTATION_PATH } from './registry.js';
export type { DatasetAnnotation } from './types.js';
