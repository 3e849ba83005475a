// Public surface of src/modules/reports.

export { reportsTables } from './erasure.js';
export { REPORTS_ERROR_CODES } from './errors.js';
export {
  INTERNAL_RECIPIENT,
  isoWeekOf,
  type ReleasedReport,
  type ReportName,
  ReportService,
  reportCsv,
} from './report-service.js';
