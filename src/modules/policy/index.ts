// Public surface of the policy module.
export {
  DEFAULT_POLICY_PATH,
  formatProblem,
  loadPolicy,
  loadPolicyFile,
  type PolicyProblem,
  parsePolicy,
} from './load-policy.js';
export { ancestorsOf, canonicalJson, isWithin, Policy } from './model.js';
export { recordPolicyVersion } from './record-policy-version.js';
export { buildNotice, type Notice, renderNoticeMarkdown } from './render-notice.js';
export type * from './schema.js';
export { normaliseSentence } from './validate-policy.js';
