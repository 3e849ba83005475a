// Which new people of a batch of collections hold an identifier on the suppression list, read on
// PostgreSQL with the statement that writes the batch's people and records (InsertSet.read) instead
// of in one of its own after it: one round trip a batch of new buyers fewer. That statement runs on
// one snapshot, so it cannot see the identifiers it writes; the read asks for every identifier the
// batch brings, by its keyed hash, which for a person this batch creates is every identifier they
// hold. The people found again are not answered here: that statement may have waited on the row of
// one of them that another transaction was writing (an address on the list given to them), and its
// snapshot, taken before the wait, does not hold what that transaction committed. Theirs are read
// after their consent lock, as before (recordCollections). A person either names goes through the
// one-by-one rules (recordCollection).
//
// The same statement takes the shared locks of every identifier the batch writes (identifier-locks.ts),
// which a transaction putting one on the list takes exclusively. Its read may still be of a snapshot
// taken before such a transaction committed (the statement waited for it, on that lock or on a row),
// while that transaction looked for the holders before this one's people existed: both would miss.
// So the read is made again with the consent events' statement (`confirm`), the first one after the
// locks are held; an entry it finds that the first read did not is a lost race (ResolutionRace), and
// the batch is written again (rare: only when the two met on one identifier at that moment).
import type { CompiledQuery, Transaction } from 'kysely';
import { type Database, type DialectName, type InsertSet, isIn } from '../../platform/store/index.js';
import { ResolutionRace } from '../subjects/index.js';
import { sharedIdentifierLocks } from './identifier-locks.js';

/** An identifier of a batch, by its keyed hash. */
export interface BatchIdentifier {
  readonly kind: string;
  readonly blindIndex: string;
}

const pair = (kind: string, blindIndex: string) => `${kind}\u0000${blindIndex}`;

type Pairs = { index_kind: string; blind_index: string }[];

export class SuppressionsAhead {
  readonly #pairHits = new Set<string>();
  #read = false;
  /** The read of the list (compiled once), made again by `confirm`; undefined when there is none. */
  readonly #query: { compile(): CompiledQuery<Pairs[number]> } | undefined;

  /**
   * Adds the read to `set` (flushed by the caller before `among`): every identifier the batch's new
   * people bring. Before it, the shared locks of `written`: every identifier the batch writes (its
   * people found again may bring new ones too).
   */
  constructor(
    trx: Transaction<Database>,
    dialect: DialectName,
    set: InsertSet,
    identifiers: readonly BatchIdentifier[],
    written: readonly BatchIdentifier[] = identifiers,
  ) {
    const locks = sharedIdentifierLocks(written);
    if (locks) set.read(locks, () => {});
    const byKind = new Map<string, Set<string>>();
    for (const i of identifiers) byKind.set(i.kind, (byKind.get(i.kind) ?? new Set()).add(i.blindIndex));
    if (byKind.size === 0) {
      this.#read = true;
      this.#query = undefined;
      return;
    }
    const compiled = trx
      .selectFrom('suppression_list')
      .select(['index_kind', 'blind_index'])
      .distinct()
      .where((eb) =>
        eb.or(
          [...byKind].map(([kind, indexes]) =>
            eb.and([eb('index_kind', '=', kind), isIn(eb, dialect, 'blind_index', [...indexes])]),
          ),
        ),
      )
      .compile();
    this.#query = { compile: () => compiled };
    set.read(this.#query, (rows: Pairs) => {
      for (const r of rows) this.#pairHits.add(pair(r.index_kind, r.blind_index));
      this.#read = true;
    });
  }

  /**
   * Adds the read again to `set`, sent after the statement that took the locks (with the consent
   * events): an entry the first read did not see fails that flush with ResolutionRace.
   */
  confirm(set: InsertSet): void {
    if (!this.#read || this.#query === undefined) return;
    set.read(this.#query, (rows: Pairs) => {
      for (const r of rows)
        if (!this.#pairHits.has(pair(r.index_kind, r.blind_index))) throw new ResolutionRace();
    });
  }

  /**
   * The people of `inputs` (people the batch created) holding an identifier on the list, once the
   * set was flushed: undefined when it was not, or when an input does not say which identifiers it
   * brought (read them then).
   */
  among(
    inputs: readonly { subjectId: string; identifiers?: readonly BatchIdentifier[] | undefined }[],
  ): Set<string> | undefined {
    if (!this.#read || inputs.some((i) => i.identifiers === undefined)) return undefined;
    const out = new Set<string>();
    for (const i of inputs)
      if (i.identifiers!.some((id) => this.#pairHits.has(pair(id.kind, id.blindIndex)))) out.add(i.subjectId);
    return out;
  }
}
