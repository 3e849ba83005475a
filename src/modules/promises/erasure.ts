// What the promise monitor's tables hold of a person: ids of records as evidence, never a value.
import type { Eraser } from '../../platform/erasure/index.js';

export const promisesTables: Eraser = {
  owner: 'promises',
  tables: {
    promise_checks: {
      fate: 'impersonal',
      why: 'results of the checks: counts, record ids and reasons, never a value',
    },
    promise_findings: {
      fate: 'impersonal',
      why: 'violations found: table, row id, rule and codes (states, categories, dates), never a value',
    },
    promise_changes: {
      fate: 'impersonal',
      why: 'ids of people and rows written since the last check, emptied by every check',
    },
    promise_marks: { fate: 'impersonal', why: 'sequence numbers and times the incremental checks reached' },
    promise_runs: { fate: 'impersonal', why: 'when each check ran, how long, how many findings' },
  },
};
