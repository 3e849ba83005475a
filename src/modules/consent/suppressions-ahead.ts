// Which people of a batch of collections hold an identifier on the suppression list, read on
// PostgreSQL with the statement that writes the batch's people and records (InsertSet.read) instead
// of in one of its own after it: one round trip a batch fewer. That statement runs on one snapshot,
// so it cannot see the identifiers it writes; the read asks for what `suppressedAmong` would find
// once they are written, in two parts: the people found again, by the identifiers they already hold,
// and every identifier the batch brings, by its keyed hash (a new person holds no other). A person
// either part names goes through the one-by-one rules (recordCollection), as before.
import type { Transaction } from 'kysely';
import { type Database, type DialectName, type InsertSet, isIn } from '../../platform/store/index.js';

/** An identifier of a batch, by its keyed hash. */
export interface BatchIdentifier {
  readonly kind: string;
  readonly blindIndex: string;
}

const pair = (kind: string, blindIndex: string) => `${kind}\u0000${blindIndex}`;

export class SuppressionsAhead {
  readonly #knownHits = new Set<string>();
  readonly #pairHits = new Set<string>();
  #read = false;

  /**
   * Adds the reads to `set` (flushed by the caller before `among`): `known`, the people the batch
   * found again; `identifiers`, every identifier the batch writes.
   */
  constructor(
    trx: Transaction<Database>,
    dialect: DialectName,
    set: InsertSet,
    known: readonly string[],
    identifiers: readonly BatchIdentifier[],
  ) {
    const byKind = new Map<string, Set<string>>();
    for (const i of identifiers) byKind.set(i.kind, (byKind.get(i.kind) ?? new Set()).add(i.blindIndex));
    let pending = 0;
    const done = () => {
      if (--pending === 0) this.#read = true;
    };
    if (known.length > 0) {
      pending++;
      set.read(
        trx
          .selectFrom('suppression_list as sl')
          .innerJoin('subject_identifiers as si', (j) =>
            j.onRef('si.blind_index', '=', 'sl.blind_index').onRef('si.kind', '=', 'sl.index_kind'),
          )
          .select('si.subject_id')
          .distinct()
          .where((eb) => isIn(eb, dialect, 'si.subject_id', [...new Set(known)])),
        (rows) => {
          for (const r of rows) this.#knownHits.add(r.subject_id);
          done();
        },
      );
    }
    if (byKind.size > 0) {
      pending++;
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
          done();
        },
      );
    }
    if (pending === 0) this.#read = true;
  }

  /**
   * The people of `inputs` holding an identifier on the list, once the set was flushed: undefined
   * when it was not, or when an input does not say which identifiers it brought (read them then).
   */
  among(
    inputs: readonly { subjectId: string; identifiers?: readonly BatchIdentifier[] | undefined }[],
  ): Set<string> | undefined {
    if (!this.#read || inputs.some((i) => i.identifiers === undefined)) return undefined;
    const out = new Set<string>();
    for (const i of inputs)
      if (
        this.#knownHits.has(i.subjectId) ||
        i.identifiers!.some((id) => this.#pairHits.has(pair(id.kind, id.blindIndex)))
      )
        out.add(i.subjectId);
    return out;
  }
}
