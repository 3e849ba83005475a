// Public surface of src/platform/audit.

export { registerAnchorJob } from './anchor-job.js';
export { type AnchorRecord, type AnchorStore, FileAnchorStore, MemoryAnchorStore } from './anchor-store.js';
export {
  type ActorType,
  type AuditEntry,
  type AuditRow,
  AuditTrail,
  type HeldHead,
  hashEntry,
  type VerifyResult,
} from './audit.js';
export { auditTables } from './erasure.js';
export { AUDIT_ERROR_CODES } from './errors.js';
