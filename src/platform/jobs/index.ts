// Public surface of the jobs module: durable, store-backed jobs claimed once under a lease.
export { defineJob, type JobContext, type JobDefinition } from './define-job.js';
export { jobsTables } from './erasure.js';
export { JOBS_ERROR_CODES } from './errors.js';
export { JobRunner } from './job-runner.js';
export { jobsMigrations } from './migrations/index.js';
export {
  DAY_MS,
  HOUR_MS,
  QUARTER_HOUR_MS,
  type RecurringJob,
  registerRecurringJob,
} from './recurring.js';
export {
  DEFAULT_HEARTBEAT_MS,
  DEFAULT_LEASE_MS,
  type EnqueueInput,
  type JobRunnerDeps,
  type JobRunnerOptions,
  type JobView,
  type RunOutcome,
  type Ticker,
  type UnkeyedEnqueueInput,
} from './runner-types.js';
export type { JobStatus, JobTables } from './tables.js';
