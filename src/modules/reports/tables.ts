// Tables of the aggregate reports (created by migration 0350-experiments-reports with the experiments').
import type { Generated } from 'kysely';

export interface ReportTables {
  /** A released aggregate report: stored so the same question for the same period gets the same answer. */
  report_releases: {
    id: string;
    /** visitors_by_area | registrations_by_gender */
    report: string;
    /** ISO week, e.g. 2026-W03. */
    period: string;
    /** ε × 1000, an integer (ε has at most three decimals). */
    epsilon_milli: number;
    threshold: number;
    contribution_cap: number;
    /** JSON array of { key, count | null } (null: suppressed under the noisy threshold). */
    cells: string;
    policy_version: string;
    released_at: string;
  };
  /** Each recipient that received a release, and the ε charged to its budget for that period. */
  report_receipts: {
    seq: Generated<number>;
    release_id: string;
    recipient: string;
    period: string;
    epsilon_milli: number;
    staff_id: string | null;
    at: string;
  };
}

declare module '../../platform/store/database.js' {
  interface Database extends ReportTables {}
}
