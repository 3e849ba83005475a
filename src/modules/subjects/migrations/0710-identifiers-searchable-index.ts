// subject_identifiers was indexed by (kind, blind_index) for every identifier, addresses included.
// Only accounts, emails and phones are ever looked up by value across people (../searchable.ts);
// a person's addresses are read through the index led by subject_id. Each entry of that index is
// a keyed hash, so each lands on a random page, which a commit then writes whole: a new buyer's
// billing and shipping addresses were two of their three entries. The index now holds the
// searchable kinds only (the term is written out here: a shipped migration never changes).
import { type SqlBool, sql } from 'kysely';
import type { VowMigration } from '../../../platform/store/index.js';

export const migration: VowMigration = {
  async up(db) {
    await db.schema
      .createIndex('subject_identifiers_searchable')
      .on('subject_identifiers')
      .columns(['kind', 'blind_index'])
      .where(sql<SqlBool>`${sql.ref('kind')} in ('account', 'email', 'phone')`)
      .execute();
    await db.schema.dropIndex('subject_identifiers_index').ifExists().execute();
  },
};
