// The kinds of identifier Vow looks up by value across people (an SMS sender's phone, a bounced or
// unsubscribed email, a child's marked identifiers): accounts, emails and phones. Addresses are
// never looked up that way (a household shares one; an address-only person is found through
// subject_lookup), so the index by value (subject_identifiers_searchable, migration 0710) holds only
// these kinds. Random keyed hashes land on a random page of that index each: leaving a buyer's two
// addresses out took a commit of about 27 orders from about 214 written pages to about 135
// (BENCHMARKS.md).
import { type RawBuilder, type SqlBool, sql } from 'kysely';

export const SEARCHABLE_KINDS = ['account', 'email', 'phone'] as const;

/**
 * `column in ('account', 'email', 'phone')`: a look-up of subject_identifiers by (kind, blind_index)
 * must carry this term. SQLite uses a partial index only for a query that contains its WHERE term
 * as written (a bound `kind = ?` does not imply it), and the look-up would otherwise read the
 * whole table. test/subjects/indexes.test.ts checks each look-up's plan.
 */
export function searchableKind(column: string): RawBuilder<SqlBool> {
  return sql<SqlBool>`${sql.ref(column)} in (${sql.join(SEARCHABLE_KINDS.map((k) => sql.lit(k)))})`;
}
