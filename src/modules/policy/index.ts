// Public surface of the policy module.

export {
  type BreachLaws,
  type BreachRule,
  type BreachThreshold,
  breachLawsSchema,
} from './breach-laws.js';
export {
  type ChangedEntry,
  comparePolicies,
  MAIN_PARTS,
  type PartChanges,
  type PolicyComparison,
} from './compare-policies.js';
export type { VowContext } from './context.js';
export { policyTables } from './erasure.js';
export { POLICY_ERROR_CODES } from './errors.js';
export {
  DEFAULT_POLICY_PATH,
  formatPath,
  formatProblem,
  loadPolicy,
  loadPolicyFile,
  MAX_PROBLEMS,
  type PolicyProblem,
  parseLocatedYaml,
  parsePolicy,
  type RawProblem,
} from './load-policy.js';
export { ancestorsOf, isWithin, Policy } from './model.js';
export { recordPolicyVersion } from './record-policy-version.js';
export {
  buildNotice,
  type CookieText,
  categoryCookies,
  cookieText,
  type Notice,
  renderNoticeMarkdown,
  retentionInWords,
} from './render-notice.js';
export type * from './schema.js';
export { BUILT_IN_POINTS, FIELD_TYPES, reportsSchema } from './schema.js';
export {
  STATE_RIGHTS,
  type StateLaw,
  type StateLaws,
  type StateRight,
  US_STATES,
} from './state-laws.js';
export { GATE_KEYS, IDENTIFIER_TYPES, isDeclaredForm } from './validate-forms.js';
export { normaliseSentence } from './validate-policy.js';
export {
  categoryName,
  channelName,
  collectionPointTitle,
  cookieCategoryText,
  exemptionName,
  exemptionSource,
  purposeName,
  recipientName,
  regulatorName,
  retentionReason,
  subjectKindName,
} from './words.js';
