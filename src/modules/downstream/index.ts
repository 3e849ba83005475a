// Public surface of src/modules/downstream: signed webhooks to the retailer's systems and the
// downstream tasks of each deletion, correction, restriction and opt-out.
export { Announcements, type IdentifiersOf } from './announcements.js';
export { downstreamEraser, type PurgeListener } from './erasure.js';
export { DOWNSTREAM_ERROR_CODES } from './errors.js';
export { EVENT_TYPES, type EventType, type PersonValues } from './events.js';
export { downstreamMigrations } from './migrations/index.js';
export { sign as signWebhook, verify as verifyWebhook } from './signing.js';
export type { DeliveryStatus, TaskKind, TaskStatus } from './tables.js';
export { DownstreamTasks, type OpenTasksInput, type TaskView } from './tasks.js';
export {
  type DeliveryView,
  type EndpointView,
  type Fetch,
  type Lookup,
  type LookupWait,
  type PublishInput,
  retryDelayMs,
  type WebhookResolver,
  Webhooks,
} from './webhooks.js';
