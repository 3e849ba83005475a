// Public surface of src/modules/experiments.

export { EXPERIMENTS_ERROR_CODES } from './errors.js';
export { type Experiment, type ExperimentResults, ExperimentService } from './experiment-service.js';
export { experimentsMigrations } from './migrations/index.js';
export type { ExperimentTables } from './tables.js';
