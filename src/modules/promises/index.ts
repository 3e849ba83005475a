// Public surface of the promise monitor.
export { DATA_CHECKS, TEST_ONLY } from './checks.js';
export { formatResults, PromiseMonitor } from './promise-monitor.js';
export type { CheckResult, CheckStatus, Evidence, PromiseCheck } from './types.js';
