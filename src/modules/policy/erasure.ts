// What the policy's table holds of a person: nothing (declared with the erasure registry, src/app/services.ts).
import type { Eraser } from '../../platform/erasure/index.js';

export const policyTables: Eraser = {
  owner: 'policy',
  tables: {
    policy_versions: { fate: 'impersonal', why: 'every policy version that has been in force' },
  },
};
