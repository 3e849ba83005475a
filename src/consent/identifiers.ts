// What the consent module reads of the subjects module's tables (subject_identifiers,
// subject_records, subject_lookup, subjects): kinds at a collection point, people by phone, and
// pages of sealed contact values for audiences. Reads only; the subjects module owns the rows.
import type { Kysely, Transaction } from 'kysely';
import type { Database } from '../store/schema.js';

type Executor = Kysely<Database> | Transaction<Database>;

/** The subject kinds a collection point stored a person under (read inside the caller's transaction). */
export async function kindsAtCollectionPoint(
  db: Executor,
  subjectId: string,
  collectionPoint: string,
): Promise<string[]> {
  const [records, identifiers] = await Promise.all([
    db
      .selectFrom('subject_records')
      .select('subject_kind')
      .distinct()
      .where('subject_id', '=', subjectId)
      .where('collection_point', '=', collectionPoint)
      .execute(),
    db
      .selectFrom('subject_identifiers')
      .select('subject_kind')
      .distinct()
      .where('subject_id', '=', subjectId)
      .where('collection_point', '=', collectionPoint)
      .execute(),
  ]);
  return [...new Set([...records, ...identifiers].map((r) => r.subject_kind))];
}

/** The people an identifier's keyed hash belongs to (e.g. the sender of an SMS). */
export async function subjectsByBlindIndex(
  db: Executor,
  kind: string,
  blindIndex: string,
): Promise<string[]> {
  const rows = await db
    .selectFrom('subject_identifiers')
    .select('subject_id')
    .distinct()
    .where('kind', '=', kind)
    .where('blind_index', '=', blindIndex)
    .execute();
  return rows.map((r) => r.subject_id).sort();
}

export interface SealedContact {
  readonly subjectId: string;
  /** email | phone | address */
  readonly kind: string;
  readonly subjectKind: string;
  readonly blindIndex: string;
  readonly sealedValue: string;
}

/** The sealed identifiers of one kind for a page of people. */
export async function sealedContacts(
  db: Executor,
  subjectIds: readonly string[],
  kind: string,
): Promise<SealedContact[]> {
  if (subjectIds.length === 0) return [];
  const rows = await db
    .selectFrom('subject_identifiers')
    .select(['subject_id', 'kind', 'subject_kind', 'blind_index', 'sealed_value', 'collected_at'])
    .where('subject_id', 'in', [...subjectIds])
    .where('kind', '=', kind)
    .orderBy('subject_id')
    .orderBy('collected_at')
    .execute();
  return rows.map((r) => ({
    subjectId: r.subject_id,
    kind: r.kind,
    subjectKind: r.subject_kind,
    blindIndex: r.blind_index,
    sealedValue: r.sealed_value,
  }));
}

/** The people of a page that staff marked as under 13 (P14). */
export async function under13Among(db: Executor, subjectIds: readonly string[]): Promise<Set<string>> {
  if (subjectIds.length === 0) return new Set();
  const rows = await db
    .selectFrom('subjects')
    .select('id')
    .where('id', 'in', [...subjectIds])
    .where('under13', '=', 1)
    .execute();
  return new Set(rows.map((r) => r.id));
}
