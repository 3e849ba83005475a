// Public surface of the erasure registry (src/platform/erasure).
export {
  changed,
  type Eraser,
  type ErasureMode,
  type ErasureOutcome,
  ErasureRegistry,
  type ErasureReport,
  type ErasureRequest,
  NOTHING_ERASED,
  type PersonLink,
  type TableFate,
} from './registry.js';
