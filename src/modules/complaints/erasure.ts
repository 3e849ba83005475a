// What complaints hold of a person, and why they stay: the complainant's sealed contact and message,
// not linked to a subject id (a complaint may come from anyone). Kept through a deletion and the
// under-13 purge, until 24 months after the complaint is closed (prune.ts).
import type { Eraser } from '../../platform/erasure/index.js';

export const complaintsTables: Eraser = {
  owner: 'complaints',
  tables: {
    complaints: {
      fate: 'kept',
      person: null,
      what: 'the complaint, its sealed contact and message, its status and dates, until 24 months after it is closed',
      basis:
        'GDPR Art. 17(3)(e): kept for the establishment, exercise or defence of legal claims, and to show the regulator how it was answered (P25)',
    },
    complaint_replies: {
      fate: 'kept',
      person: null,
      what: 'the replies sent',
      basis: 'GDPR Art. 17(3)(e), as the complaint it answers',
    },
  },
};
