// Serialises the read-then-write of a person's consent across transactions on PostgreSQL (two
// one-click POSTs at once record one unsubscribe; two batches of collections of the same person
// plan from each other's result). SQLite runs one writer at a time already.
import { type Kysely, sql, type Transaction } from 'kysely';
import type { Database } from '../../platform/store/index.js';
import type { VowContext } from '../policy/index.js';

export type Executor = Kysely<Database> | Transaction<Database>;

/** Runs `fn` in the caller's transaction when `db` is one, else in a new transaction. */
export function inTransaction<T>(
  ctx: VowContext,
  db: Executor | undefined,
  fn: (trx: Transaction<Database>) => Promise<T>,
): Promise<T> {
  const executor = db ?? ctx.store.db;
  if (executor.isTransaction) return fn(executor as Transaction<Database>);
  return (executor as Kysely<Database>).transaction().execute(fn);
}

/** Takes the people's transaction locks, in a fixed order (two batches never wait on each other in a circle). */
export async function lockPeople(
  ctx: VowContext,
  trx: Kysely<Database> | Transaction<Database>,
  subjectRefs: readonly string[],
): Promise<void> {
  if (ctx.store.dialect !== 'postgres' || !trx.isTransaction) return;
  if (subjectRefs.length === 1) {
    await sql`select pg_advisory_xact_lock(hashtext(${`vow-consent:${subjectRefs[0]}`}))`.execute(trx);
    return;
  }
  const keys = [...subjectRefs].sort().map((ref) => `vow-consent:${ref}`);
  for (let n = 0; n < keys.length; n += 1000)
    await sql`select pg_advisory_xact_lock(hashtext(k)) from unnest(${keys.slice(n, n + 1000)}::text[]) as t(k)`.execute(
      trx,
    );
}
