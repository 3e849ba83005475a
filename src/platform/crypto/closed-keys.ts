// An erasure against the writes that found its person before it: the erasure closes the person's data
// key (data_keys.destroyed_at) before it deletes any of their rows, and every write for a person it
// found before its transaction looks at the key inside that transaction (docs/security.md, "No write
// outlives an erasure"). The two statements conflict on PostgreSQL (a share lock against an UPDATE),
// so one of them waits for the other to commit; on SQLite writers run one at a time.
import type { Transaction } from 'kysely';
import { type Database, type DialectName, isIn, listChunks } from '../store/index.js';

/**
 * Which of these people's keys an erasure has closed (or destroyed): one indexed statement (one per
 * 500 people on SQLite), in key order, share-locking the rows on PostgreSQL. A person without a key
 * row (never sealed under) is not closed.
 */
export async function closedAmong(
  trx: Transaction<Database>,
  dialect: DialectName,
  subjectIds: readonly string[],
): Promise<Set<string>> {
  const closed = new Set<string>();
  for (const chunk of listChunks(dialect, [...new Set(subjectIds)].sort())) {
    let q = trx
      .selectFrom('data_keys')
      .select(['subject_id', 'destroyed_at'])
      .where((eb) => isIn(eb, dialect, 'subject_id', chunk));
    if (dialect === 'postgres') q = q.forShare();
    for (const r of await q.execute()) if (r.destroyed_at !== null) closed.add(r.subject_id);
  }
  return closed;
}

/** Closes these people's keys (those not closed yet), stamped `at`, in the erasure's transaction. */
export async function closeKeys(
  trx: Transaction<Database>,
  dialect: DialectName,
  subjectIds: readonly string[],
  at: string,
): Promise<void> {
  for (const chunk of listChunks(dialect, [...new Set(subjectIds)].sort()))
    await trx
      .updateTable('data_keys')
      .set({ destroyed_at: at })
      .where((eb) => isIn(eb, dialect, 'subject_id', chunk))
      .where('destroyed_at', 'is', null)
      .execute();
}
