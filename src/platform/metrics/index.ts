// Public surface of src/platform/metrics.
export { Metrics } from './metrics.js';
