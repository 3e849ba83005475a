// Serialises, on PostgreSQL, the two writers of P11 that meet on one identifier: one that puts it on
// the suppression list and then withdraws the people holding it (suppressIdentifier's callers: an
// imported unsubscribe or bounce, a deletion, mail feedback), and one that gives a person that
// identifier and reads the list to decide their consent (a batch of collections, write-batch.ts).
// Each reads what the other has not committed yet, so without an order between them both miss:
// the person is written `enrolled` though the address is on the list (write skew).
//
// The withdrawing transaction takes the identifier's lock exclusively before it adds the entry and
// looks up the holders; a batch takes the locks of the identifiers it writes shared (batches never
// wait on each other) in its first statement, and reads the list again in a later statement (a
// statement's snapshot is taken when it starts, before any wait inside it): whichever locks first,
// the other's later read sees what it committed. SQLite runs one writer at a time; nothing here.
//
// A lock's key is (class, 32 bits of a hash of the kind and keyed hash): no personal data, and
// the two-number form PostgreSQL keeps apart from the one-number keys of the consent locks. A
// batch of many identifiers (an import's) takes the locks of BUCKETS buckets of them instead, so
// that it holds at most BUCKETS locks (PostgreSQL's lock table has room for about
// max_locks_per_transaction, 64 by default, a connection); a withdrawal takes both its
// identifier's and its bucket's. Locks are taken in the order of their keys, buckets first.
import { CompiledQuery, type Kysely, type Transaction } from 'kysely';
import { type Database, type DialectName, insertRows } from '../../platform/store/index.js';
import type { VowContext } from '../policy/index.js';

/** An identifier by its keyed hash. */
export interface LockedIdentifier {
  readonly kind: string;
  readonly blindIndex: string;
}

/** The kinds of identifier the suppression list holds (the only ones locked). */
export const LISTED_KINDS: ReadonlySet<string> = new Set(['email', 'phone']);

/** The classes of the two-number advisory lock keys: a bucket of identifiers, one identifier. */
const BUCKET = 0x56_53_55_00;
const ONE = 0x56_53_55_01;
/** A batch with more identifiers than this locks their buckets. */
export const FEW_IDENTIFIERS = 64;
const BUCKETS = 1024;

type Key = readonly [number, number];

/**
 * 32 bits of the identifier: FNV-1a of its kind and keyed hash. The keyed hash is already uniform
 * and reveals nothing without the key, so a fast hash of it will do (a SHA-256 each was ~1% of a
 * batch of orders' CPU).
 */
function objectOf(i: LockedIdentifier): number {
  const text = `${i.kind}\u0000${i.blindIndex}`;
  let h = 0x811c9dc5;
  for (let n = 0; n < text.length; n++) h = Math.imul(h ^ text.charCodeAt(n), 0x01000193);
  return h | 0;
}

/** The keys to lock, sorted, without repeats: `shared` for a batch, else for a withdrawal. */
export function identifierLockKeys(identifiers: readonly LockedIdentifier[], shared: boolean): Key[] {
  const objects = [...new Set(identifiers.filter((i) => LISTED_KINDS.has(i.kind)).map(objectOf))];
  const buckets = [...new Set(objects.map((o) => o & (BUCKETS - 1)))].map((b): Key => [BUCKET, b]);
  const ones = objects.map((o): Key => [ONE, o]);
  const keys = !shared ? [...buckets, ...ones] : objects.length > FEW_IDENTIFIERS ? buckets : ones;
  return keys.sort((a, b) => a[0] - b[0] || a[1] - b[1]);
}

/** The statement that takes these keys' transaction locks, in order; one row (`n`: how many). */
function lockStatement(keys: readonly Key[], shared: boolean): CompiledQuery<{ n: number }> {
  const fn = shared ? 'pg_advisory_xact_lock_shared' : 'pg_advisory_xact_lock';
  return CompiledQuery.raw(
    `select count(${fn}(c, o))::int as n from unnest($1::int4[], $2::int4[]) as t(c, o)`,
    [keys.map((k) => k[0]), keys.map((k) => k[1])],
  );
}

/**
 * A batch's shared locks as a read to send with its first statement (InsertSet.read), or undefined
 * when there is nothing to lock. The reads of the list that count come in a later statement.
 */
export function sharedIdentifierLocks(
  identifiers: readonly LockedIdentifier[],
): { compile(): CompiledQuery<{ n: number }> } | undefined {
  const keys = identifierLockKeys(identifiers, true);
  if (keys.length === 0) return undefined;
  return { compile: () => lockStatement(keys, true) };
}

/**
 * Takes the exclusive locks of identifiers about to go on the suppression list, in the caller's
 * transaction, before the entries are added and their holders looked up (PostgreSQL; nothing on
 * SQLite or outside a transaction).
 */
export async function lockIdentifiersToList(
  db: Kysely<Database> | Transaction<Database>,
  dialect: DialectName,
  identifiers: readonly LockedIdentifier[],
): Promise<void> {
  if (dialect !== 'postgres' || !db.isTransaction) return;
  const keys = identifierLockKeys(identifiers, false);
  if (keys.length > 0) await db.executeQuery(lockStatement(keys, false));
}

/** An identifier's entries to add to the suppression list: one per channel. */
export interface ListEntries extends LockedIdentifier {
  readonly channels: readonly string[];
  readonly reason: string;
}

/**
 * Adds an identifier's entries to the suppression list for `channels` (none twice): the caller holds
 * its lock (ConsentService.suppressIdentifier), or narrows an entry already there (a lift).
 */
export async function addListEntries(
  ctx: VowContext,
  db: Kysely<Database> | Transaction<Database>,
  kind: string,
  blindIndex: string,
  channels: readonly string[],
  reason: string,
): Promise<void> {
  await addManyListEntries(ctx, db, [{ kind, blindIndex, channels, reason }]);
}

/**
 * `addListEntries` for several identifiers, in multi-row inserts: an entry already there, or met
 * earlier in `entries`, is kept as it is (its reason the first one's, as one identifier after the
 * other would leave it).
 */
export async function addManyListEntries(
  ctx: VowContext,
  db: Kysely<Database> | Transaction<Database>,
  entries: readonly ListEntries[],
): Promise<void> {
  const created_at = ctx.clock.now().toISOString();
  const seen = new Set<string>();
  const rows = [];
  for (const e of entries)
    for (const channel of e.channels) {
      const key = `${e.kind}\u0000${e.blindIndex}\u0000${channel}`;
      if (seen.has(key)) continue;
      seen.add(key);
      rows.push({
        id: ctx.random.uuid(),
        index_kind: e.kind,
        blind_index: e.blindIndex,
        channel,
        reason: e.reason,
        created_at,
      });
    }
  await insertRows(db, ctx.store.dialect, 'suppression_list', rows, {
    onConflictDoNothing: ['index_kind', 'blind_index', 'channel'],
  });
}
