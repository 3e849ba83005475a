// What the shared rate-limit counters hold of a person: nothing that names one (declared with the erasure
// registry, src/app/services.ts).
import type { Eraser } from '../erasure/index.js';

export const rateLimitTables: Eraser = {
  owner: 'rate-limits',
  tables: {
    rate_limit_counters: {
      fate: 'impersonal',
      why: 'counts per route class and keyed hash of an address, expiring within the window',
    },
  },
};
