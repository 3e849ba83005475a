// What the breach register holds of a person: the incidents and notes nothing (categories, subject
// kinds, counts and staff ids; the people affected are counted through the subjects module, never
// copied here). The Art. 34 notices name the people Vow wrote to, by subject id only: they go with a
// deletion of everything and with the purge.
import { changed, type Eraser, NOTHING_ERASED } from '../../platform/erasure/index.js';

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
    incident_communications: {
      fate: 'impersonal',
      why: "the privacy officer's message to the people affected by a breach (Art. 34), the same for all; values that look like an email address are refused",
    },
    incident_message_versions: {
      fate: 'impersonal',
      why: "the same message in the policy's other languages, the same for all; values that look like an email address are refused",
    },
    incident_residents: {
      fate: 'impersonal',
      why: 'how many residents of each US state a breach concerns: counts only, entered or counted, no one listed',
    },
    incident_state_notices: {
      fate: 'impersonal',
      why: "when each US state's residents, regulator or credit agencies were told of a breach, in the officer's words; values that look like an email address are refused",
    },
    incident_state_reminders: {
      fate: 'impersonal',
      why: 'which US state deadline of a breach the privacy officers were reminded of, and when: ids, states and times only',
    },
    incident_notices: {
      fate: 'erased',
      person: { column: 'subject_id' },
      how: 'deleted by a deletion of everything and by the purge (the mail itself is the outbox’s)',
    },
  },
  async erase(trx, { subjectId, mode, categories }) {
    if (mode !== 'purge' && categories !== 'all') return NOTHING_ERASED;
    const n = changed(
      await trx.deleteFrom('incident_notices').where('subject_id', '=', subjectId).executeTakeFirst(),
    );
    return n ? { rows: { incident_notices: n } } : NOTHING_ERASED;
  },
};
