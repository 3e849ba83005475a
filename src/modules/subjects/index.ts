// Public surface of the subjects module: people, identifiers, identity resolution, the under-13 mark.

export {
  type AffectedQuery,
  affectedSubjects,
  countAffected,
  emailsOf,
  type PostalContact,
  postalContactsOf,
} from './affected.js';
export { countResidentsByState, type ResidentsByState, usStateOfAddress } from './affected-states.js';
export { emailLookupIndexes } from './email-indexes.js';
export { subjectsEraser } from './erasure.js';
export { SUBJECTS_ERROR_CODES } from './errors.js';
export type { LinkItem } from './link-many.js';
export { subjectsMigrations } from './migrations/index.js';
export {
  addressInWords,
  correctedAddress,
  normaliseAccount,
  normaliseAddress,
  normaliseEmail,
  normalisePhone,
  type PostalAddress,
} from './normalise.js';
export { SEARCHABLE_KINDS, searchableKind } from './searchable.js';
export { SubjectService } from './subject-service.js';
export type { SubjectTables } from './tables.js';
export {
  IDENTIFIER_CATEGORY,
  type IdentifierInput,
  type IdentifierKind,
  type IdentifierView,
  type IndexedIdentifier,
  openSealed,
  type PreparedIdentity,
  type PurgePorts,
  ResolutionRace,
  type ResolutionRequest,
  type SubjectLink,
} from './types.js';
export { type StaffIndependence, Under13Approvals, type Under13Proposal } from './under13-approvals.js';
