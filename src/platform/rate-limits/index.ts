// Public surface of src/platform/rate-limits.

export { rateLimitTables } from './erasure.js';
export { rateLimitsMigrations } from './migrations/index.js';
export { databaseRateLimitStore } from './rate-limit-store.js';
export type { RateLimitTables } from './tables.js';
