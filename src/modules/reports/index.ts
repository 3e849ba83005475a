// Public surface of src/modules/reports.

export type { BudgetStatus } from './budget.js';
export { INTERNAL_RECIPIENT, REPORT_NAMES, type ReportName } from './catalog.js';
export { noiseInterval } from './dp/accuracy.js';
export { reportsTables } from './erasure.js';
export { REPORTS_ERROR_CODES } from './errors.js';
export { reportsMigrations } from './migrations/index.js';
export { canonicalWeek, isoWeekOf } from './periods.js';
export { type ReleasedReport, type ReportCell, reportCsv } from './present.js';
export { RELEASE_CLOSED_WEEKS_JOB, RELEASE_WEEK_JOB } from './release.js';
export { ReportService } from './report-service.js';
