// Phase two of resolution for a whole batch of collections (SubjectService.linkMany): the people a
// batch creates are written together, in multi-row statements (their subject rows, look-ups,
// identifiers and links), then everyone else one by one through `link`, in order. New people go
// first because a later collection of the same batch may find one of them again (its `link`
// re-checks the look-up a new person claims). A new person's look-up that another transaction
// claimed meanwhile is a lost race (ResolutionRace), as in `link`.
import type { Transaction } from 'kysely';
import { type Database, insertRows } from '../../platform/store/index.js';
import type { VowContext } from '../policy/index.js';
import { LOOKUP_PRIORITY } from './queries.js';
import { type PreparedIdentifier, type PreparedIdentity, ResolutionRace, type SubjectLink } from './types.js';

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

/** The row linking a person to one collection record, with the kind they had there. */
export function recordRow(ctx: VowContext, subjectId: string, link: SubjectLink, at: string) {
  return {
    id: ctx.random.uuid(),
    subject_id: subjectId,
    subject_kind: link.subjectKind,
    collection_point: link.collectionPoint,
    record_type: link.recordType,
    record_id: link.recordId,
    fields: JSON.stringify(link.fields),
    policy_version: ctx.policy.version,
    collected_at: at,
  };
}

type LinkOne = (trx: Transaction<Database>, prepared: PreparedIdentity, link: SubjectLink) => Promise<string>;

/** Whether a brand-new person (no deleted person replaced, found by nothing) can be written in bulk. */
const isPlainNew = (p: PreparedIdentity) => p.isNew && !p.replaces && !p.foundBy;

export async function linkMany(
  ctx: VowContext,
  trx: Transaction<Database>,
  items: readonly LinkItem[],
  linkOne: LinkOne,
): Promise<string[]> {
  const dialect = ctx.store.dialect;
  const fresh = items.filter((i) => isPlainNew(i.prepared));
  if (fresh.length > 0) {
    const subjects = new Map<
      string,
      { id: string; created_at: string; updated_at: string; under13: number }
    >();
    const lookups = new Map<
      string,
      { kind: string; blind_index: string; subject_id: string; created_at: string }
    >();
    const identifiers: Record<string, unknown>[] = [];
    const records: Record<string, unknown>[] = [];
    for (const { prepared, link } of fresh) {
      const at = link.at.toISOString();
      const id = prepared.subjectId;
      if (!subjects.has(id)) subjects.set(id, { id, created_at: at, updated_at: at, under13: 0 });
      for (const i of prepared.identifiers) {
        const lookup = LOOKUP_PRIORITY.includes(i.kind) || (prepared.addressOnly && i.kind === 'address');
        const key = `${i.kind}:${i.blindIndex}`;
        if (lookup && !lookups.has(key))
          lookups.set(key, { kind: i.kind, blind_index: i.blindIndex, subject_id: id, created_at: at });
        identifiers.push(identifierRow(ctx, id, i, link, at));
      }
      records.push(recordRow(ctx, id, link, at));
    }
    await insertRows(trx, dialect, 'subjects', [...subjects.values()], { onConflictDoNothing: ['id'] });
    const claimed = await insertRows(trx, dialect, 'subject_lookup', [...lookups.values()], {
      onConflictDoNothing: ['kind', 'blind_index'],
      returning: ['kind', 'blind_index'],
    });
    // A look-up another request claimed between the look-up and now: resolve again (an address,
    // shared by a household, is never a race).
    const got = new Set(claimed.returned.map((r) => `${r.kind}:${r.blind_index}`));
    for (const [key, row] of lookups) if (!got.has(key) && row.kind !== 'address') throw new ResolutionRace();
    await insertRows(trx, dialect, 'subject_identifiers', identifiers);
    await insertRows(trx, dialect, 'subject_records', records);
  }
  const out: string[] = [];
  for (const { prepared, link } of items)
    out.push(isPlainNew(prepared) ? prepared.subjectId : await linkOne(trx, prepared, link));
  return out;
}
