// Violations injected as an adversary would (test/promises/injected/run.ts says how each case runs),
// the second half of the table (the first, and the check that each promise has its cases, are in
// injected-violations.test.ts): the store's integrity (test/promises/injected/integrity.ts), the
// consent ledger's times and ids (ledger-times.ts) and the rights requests (requests.ts).
import { CASES as INTEGRITY } from './injected/integrity.js';
import { CASES as LEDGER_TIMES } from './injected/ledger-times.js';
import { CASES as REQUESTS } from './injected/requests.js';
import { injectedViolations } from './injected/run.js';

injectedViolations(
  'promise monitor: injected violations of integrity, ledger times and requests, incremental and full',
  [...INTEGRITY, ...LEDGER_TIMES, ...REQUESTS],
);
