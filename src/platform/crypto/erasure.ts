// What the vault's table holds of a person: their data key, destroyed by every erasure (crypto-shredding);
// declared with the erasure registry (src/app/services.ts).
import type { Eraser } from '../erasure/index.js';

export const cryptoTables: Eraser = {
  owner: 'crypto',
  tables: {
    data_keys: {
      fate: 'kept',
      person: { column: 'subject_id' },
      what: 'the row of a destroyed key, without the key: the proof that every sealed copy is unreadable',
      basis: 'GDPR Art. 5(2): being able to show the erasure happened',
    },
  },
};
