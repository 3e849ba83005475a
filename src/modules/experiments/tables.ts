// Tables of the layout experiments and aggregate reports (migration 0350).
import type { Generated } from 'kysely';

export interface ExperimentReportTables {
  /** A layout experiment (P17): its layouts and weights never change once it exists. */
  experiments: {
    /** A lower-case slug chosen by staff; part of the assignment hash key. */
    id: string;
    name: string;
    description: string;
    /** JSON array of { id, weight, description? } in order; the first is the control. */
    variants: string;
    min_sample_per_arm: number;
    /** Currency whose completed orders count as sales. */
    currency: string;
    status: 'running' | 'stopped';
    created_at: string;
    created_by: string | null;
    stopped_at: string | null;
  };
  /** The first exposure of a consenting visitor (blind index of the cookie id) to an experiment. */
  experiment_exposures: {
    seq: Generated<number>;
    experiment_id: string;
    visitor_id: string;
    variant: string;
    at: string;
  };
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
