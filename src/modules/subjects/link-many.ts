// Phase two of resolution for a whole batch of collections (SubjectService.linkMany), in a few
// multi-row statements: the people the batch creates (their subject rows, look-ups, identifiers and
// links), then the people found again (seen now, the look-ups nobody holds yet claimed, the look-up
// that found each re-checked), the same writes `link` makes one by one. A look-up another
// transaction claimed meanwhile is a lost race (ResolutionRace), as in `link`; so is a person found
// again whose erasure began meanwhile (their data key closed). A deleted person's identifiers given
// anew go through `link` itself, first.
import type { Transaction } from 'kysely';
import { type Database, InsertSet } from '../../platform/store/index.js';
import type { VowContext } from '../policy/index.js';
import { findMany, LOOKUP_PRIORITY } from './queries.js';
import {
  type IdentifierKind,
  type PreparedIdentifier,
  type PreparedIdentity,
  ResolutionRace,
  type SubjectLink,
} from './types.js';

export interface LinkItem {
  readonly prepared: PreparedIdentity;
  readonly link: SubjectLink;
}

/** The row of one identifier of a person in one collection record. */
export function identifierRow(
  ctx: VowContext,
  subjectId: string,
  i: PreparedIdentifier,
  link: SubjectLink,
  at: string,
) {
  return {
    id: ctx.random.uuid(),
    subject_id: subjectId,
    kind: i.kind,
    blind_index: i.blindIndex,
    sealed_value: i.sealed,
    field: i.field,
    subject_kind: link.subjectKind,
    collection_point: link.collectionPoint,
    record_type: link.recordType,
    record_id: link.recordId,
    policy_version: ctx.policy.version,
    collected_at: at,
  };
}

/** The JSON of frozen sets of fields (collection's fieldsOf makes each set once): written once each. */
const fieldsJson = new WeakMap<SubjectLink['fields'], string>();

function jsonOfFields(fields: SubjectLink['fields']): string {
  if (!Object.isFrozen(fields)) return JSON.stringify(fields);
  let json = fieldsJson.get(fields);
  if (json === undefined) {
    json = JSON.stringify(fields);
    fieldsJson.set(fields, json);
  }
  return json;
}

/** The row linking a person to one collection record, with the kind they had there. */
export function recordRow(ctx: VowContext, subjectId: string, link: SubjectLink, at: string) {
  return {
    id: ctx.random.uuid(),
    subject_id: subjectId,
    subject_kind: link.subjectKind,
    collection_point: link.collectionPoint,
    record_type: link.recordType,
    record_id: link.recordId,
    fields: jsonOfFields(link.fields),
    policy_version: ctx.policy.version,
    collected_at: at,
  };
}

type LinkOne = (trx: Transaction<Database>, prepared: PreparedIdentity, link: SubjectLink) => Promise<string>;

/** A brand-new person (no deleted person replaced, found by nothing). */
const isPlainNew = (p: PreparedIdentity) => p.isNew && !p.replaces && !p.foundBy;
/** A person Vow holds already, found again (not a deleted person's identifiers given anew). */
const isKnown = (p: PreparedIdentity) => !p.isNew && !p.replaces;

type LookupRow = { kind: string; blind_index: string; subject_id: string; created_at: string };

/**
 * With `set`, the writes join the caller's other inserts: the ones that need nothing read back go
 * into the set (the caller flushes it, and the checks on what they returned run then), and the set
 * is flushed here only where a step must see an earlier one's rows. Without, linkMany writes all.
 */
export async function linkMany(
  ctx: VowContext,
  trx: Transaction<Database>,
  items: readonly LinkItem[],
  linkOne: LinkOne,
  given?: InsertSet,
): Promise<string[]> {
  // First, before any write: the people found again were resolved before this transaction, and an
  // erasure may have closed their key since. The vault's check is ordered against the erasure (a
  // share lock on PostgreSQL), so their rows are either written before the erasure deletes or not
  // at all: resolve again, and their identifiers make a new person, as if they had come just after.
  const existing = items.filter((i) => !i.prepared.isNew).map((i) => i.prepared.subjectId);
  if (existing.length > 0 && (await ctx.vault.closedAmong(trx, existing)).size > 0)
    throw new ResolutionRace();
  const set = given ?? new InsertSet(trx, ctx.store.dialect);
  // The new people's data keys (made by prepareAll), in this transaction: one commit for the batch.
  await ctx.vault.storeKeys(
    trx,
    items.filter((i) => i.prepared.isNew).map((i) => i.prepared.subjectId),
    set,
  );
  // A deleted person's identifiers given anew, first and one by one: their look-ups change owner,
  // and a later collection of the batch may find the new person by them.
  const replaced = new Map<number, string>();
  for (const [n, { prepared, link }] of items.entries())
    if (!isPlainNew(prepared) && !isKnown(prepared)) {
      if (set.pending > 0) await set.flush();
      replaced.set(n, await linkOne(trx, prepared, link));
    }
  const fresh = new Map<string, { id: string; created_at: string; updated_at: string; under13: number }>();
  const known = new Map<string, { id: string; created_at: string; updated_at: string; under13: number }>();
  const freshLookups = new Map<string, LookupRow>();
  const knownLookups = new Map<string, LookupRow>();
  const checks: { kind: IdentifierKind; blindIndex: string; subjectId: string }[] = [];
  const identifiers: Record<string, unknown>[] = [];
  const records: Record<string, unknown>[] = [];
  for (const { prepared, link } of items) {
    const isNew = isPlainNew(prepared);
    if (!isNew && !isKnown(prepared)) continue;
    const at = link.at.toISOString();
    const id = prepared.subjectId;
    // A person met again later in the batch keeps the last collection's time, as one by one.
    if (isNew) {
      if (!fresh.has(id)) fresh.set(id, { id, created_at: at, updated_at: at, under13: 0 });
    } else known.set(id, { id, created_at: at, updated_at: at, under13: 0 });
    if (prepared.foundBy) checks.push({ ...prepared.foundBy, subjectId: id });
    const lookups = isNew ? freshLookups : knownLookups;
    for (const i of prepared.identifiers) {
      const lookup = LOOKUP_PRIORITY.includes(i.kind) || (prepared.addressOnly && i.kind === 'address');
      const key = `${i.kind}:${i.blindIndex}`;
      if (lookup && !lookups.has(key))
        lookups.set(key, { kind: i.kind, blind_index: i.blindIndex, subject_id: id, created_at: at });
      identifiers.push(identifierRow(ctx, id, i, link, at));
    }
    records.push(recordRow(ctx, id, link, at));
  }
  // The new people, and the look-ups they claim: one another request claimed between the look-up
  // and now is a lost race (an address, shared by a household, never is). Rows go in key order, so
  // two transactions writing the same keys at once (two groups of collections on PostgreSQL) wait
  // for each other in the same order, never in a circle.
  set.add('subjects', [...fresh.values()], { onConflictDoNothing: ['id'] });
  set.add(
    'subject_lookup',
    inKeyOrder(freshLookups),
    { onConflictDoNothing: ['kind', 'blind_index'], returning: ['kind', 'blind_index'] },
    ({ returned }) => {
      const got = new Set(returned.map((r) => `${r.kind}:${r.blind_index}`));
      for (const [key, row] of freshLookups)
        if (!got.has(key) && row.kind !== 'address') throw new ResolutionRace();
    },
  );
  // The people found again: seen now, and owners of the look-ups nobody holds yet.
  set.add('subjects', inKeyOrder(known), { onConflictUpdate: { columns: ['id'], set: ['updated_at'] } });
  set.add('subject_lookup', inKeyOrder(knownLookups), { onConflictDoNothing: ['kind', 'blind_index'] });
  // The look-up that found each of them still does (or another request moved it: resolve again),
  // read after the writes above, as one by one.
  if (checks.length > 0) {
    await set.flush();
    const now = await findMany(trx, ctx.store.dialect, 'subject_lookup', checks);
    for (const c of checks)
      if (now.get(`${c.kind}:${c.blindIndex}`) !== c.subjectId) throw new ResolutionRace();
  }
  set.add('subject_identifiers', identifiers);
  set.add('subject_records', records);
  if (!given) await set.flush();
  return items.map(({ prepared }, n) => replaced.get(n) ?? prepared.subjectId);
}

/** A map's rows sorted by their keys (the order their locks are taken in). */
function inKeyOrder<R>(rows: ReadonlyMap<string, R>): R[] {
  return [...rows.keys()].sort().map((k) => rows.get(k)!);
}
