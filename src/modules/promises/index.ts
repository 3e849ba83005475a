// Public surface of the promise monitor.

export { registerPromiseCheckJob, setPromiseGauges } from './check-job.js';
export { DATA_CHECKS, TEST_ONLY } from './checks.js';
export { promisesTables } from './erasure.js';
export { promisesMigrations } from './migrations/index.js';
export { formatResults, PromiseMonitor } from './promise-monitor.js';
export type { PromiseTables } from './tables.js';
export type { CheckResult, CheckStatus, Evidence, PromiseCheck } from './types.js';
