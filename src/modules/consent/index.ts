// Public surface of the consent module.
export { assertChannel, kindsOfChannel, type PlannedEvent, planCollection } from './collection-rules.js';
export {
  type ConsentCause,
  type ConsentChange,
  ConsentService,
  type KindsAt,
  type RecordCollectionInput,
} from './consent-service.js';
export {
  appendConsentEvent,
  CAUSE_TYPES,
  CONSENT_EVENTS,
  type ConsentEventRow,
  type ConsentEventType,
  consentHistory,
  currentStates,
  deriveStates,
  storedStates,
} from './ledger.js';
