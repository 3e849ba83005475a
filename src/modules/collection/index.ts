// Public surface of the collection module: the collection points (built-in and declared forms),
// their schemas and the age gate.
export { ageOn, assertNotUnder13 } from './age-gate.js';
export { isOrderBody, isRegistrationBody } from './body-checks.js';
export {
  CATALOG_QUESTIONS,
  type CatalogQuestion,
  type CatalogRequestAnswers,
} from './catalog-requests-of.js';
export { CollectionService, type PreparedCollection } from './collection-service.js';
export { type DayKind, dayBounds, MAX_AGE } from './day-bounds.js';
export { FORM_RECORD_TYPE } from './declared-forms.js';
export { collectionEraser } from './erasure.js';
export { COLLECTION_ERROR_CODES } from './errors.js';
export {
  consentEffects,
  type DeclaredForm,
  declaredForm,
  declaredForms,
  type FormBody,
  type FormField,
  formSchema,
} from './form-schema.js';
export { IDEMPOTENCY_KEY, IDEMPOTENCY_TTL_MS, type IdempotencyScope } from './idempotency.js';
export { collectionMigrations } from './migrations/index.js';
export { PERSON_ORDERS_SHOWN, type PersonOrder } from './orders-of.js';
export type {
  AnySubmission,
  BatchCollected,
  Collected,
  CollectionResult,
  ConsentRecorder,
  FormSubmission,
  OrderCollected,
  Submission,
} from './plan.js';
export * from './schemas.js';
export type { CollectionTables } from './tables.js';
