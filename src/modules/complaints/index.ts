// Public surface of src/modules/complaints.
export { type ComplaintDetail, ComplaintService, type ComplaintView } from './complaint-service.js';
export { complaintsTables } from './erasure.js';
export { COMPLAINTS_ERROR_CODES } from './errors.js';
export { complaintsMigrations } from './migrations/index.js';
