// What the promise monitor's history holds of a person: record ids as evidence, never a value.
import type { Eraser } from '../../platform/erasure/index.js';

export const promisesTables: Eraser = {
  owner: 'promises',
  tables: {
    promise_checks: {
      fate: 'impersonal',
      why: 'results of the checks: counts, record ids and reasons, never a value',
    },
  },
};
