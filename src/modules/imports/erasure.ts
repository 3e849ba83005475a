// What imports hold of a person: nothing. A run keeps the file's hash, a name Vow made from it (never
// the name the file was given, which could name a person) and counts; a refusal its
// line and reason (field names, never values). The people and facts imported live in the collection,
// subjects and consent tables, erased by their owners.
import type { Eraser } from '../../platform/erasure/index.js';

export const importsTables: Eraser = {
  owner: 'imports',
  tables: {
    import_runs: {
      fate: 'impersonal',
      why: "an imported file's SHA-256, the run's name made from its format and SHA-256 (never the file's own name), format, checkpoint line (and how lines are numbered) and outcome counts",
    },
    import_refusals: {
      fate: 'impersonal',
      why: 'line numbers of refused rows with a code and a reason naming fields, never their values',
    },
  },
};
