// The keys of attempt_counters compare bytes on PostgreSQL too (COLLATE "C"), as they do on SQLite
// (BINARY): the erasure and a password reset delete a target with its rows per client address
// (`<target>@<client>`) by a range on the key's index, which is the keys starting with `<target>@`
// only in byte order. Under a language's collation (a database made with en_US.UTF-8, say) `@`, `-`
// and `_` weigh nothing at first and case comes last, so such a range misses some and takes others;
// the `substr` test it replaces was right under any collation but read every row. The primary key's
// index is rebuilt in the new collation. Links from an address to its mailbox's mail budget are no
// longer written (attempts.ts spendMailBudget); those left are deleted by the person's erasure or the
// sweep.
import { sql } from 'kysely';
import type { VowMigration } from '../../../platform/store/index.js';

export const migration: VowMigration = {
  async up(db, kit) {
    if (kit.dialect !== 'postgres') return;
    await sql`ALTER TABLE attempt_counters ALTER COLUMN key TYPE text COLLATE "C"`.execute(db);
  },
};
