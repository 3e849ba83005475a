// Tables of the policy module (created by migration 0001-core, which predates the module split).

/** Tables owned by the policy module. */
export interface PolicyTables {
  /** Every policy version that has been in force, so a record can name the one it was collected under. */
  policy_versions: {
    version: string;
    consent_version: string;
    name: string;
    effective_date: string;
    source: string;
    first_seen_at: string;
  };
}

declare module '../../platform/store/database.js' {
  interface Database extends PolicyTables {}
}
