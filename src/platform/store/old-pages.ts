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
 * caller's committed erasure stays in it; true when it did. Best effort: a reader still in an older
 * snapshot (another process on the same file) keeps the log, which it truncates at the next erasure
 * or when the last connection closes. Run outside a transaction.
 */
export async function forgetOldPages(store: Store): Promise<boolean> {
  if (store.dialect !== 'sqlite' || store.location === ':memory:') return false;
  const r = await sql<{ busy: number }>`pragma wal_checkpoint(TRUNCATE)`.execute(store.db);
  return Number(r.rows[0]?.busy ?? 1) === 0;
}
