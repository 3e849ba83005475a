// What aggregate reports hold of a person: nothing (noisy counts, P6).
import type { Eraser } from '../../platform/erasure/index.js';

export const reportsTables: Eraser = {
  owner: 'reports',
  tables: {
    report_releases: { fate: 'impersonal', why: 'released noisy counts per period' },
    report_receipts: { fate: 'impersonal', why: 'which recipient received which release, and the ε charged' },
  },
};
