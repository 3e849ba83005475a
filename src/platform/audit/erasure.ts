// What the audit trail holds of a person: ids and codes, never a value; kept whole, since a deleted entry
// would break the hash chain that proves nothing was altered (src/app/services.ts).
import type { Eraser } from '../erasure/index.js';

export const auditTables: Eraser = {
  owner: 'audit',
  tables: {
    audit_log: {
      fate: 'kept',
      person: null,
      what: 'who did what, when, to which record (ids and codes; a guard refuses personal values)',
      basis: 'GDPR Art. 5(2) and 24: accountability; the chain proves the trail was not altered',
    },
    audit_head: { fate: 'impersonal', why: 'the chain’s newest sequence number and hash' },
    audit_anchors: { fate: 'impersonal', why: 'the chain head recorded over time' },
  },
};
