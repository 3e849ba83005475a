// The keyed hashes of a person's email addresses as the directory holds them, for the erasers of the
// parts that key something by an address (limits, the mail budget, the development mailbox). They read
// them here rather than the directory's tables (which this module owns).
import type { ExpressionBuilder, Transaction } from 'kysely';
import type { Database } from '../../platform/store/index.js';

/** A look-up none of the person's identifiers backs any more (its identifier was deleted). */
export const unbacked = ({ not, exists, selectFrom }: ExpressionBuilder<Database, 'subject_lookup'>) =>
  not(
    exists(
      selectFrom('subject_identifiers as i')
        .select('i.id')
        .whereRef('i.subject_id', '=', 'subject_lookup.subject_id')
        .whereRef('i.kind', '=', 'subject_lookup.kind')
        .whereRef('i.blind_index', '=', 'subject_lookup.blind_index'),
    ),
  );

/**
 * `all`: every email look-up of the person. `deleted`: after a partial deletion, those whose
 * identifier the dataset walker deleted (look-ups left without one; this module's eraser, which runs
 * last, drops them).
 */
export async function emailLookupIndexes(
  trx: Transaction<Database>,
  subjectId: string,
  which: 'all' | 'deleted',
): Promise<string[]> {
  let lookups = trx
    .selectFrom('subject_lookup')
    .select('blind_index')
    .where('subject_id', '=', subjectId)
    .where('kind', '=', 'email');
  if (which === 'deleted') lookups = lookups.where(unbacked);
  return (await lookups.execute()).map((r) => r.blind_index);
}
