// Public surface of the retention module: what has outlived the policy's retention (read by the
// promise monitor) and its daily erasure (run by the job runner, or `vow retention enforce`).
export { ENFORCE_JOB, type RetentionDeps, RetentionEnforcer, type RetentionReport } from './enforcer.js';
export {
  cutoffOf,
  type Expired,
  type ExpiredColumn,
  type ExpiredIdentifier,
  type ExpiredMeasurements,
  findExpired,
  lastActivity,
  retentionEntry,
} from './expiry.js';
