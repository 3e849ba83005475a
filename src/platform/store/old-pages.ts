// After an erasure: what SQLite's write-ahead log still holds of the pages as they were before it.
// With secure_delete on (open-store.ts) the database file's own pages are overwritten with zeros, but
// the log (vow.sqlite-wal) keeps the earlier versions of the pages it changed (a person's rows, their
// wrapped data key) until a checkpoint copies the new pages over and later writes reuse the log, which
// on a quiet shop may take days. PostgreSQL has no such file to empty: a dead row version stays in its
// page until VACUUM lets a new row overwrite it (docs/operations.md, "Erased rows on disk").
import { sql } from 'kysely';
import type { Store } from './open-store.js';

/**
 * On SQLite, checkpoints the write-ahead log and truncates it to nothing, so no page of before the
 * caller's committed erasure stays in it; true when it did. Best effort, and it waits for no one: a
 * reader still in an older snapshot (the promise worker, another process on the same file) keeps
 * the log, which the next erasure or the last connection to close empties. SQLite calls are
 * synchronous, so waiting for that reader (the busy timeout) would stall every request meanwhile.
 * Run outside a transaction.
 */
export async function forgetOldPages(store: Store): Promise<boolean> {
  if (store.dialect !== 'sqlite' || store.location === ':memory:') return false;
  // One connection held throughout: no other query runs while the busy timeout is off.
  return store.db.connection().execute(async (db) => {
    const timeout = await sql<{ timeout: number }>`pragma busy_timeout`.execute(db);
    await sql`pragma busy_timeout = 0`.execute(db);
    try {
      const r = await sql<{ busy: number }>`pragma wal_checkpoint(TRUNCATE)`.execute(db);
      return Number(r.rows[0]?.busy ?? 1) === 0;
    } finally {
      await sql.raw(`pragma busy_timeout = ${Number(timeout.rows[0]?.timeout ?? 5000)}`).execute(db);
    }
  });
}
