// What the subjects module answers about one person: the identifiers they hold (decrypted), their
// kinds (overall, at a collection point, per category), whether they hold an identifier, whether they
// are marked under 13; and the recomputation of their look-ups after a correction.
import type { ExpressionBuilder, Kysely, Transaction } from 'kysely';
import { type Database, type DialectName, isIn, listChunks } from '../../platform/store/index.js';
import type { VowContext } from '../policy/index.js';
import { forgetStaleLookups } from './erasure.js';
import {
  normaliseAccount,
  normaliseAddress,
  normaliseEmail,
  normalisePhone,
  type PostalAddress,
} from './normalise.js';
import { type IdentifierKind, type IdentifierView, openSealed } from './types.js';

type Executor = Kysely<Database> | Transaction<Database>;

/** The identifier kinds that find a person (a postal address only when they gave nothing else). */
export const LOOKUP_PRIORITY: readonly IdentifierKind[] = ['account', 'email', 'phone'];

/** Whether the person holds this identifier (normalised and compared by its keyed hash). */
export async function holds(
  ctx: VowContext,
  subjectId: string,
  point:
    | { readonly kind: 'email' | 'phone' | 'account'; readonly value: string }
    | { readonly kind: 'address'; readonly value: PostalAddress },
): Promise<boolean> {
  let normalised: string | undefined;
  if (point.kind === 'address') normalised = normaliseAddress(point.value);
  else if (point.kind === 'email') normalised = normaliseEmail(point.value);
  else if (point.kind === 'phone') normalised = normalisePhone(point.value);
  else normalised = normaliseAccount(point.value);
  if (!normalised) return false;
  const row = await ctx.store.db
    .selectFrom('subject_identifiers')
    .select('id')
    .where('subject_id', '=', subjectId)
    .where('kind', '=', point.kind)
    .where('blind_index', '=', ctx.vault.blindIndex(point.kind, normalised))
    .executeTakeFirst();
  return row !== undefined;
}

export async function exists(ctx: VowContext, subjectId: string): Promise<boolean> {
  const row = await ctx.store.db
    .selectFrom('subjects')
    .select('id')
    .where('id', '=', subjectId)
    .executeTakeFirst();
  return row !== undefined;
}

/** Every identifier held for the person, decrypted (null values once their key is destroyed). */
export async function identifiers(ctx: VowContext, subjectId: string): Promise<IdentifierView[]> {
  const rows = await ctx.store.db
    .selectFrom('subject_identifiers')
    .selectAll()
    .where('subject_id', '=', subjectId)
    .orderBy('collected_at', 'asc')
    .orderBy('id', 'asc')
    .execute();
  const out: IdentifierView[] = [];
  for (const r of rows) {
    const plain = await openSealed(ctx.vault, subjectId, r.sealed_value);
    const kind = r.kind as IdentifierKind;
    out.push({
      kind,
      value: plain === null ? null : kind === 'address' ? (JSON.parse(plain) as PostalAddress) : plain,
      field: r.field,
      subjectKind: r.subject_kind,
      collectionPoint: r.collection_point,
      recordType: r.record_type,
      recordId: r.record_id,
      collectedAt: r.collected_at,
    });
  }
  return out;
}

/** The kinds under which the person's data was collected. */
export async function kinds(ctx: VowContext, subjectId: string): Promise<string[]> {
  const rows = await ctx.store.db
    .selectFrom('subject_records')
    .select('subject_kind')
    .distinct()
    .where('subject_id', '=', subjectId)
    .execute();
  return rows.map((r) => r.subject_kind).sort();
}

/** The kinds a collection point stored the person under (read inside the caller's transaction). */
export async function kindsAt(db: Executor, subjectId: string, collectionPoint: string): Promise<string[]> {
  const rows = await db
    .selectFrom('subject_records')
    .select('subject_kind')
    .distinct()
    .where('subject_id', '=', subjectId)
    .where('collection_point', '=', collectionPoint)
    .execute();
  return rows.map((r) => r.subject_kind).sort();
}

/** Per data category, the kinds it was collected under (a buyer's own email vs. a gift address). */
export async function kindsByCategory(ctx: VowContext, subjectId: string): Promise<Record<string, string[]>> {
  const rows = await ctx.store.db
    .selectFrom('subject_records')
    .select(['subject_kind', 'fields'])
    .where('subject_id', '=', subjectId)
    .execute();
  const out: Record<string, Set<string>> = {};
  for (const r of rows) {
    const fields = JSON.parse(r.fields) as Record<string, { category: string }>;
    for (const f of Object.values(fields)) {
      const kinds = out[f.category] ?? new Set<string>();
      kinds.add(r.subject_kind);
      out[f.category] = kinds;
    }
  }
  return Object.fromEntries(Object.entries(out).map(([c, s]) => [c, [...s].sort()]));
}

/**
 * Recomputes the person's look-ups from the identifiers they hold now (after a correction changed
 * one, P21): a look-up no identifier backs goes, so the old value no longer finds them, and each
 * account, email and phone they hold finds them (their postal address, when they hold none of
 * those), unless it already finds someone else, who keeps it. Returns how many look-ups were
 * removed and added.
 */
export async function reindex(
  ctx: VowContext,
  subjectId: string,
): Promise<{ removed: number; added: number }> {
  const at = ctx.clock.now().toISOString();
  return ctx.store.db.transaction().execute(async (trx) => {
    // No look-up comes back for someone whose erasure began meanwhile (ordered against it): their
    // look-ups are the erasure's to delete.
    if ((await ctx.vault.closedAmong(trx, [subjectId])).size > 0) return { removed: 0, added: 0 };
    const removed = await forgetStaleLookups(trx, subjectId);
    const heldOf = (kinds: readonly IdentifierKind[]) =>
      trx
        .selectFrom('subject_identifiers')
        .select(['kind', 'blind_index'])
        .distinct()
        .where('subject_id', '=', subjectId)
        .where('kind', 'in', [...kinds])
        .execute();
    // A postal address finds only someone who gave nothing else (as at collection).
    let held = await heldOf(LOOKUP_PRIORITY);
    if (held.length === 0) held = await heldOf(['address']);
    let added = 0;
    for (const h of held) {
      const res = await trx
        .insertInto('subject_lookup')
        .values({ kind: h.kind, blind_index: h.blind_index, subject_id: subjectId, created_at: at })
        .onConflict((oc) => oc.columns(['kind', 'blind_index']).doNothing())
        .executeTakeFirst();
      added += Number(res.numInsertedOrUpdatedRows ?? 0);
    }
    return { removed, added };
  });
}

/** Whether the person is marked as under 13 (P14); false for someone Vow does not know. */
export async function isMarkedUnder13(ctx: VowContext, subjectId: string): Promise<boolean> {
  const row = await ctx.store.db
    .selectFrom('subjects')
    .select('under13')
    .where('id', '=', subjectId)
    .executeTakeFirst();
  return Number(row?.under13 ?? 0) === 1;
}

/** The where clause of the rows holding these (kind, blind index) pairs (one chunk of them). */
function holding(dialect: DialectName, chunk: readonly { kind: IdentifierKind; blindIndex: string }[]) {
  const byKind = new Map<IdentifierKind, string[]>();
  for (const i of chunk) {
    const list = byKind.get(i.kind) ?? [];
    list.push(i.blindIndex);
    byKind.set(i.kind, list);
  }
  return (eb: ExpressionBuilder<Database, 'subject_lookup' | 'under13_markers'>) =>
    eb.or(
      [...byKind].map(([kind, indexes]) =>
        eb.and([eb('kind', '=', kind), isIn(eb, dialect, 'blind_index', indexes)]),
      ),
    );
}

const distinctPairs = (identifiers: readonly { kind: IdentifierKind; blindIndex: string }[]) => [
  ...new Map(identifiers.map((i) => [`${i.kind}:${i.blindIndex}`, i])).values(),
];

/**
 * The reads of whether any of these pairs is marked under 13 (each at most one row): one on
 * PostgreSQL, one per LIST_CHUNK pairs on SQLite; none for no pairs.
 */
export function markerReads(
  db: Executor,
  dialect: DialectName,
  identifiers: readonly { kind: IdentifierKind; blindIndex: string }[],
) {
  return [...listChunks(dialect, distinctPairs(identifiers))].map((chunk) =>
    db.selectFrom('under13_markers').select(['kind', 'blind_index']).where(holding(dialect, chunk)).limit(1),
  );
}

/**
 * The rows of `table` holding these (kind, blind index) pairs, as "kind:index" -> subject id: one
 * query on PostgreSQL, one per LIST_CHUNK pairs on SQLite. Of the markers, only whether there is
 * one (the first found -> "").
 */
export async function findMany(
  db: Executor,
  dialect: DialectName,
  table: 'subject_lookup' | 'under13_markers',
  identifiers: readonly { kind: IdentifierKind; blindIndex: string }[],
): Promise<Map<string, string>> {
  const found = new Map<string, string>();
  if (table === 'under13_markers') {
    for (const read of markerReads(db, dialect, identifiers)) {
      const hit = await read.execute();
      for (const r of hit) found.set(`${r.kind}:${r.blind_index}`, '');
      if (found.size > 0) return found;
    }
    return found;
  }
  for (const chunk of listChunks(dialect, distinctPairs(identifiers))) {
    const rows = await db
      .selectFrom(table)
      .select(['kind', 'blind_index', 'subject_id'])
      .where(holding(dialect, chunk))
      .execute();
    for (const r of rows) found.set(`${r.kind}:${r.blind_index}`, r.subject_id);
  }
  return found;
}
