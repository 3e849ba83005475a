// Public surface of the promise monitor.

export { type AlertDeps, PromiseAlerts, type PromiseEvent } from './alerts.js';
export { PROMISE_CHECK_JOB, PromiseChecks, registerPromiseCheckJob, setPromiseGauges } from './check-job.js';
export { FAMILY_COVERS, type FamilyCover } from './covers.js';
export { promisesTables } from './erasure.js';
export { PROMISES_ERROR_CODES } from './errors.js';
export { FAMILIES } from './families.js';
export { formatResults } from './format.js';
export { promisesMigrations } from './migrations/index.js';
export {
  FULL_SWEEP_EVERY_MS,
  PromiseMonitor,
  type RunRequest,
  TEST_ONLY,
} from './promise-monitor.js';
export { type CheckRunner, InlineRunner, type WorkerData, WorkerRunner } from './runner.js';
export type { PromiseTables } from './tables.js';
export type {
  CheckDeps,
  CheckResult,
  CheckStatus,
  DeclaredTable,
  Evidence,
  RunMode,
  RunSummary,
  Scalar,
  Violation,
} from './types.js';
export {
  UNPROMISED_PREFIX,
  UNPROMISED_TITLE,
  type UnpromisedCheck,
  unpromisedChecks,
  unpromisedWarnings,
} from './unpromised.js';
