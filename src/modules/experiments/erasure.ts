// What layout experiments hold of a person: nothing that names one (exposures are keyed by a cookie-id
// hash, never a subject).
import type { Eraser } from '../../platform/erasure/index.js';

export const experimentsTables: Eraser = {
  owner: 'experiments',
  tables: {
    experiments: { fate: 'impersonal', why: 'experiment definitions' },
    experiment_exposures: {
      fate: 'impersonal',
      why: 'which layout a cookie-id hash saw first (never a person)',
    },
  },
};
