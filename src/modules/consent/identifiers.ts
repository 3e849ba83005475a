// What the consent module reads of the subjects module's tables (subject_identifiers,
// subject_records, subject_lookup, subjects): kinds at a collection point, people by phone, and
// pages of sealed contact values for audiences (with the data keys of the security module). Reads
// only; the subjects module owns the rows.
import { type Kysely, type RawBuilder, type SqlBool, sql, type Transaction } from 'kysely';
import { type Database, type DialectName, isIn, listChunks } from '../../platform/store/index.js';
import { searchableKind } from '../subjects/index.js';

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

/**
 * The people an identifier's keyed hash belongs to (e.g. the sender of an SMS), for an account,
 * email or phone (the searchable kinds; an address finds nobody this way).
 */
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
    .where(searchableKind('kind'))
    .where('blind_index', '=', blindIndex)
    .execute();
  return rows.map((r) => r.subject_id).sort();
}

/** Which people of an audience a page holds: a key range of subject ids, or listed ids. */
export type AudiencePageRange =
  | { readonly after: string; readonly last: string }
  | { readonly ids: readonly string[] };

/**
 * The page's people on one column: the key range (an index range scan, no long parameter list), or
 * the listed ids. Use as `.where(inAudiencePage(page, 'cs.subject_ref'))`.
 */
export function inAudiencePage(page: AudiencePageRange, column: string): RawBuilder<SqlBool> {
  const col = sql.ref(column);
  return 'ids' in page
    ? sql<SqlBool>`${col} in (${sql.join([...page.ids, ''])})`
    : sql<SqlBool>`${col} > ${page.after} and ${col} <= ${page.last}`;
}

export interface AudienceContact {
  readonly subject_id: string;
  readonly subject_kind: string;
  readonly blind_index: string;
  readonly sealed_value: string;
  /** The person's wrapped data key; null once crypto-shredded. */
  readonly wrapped_key: string | null;
  /** The identifier is on the suppression list for this channel, or for every channel ('*') when that covers it. */
  readonly suppressed: unknown;
}

/**
 * The sealed identifiers of one kind of a page of an audience's members (enrolled or granted on the
 * channel), each with its person's wrapped data key and suppression, in subject
 * then collection order: one statement per page, driven by the consent_state index like a plain
 * join over the same rows (no list of the page's ids as parameters when the page is a key range).
 * `everyChannel`: whether an entry for every channel ('*') of this kind covers the channel
 * (list-coverage.ts).
 */
export async function audienceContacts(
  db: Executor,
  channel: string,
  kind: 'email' | 'phone' | 'address',
  states: readonly string[],
  page: AudiencePageRange,
  everyChannel: boolean,
): Promise<AudienceContact[]> {
  return db
    .selectFrom('consent_state as cs')
    .innerJoin('subject_identifiers as si', (join) =>
      join.onRef('si.subject_id', '=', 'cs.subject_ref').on('si.kind', '=', kind),
    )
    .leftJoin('data_keys as dk', 'dk.subject_id', 'si.subject_id')
    .select((eb) => [
      'si.subject_id',
      'si.subject_kind',
      'si.blind_index',
      'si.sealed_value',
      'dk.wrapped_key',
      eb
        .exists(
          eb
            .selectFrom('suppression_list as sl')
            .select('sl.id')
            .where('sl.index_kind', '=', kind)
            .whereRef('sl.blind_index', '=', 'si.blind_index')
            .where('sl.channel', 'in', everyChannel ? [channel, '*'] : [channel]),
        )
        .as('suppressed'),
    ])
    .where('cs.channel', '=', channel)
    .where('cs.state', 'in', [...states])
    .where(inAudiencePage(page, 'cs.subject_ref'))
    .orderBy('cs.subject_ref')
    .orderBy('si.collected_at')
    .execute();
}

/** The people of an audience page that staff marked as under 13 (P14), through the partial index of the marked. */
export async function under13InPage(db: Executor, page: AudiencePageRange): Promise<Set<string>> {
  const rows = await db
    .selectFrom('subjects')
    .select('id')
    // A literal, not a parameter, so that every planner (prepared statements too) matches the index.
    .where('under13', '=', sql.lit(1))
    .where(inAudiencePage(page, 'id'))
    .execute();
  return new Set(rows.map((r) => r.id));
}

/** A suppression-list entry that covers one of a person's identifiers. */
export interface PersonSuppression {
  readonly id: string;
  readonly indexKind: string;
  readonly blindIndex: string;
  /** A channel id, or '*' for every channel its medium reaches (list-coverage.ts). */
  readonly channel: string;
}

/** The suppression-list entries that cover any email or phone the person holds now. */
export async function suppressionsOf(db: Executor, subjectId: string): Promise<PersonSuppression[]> {
  const rows = await db
    .selectFrom('suppression_list as sl')
    .innerJoin('subject_identifiers as si', (j) =>
      j.onRef('si.blind_index', '=', 'sl.blind_index').onRef('si.kind', '=', 'sl.index_kind'),
    )
    .select(['sl.id', 'sl.index_kind', 'sl.blind_index', 'sl.channel'])
    .distinct()
    .where('si.subject_id', '=', subjectId)
    .execute();
  return rows.map((r) => ({
    id: r.id,
    indexKind: r.index_kind,
    blindIndex: r.blind_index,
    channel: r.channel,
  }));
}

/**
 * Which of these people hold an identifier on the suppression list (one query; one per LIST_CHUNK
 * people on SQLite).
 */
export async function suppressedAmong(
  db: Executor,
  dialect: DialectName,
  subjectIds: readonly string[],
): Promise<Set<string>> {
  const out = new Set<string>();
  for (const chunk of listChunks(dialect, subjectIds)) {
    const rows = await db
      .selectFrom('suppression_list as sl')
      .innerJoin('subject_identifiers as si', (j) =>
        j.onRef('si.blind_index', '=', 'sl.blind_index').onRef('si.kind', '=', 'sl.index_kind'),
      )
      .select('si.subject_id')
      .distinct()
      .where((eb) => isIn(eb, dialect, 'si.subject_id', chunk))
      .execute();
    for (const r of rows) out.add(r.subject_id);
  }
  return out;
}
