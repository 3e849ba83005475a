// What the store's own tables hold of a person (nothing), declared with the erasure registry so every
// table of the schema has a stated fate (src/app/services.ts).
import type { Eraser } from '../erasure/index.js';

export const storeTables: Eraser = {
  owner: 'store',
  tables: {
    vow_meta: {
      fate: 'impersonal',
      why: 'facts about the installation (the sealed blind-index key, a demo seed used)',
    },
    vow_heartbeat: { fate: 'impersonal', why: 'timestamps of writes that prove the store is alive' },
  },
};
