// What the breach register holds of a person: nothing. It keeps categories, subject kinds, counts and
// staff ids; the people affected are counted through the subjects module, never copied here.
import type { Eraser } from '../../platform/erasure/index.js';

export const incidentsTables: Eraser = {
  owner: 'incidents',
  tables: {
    incidents: {
      fate: 'impersonal',
      why: 'personal-data breaches by category, subject kind and approximate count, with their clocks and decisions (GDPR Art. 33(5)); no person is named',
    },
    incident_notes: {
      fate: 'impersonal',
      why: "the privacy officer's notes on a breach; values that look like an email address are refused",
    },
  },
};
