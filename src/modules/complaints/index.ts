// Public surface of src/modules/complaints.
export { type ComplaintDetail, ComplaintService, type ComplaintView } from './complaint-service.js';
export { COMPLAINTS_ERROR_CODES } from './errors.js';
