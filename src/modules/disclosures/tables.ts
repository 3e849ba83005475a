// The disclosure log (ids, categories and field names; never a value).

export interface DisclosureTables {
  disclosures: {
    id: string;
    disclosure_id: string;
    subject_id: string;
    recipient: string;
    purpose: string;
    record_id: string | null;
    categories: string;
    fields: string;
    rules: string;
    policy_version: string;
    disclosed_at: string;
  };
}

declare module '../../platform/store/database.js' {
  interface Database extends DisclosureTables {}
}
