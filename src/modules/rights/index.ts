// Public surface of the rights module: data subject requests, deadlines, restrictions.

export type { AppealOffer, AppealView } from './appeals.js';
export {
  DELETION_NOTICE_RECIPIENTS,
  FULFIL_JOB,
  JURISDICTIONS,
  PRUNE_JOB,
  REQUEST_TYPES,
} from './constants.js';
export {
  addBusinessDays,
  addDays,
  addMonthsClamped,
  type Deadlines,
  deadlinesFor,
  EARLIEST_DAY,
  isCalendarDay,
  isOverdue,
  isoDay,
  type Law,
  lawOf,
  stateLawOf,
} from './deadlines.js';
export { rightsEraser } from './erasure.js';
export { RIGHTS_ERROR_CODES } from './errors.js';
export type { ExportDocument } from './export-document.js';
export type { SubmitInput, SubmitOptions, SubmitResult } from './intake.js';
export { jurisdictionOfAddress } from './jurisdiction.js';
export { rightsMigrations } from './migrations/index.js';
export type {
  DataWalker,
  DownstreamPort,
  ExportedDisclosure,
  HeldIdentifier,
  HeldPoint,
  PersonDirectory,
  PersonFacts,
  RightsPorts,
  Suppressor,
} from './ports.js';
export type { ListedRequest, RequestDetail, RequestView } from './queries.js';
export { RightsService } from './rights-service.js';
export type { QueueEntry, QueueFilter } from './staff-queue.js';
export type {
  AppealStatus,
  DetailKind,
  Jurisdiction,
  RequestChannel,
  RequestStatus,
  RequestType,
  RightsTables,
  VerificationMethod,
} from './tables.js';
export type { DataPoints } from './verification.js';
export type { PendingVerification } from './verification-approval.js';
