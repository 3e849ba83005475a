// A child marked under 13 (P14) left a marker for each kind of identifier they had, their
// addresses' keyed hashes included. Only accounts, emails and phones refuse a later collection (a
// household's address does not: a parent's order may ship there), as docs/api.md says
// ("keeps only the keyed hashes of their email, phone and account id"). The address markers
// served nothing; they go, and markUnder13 makes no new ones.
import type { VowMigration } from '../../../platform/store/index.js';

export const migration: VowMigration = {
  async up(db) {
    await db.deleteFrom('under13_markers').where('kind', 'not in', ['account', 'email', 'phone']).execute();
  },
};
