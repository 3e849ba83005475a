// Public surface of the collection module: the collection points, their schemas and the age gate.
export { ageOn, assertNotUnder13 } from './age-gate.js';
export {
  type BatchCollected,
  type Collected,
  type CollectionResult,
  CollectionService,
  type ConsentRecorder,
  type OrderCollected,
  type Submission,
} from './collection-service.js';
export { collectionEraser } from './erasure.js';
export { COLLECTION_ERROR_CODES } from './errors.js';
export { IDEMPOTENCY_KEY, IDEMPOTENCY_TTL_MS, type IdempotencyScope } from './idempotency.js';
export { collectionMigrations } from './migrations/index.js';
export * from './schemas.js';
export type { CollectionTables } from './tables.js';
