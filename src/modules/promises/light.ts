// The promise monitor's light entry: what reading a policy needs of it (the checks a policy names no
// promise for, and what each family covers), without the monitor, the checks' code, the store or
// kysely. `vow policy check` loads this instead of index.ts (about 0.2 s of CPU less at each start);
// test/cli/start-loads.test.ts fails if it brings them back. Everything here is on index.ts too.
export { FAMILY_COVERS, type FamilyCover } from './covers.js';
// For the registry of every migration (src/app/migrations.ts): the migration files alone.
export { promisesMigrations } from './migrations/index.js';
export {
  UNPROMISED_PREFIX,
  UNPROMISED_TITLE,
  type UnpromisedCheck,
  unpromisedChecks,
  unpromisedWarnings,
} from './unpromised.js';
