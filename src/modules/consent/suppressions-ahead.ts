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
import type { Transaction } from 'kysely';
import { type Database, type DialectName, type InsertSet, isIn } from '../../platform/store/index.js';

/** An identifier of a batch, by its keyed hash. */
export interface BatchIdentifier {
  readonly kind: string;
  readonly blindIndex: string;
}

const pair = (kind: string, blindIndex: string) => `${kind}\u0000${blindIndex}`;

export class SuppressionsAhead {
  readonly #pairHits = new Set<string>();
  #read = false;

  /** Adds the read to `set` (flushed by the caller before `among`): every identifier the batch writes. */
  constructor(
    trx: Transaction<Database>,
    dialect: DialectName,
    set: InsertSet,
    identifiers: readonly BatchIdentifier[],
  ) {
    const byKind = new Map<string, Set<string>>();
    for (const i of identifiers) byKind.set(i.kind, (byKind.get(i.kind) ?? new Set()).add(i.blindIndex));
    if (byKind.size === 0) {
      this.#read = true;
      return;
    }
    set.read(
      trx
        .selectFrom('suppression_list')
        .select(['index_kind', 'blind_index'])
        .distinct()
        .where((eb) =>
          eb.or(
            [...byKind].map(([kind, indexes]) =>
              eb.and([eb('index_kind', '=', kind), isIn(eb, dialect, 'blind_index', [...indexes])]),
            ),
          ),
        ),
      (rows) => {
        for (const r of rows) this.#pairHits.add(pair(r.index_kind, r.blind_index));
        this.#read = true;
      },
    );
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
