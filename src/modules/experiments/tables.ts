// Tables of the layout experiments and aggregate reports (migration 0350).
import type { Generated } from 'kysely';

export interface ExperimentTables {
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
    /** JSON of the power calculation made when it was defined (ExperimentPlan), or null. */
    plan: string | null;
  };
  /** The first exposure of a consenting visitor (blind index of the cookie id) to an experiment. */
  experiment_exposures: {
    seq: Generated<number>;
    experiment_id: string;
    visitor_id: string;
    variant: string;
    at: string;
  };
}

declare module '../../platform/store/database.js' {
  interface Database extends ExperimentTables {}
}
