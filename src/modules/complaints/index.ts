// Public surface of src/modules/complaints.
export {
  type ComplaintDetail,
  ComplaintService,
  type ComplaintView,
  PRUNE_COMPLAINTS_JOB,
} from './complaint-service.js';
export { complaintsTables } from './erasure.js';
export { COMPLAINTS_ERROR_CODES } from './errors.js';
export { complaintsMigrations } from './migrations/index.js';
export { COMPLAINTS_KEPT_MONTHS } from './prune.js';
