// Layout experiments (P17): definitions, deterministic assignment, consent-gated exposures, results.

export { experimentsTables } from './erasure.js';
export { EXPERIMENTS_ERROR_CODES } from './errors.js';
export { ExperimentService } from './experiment-service.js';
export { experimentsMigrations } from './migrations/index.js';
export type { Comparison, ExperimentResults, MetricReadiness, VariantResult } from './results.js';
export type { ExperimentTables } from './tables.js';
export {
  type Assignment,
  type Experiment,
  type ExperimentPlan,
  METRICS,
  type Metric,
  type NewExperiment,
  type PlanInput,
  type Variant,
} from './types.js';
