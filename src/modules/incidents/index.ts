// Public surface of src/modules/incidents: the personal-data breach register (P13; GDPR Art. 33, 34).
export { type ClockState, durationInWords, type IncidentClock, NOTIFY_WITHIN_MS } from './clocks.js';
export { incidentsTables } from './erasure.js';
export { INCIDENTS_ERROR_CODES } from './errors.js';
export {
  type IncidentDetail,
  type IncidentInput,
  IncidentService,
  type IncidentView,
  RISK_LEVELS,
  type RiskLevel,
} from './incident-service.js';
export { incidentsMigrations } from './migrations/index.js';
export { MAX_SUBJECT } from './notice-message.js';
export type { NoticeDraft, NoticeVersion } from './notice-text.js';
export { messageParagraphs } from './notice-text.js';
export {
  IncidentNotices,
  NOTICE_MAIL_KIND,
  type NoticePreview,
  type NoticeProgress,
  TELL_PEOPLE_JOB,
  TOLD_BY_VOW,
} from './notices.js';
export {
  type ShownCount,
  type ShownProgress,
  SMALL_COUNT,
  shownCount,
  shownProgress,
} from './small-counts.js';
export {
  addDays,
  meets,
  ruleOn,
  STATE_NOTICE_KINDS,
  type StateClock,
  type StateDuty,
  type StateNoticeKind,
  stateClock,
  stateClocks,
} from './state-clocks.js';
export {
  REMIND_DAYS_BEFORE,
  STATE_REMINDER_MAIL_KIND,
  STATE_REMINDERS_JOB,
  StateReminders,
  stageOf,
} from './state-reminders.js';
export { IncidentStates, type IncidentStatesView, type OpenStateDeadline } from './state-service.js';
export type { IncidentTables } from './tables.js';
export type { UnreachedPerson } from './unreached.js';
