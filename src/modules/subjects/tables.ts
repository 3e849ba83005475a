// Tables of the subjects module (people, identifiers, links to records, under-13 markers).

export interface SubjectTables {
  subjects: {
    id: string;
    created_at: string;
    updated_at: string;
    /** 1 once staff marked the person as under 13 (P14). */
    under13: number;
  };
  subject_lookup: {
    kind: string;
    blind_index: string;
    subject_id: string;
    created_at: string;
  };
  subject_identifiers: {
    id: string;
    subject_id: string;
    /** email | phone | account | address */
    kind: string;
    blind_index: string;
    sealed_value: string;
    /** The form field it came from, e.g. `buyer.email`. */
    field: string;
    subject_kind: string;
    collection_point: string;
    record_type: string;
    record_id: string;
    policy_version: string;
    collected_at: string;
  };
  subject_records: {
    id: string;
    subject_id: string;
    subject_kind: string;
    collection_point: string;
    record_type: string;
    record_id: string;
    /** JSON: { field: { category, purposes } }. */
    fields: string;
    policy_version: string;
    collected_at: string;
  };
  under13_markers: {
    kind: string;
    blind_index: string;
    marked_at: string;
  };
  /** Four eyes on the under-13 purge: a proposal waits for a privacy officer's decision. */
  under13_proposals: {
    id: string;
    subject_id: string;
    status: 'pending' | 'approved' | 'rejected';
    /** Staff ids only. */
    proposed_by: string;
    proposed_at: string;
    /** Why, for the reviewer and the audit trail (no email address or phone number). */
    reason: string | null;
    decided_by: string | null;
    decided_at: string | null;
    decision_reason: string | null;
  };
}

declare module '../../platform/store/database.js' {
  interface Database extends SubjectTables {}
}
