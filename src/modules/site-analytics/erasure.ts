// What site measurements hold of a person: nothing that names one. They are keyed by a keyed hash of a
// random cookie id, never linked to a subject, and purged after the policy's retention (P17).
import type { Eraser } from '../../platform/erasure/index.js';

export const siteAnalyticsTables: Eraser = {
  owner: 'site-analytics',
  tables: {
    analytics_events: {
      fate: 'impersonal',
      why: 'scrubbed measurements keyed by a keyed hash of a random cookie id (never a person), purged after the policy’s retention',
    },
    analytics_counters: { fate: 'impersonal', why: 'counts of stored and dropped measurements' },
    ga_forwards: {
      fate: 'impersonal',
      why: 'which event went to Google Analytics for which cookie-id hash (parameter names only), purged with the measurements',
    },
  },
};
