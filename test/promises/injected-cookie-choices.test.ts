// Violations injected as an adversary would (test/promises/injected/run.ts says how each case runs):
// a visitor's cookie choices changed in the ledger against their audit entries, and events given
// another id while a later event of their channel is there (test/promises/injected/cookie-choices.ts).
// A file of its own: each sweep reads the whole store, so the other halves' stores stay as they were.
import { CASES } from './injected/cookie-choices.js';
import { injectedViolations } from './injected/run.js';

injectedViolations(
  'promise monitor: injected violations of cookie choices and renamed events, incremental and full',
  CASES,
);
