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
}

declare module '../../platform/store/database.js' {
  interface Database extends SubjectTables {}
}
