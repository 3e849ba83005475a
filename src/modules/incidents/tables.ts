// Tables of the incidents module: the personal-data breach register (GDPR Art. 33(5)). They hold no
// personal values: categories, subject kinds, counts, staff ids and the officer's own words.

export interface IncidentTables {
  incidents: {
    id: string;
    status: 'open' | 'closed';
    /** What happened, in the officer's words (never a person's name or address). */
    summary: string;
    /** When Vow's controller became aware of the breach: the 72-hour clock starts here. */
    aware_at: string;
    recorded_at: string;
    updated_at: string;
    /** The staff member who reported it (customer service or a privacy officer). */
    reported_by: string | null;
    /** The privacy officer who owns it (null: reported by customer service, not yet taken over). */
    owner_id: string | null;
    /** JSON array of the policy's category ids. */
    data_categories: string;
    /** JSON array of the policy's subject kinds. */
    subject_kinds: string;
    approx_subjects: number | null;
    approx_records: number | null;
    consequences: string;
    measures: string;
    risk: 'undecided' | 'none' | 'risk' | 'high';
    risk_reason: string | null;
    risk_decided_at: string | null;
    risk_decided_by: string | null;
    /** The lead supervisory authority: a policy `regulators` id. */
    authority: string | null;
    /** aware_at + 72 hours (Art. 33(1)). */
    deadline_at: string;
    authority_notified_at: string | null;
    authority_reference: string | null;
    /** Art. 33(1): the reasons for a notification made after 72 hours. */
    delay_reason: string | null;
    /** Art. 34: when and how the people affected were told. */
    subjects_informed_at: string | null;
    subjects_informed_how: string | null;
    closed_at: string | null;
  };
  /** Art. 34: the message Vow sends the people affected (the officer's words; names no one). */
  incident_communications: {
    incident_id: string;
    subject: string;
    what_happened: string;
    consequences: string;
    measures: string;
    /** What the person can do to protect themselves (may be empty). */
    advice: string;
    /** The locale of the message's frame (headings, contact block). */
    locale: string;
    queued_at: string;
    queued_by: string;
    /** When the job had queued a mail to every person with an address (null: still running). */
    done_at: string | null;
  };
  /** Art. 34: the message in each other language the policy is published in (the officer's words). */
  incident_message_versions: {
    incident_id: string;
    locale: string;
    /** Its place in the mail, after the policy's own language (1, 2, …). */
    position: number;
    subject: string;
    what_happened: string;
    consequences: string;
    measures: string;
    advice: string;
  };
  /** Art. 34: per person, that the incident's message was dealt with (idempotence of the job). */
  incident_notices: {
    incident_id: string;
    subject_id: string;
    /** queued: a mail was written to the outbox; no_address: no email on file; erased: erased since. */
    status: 'queued' | 'no_address' | 'erased';
    outbox_id: string | null;
    at: string;
  };
  /** US state breach laws: how many residents of each state the breach concerns (counts only). */
  incident_residents: {
    incident_id: string;
    /** `us-wi`, or `unknown` (no US state known for them) or `outside_us` (an address abroad). */
    state: string;
    residents: number;
    /** entered: by the privacy officer; counted: from the people Vow holds. */
    source: 'entered' | 'counted';
    updated_at: string;
    updated_by: string;
  };
  /** US state breach laws: a notice given (to the residents, the regulator, the credit agencies). */
  incident_state_notices: {
    incident_id: string;
    state: string;
    kind: 'residents' | 'regulator' | 'credit_agencies';
    at: string;
    /** To whom, in the officer's words (never a person's contact). */
    to_whom: string;
    recorded_by: string;
    recorded_at: string;
  };
  /** US state breach laws: a reminder sent to the privacy officers of a notice's deadline (once each). */
  incident_state_reminders: {
    incident_id: string;
    state: string;
    kind: 'residents' | 'regulator' | 'credit_agencies';
    /** before: the deadline is near; overdue: it passed with the notice not recorded. */
    stage: 'before' | 'overdue';
    /** The deadline reminded of: a moved deadline (a new time of discovery, a notice recorded) is reminded again. */
    deadline_at: string;
    sent_at: string;
  };
  incident_notes: {
    id: string;
    incident_id: string;
    at: string;
    staff_id: string | null;
    text: string;
  };
}

declare module '../../platform/store/database.js' {
  interface Database extends IncidentTables {}
}
