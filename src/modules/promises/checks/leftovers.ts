// What must be gone, from the erasure registry and the dataset annotations (P14, P22):
// - of a person marked under 13, nothing in any table that names people (the erasure registry's
//   links, direct or through another table), their data key destroyed, their requests' contact erased;
//   and no identifier of theirs (by its keyed hash) came back anywhere;
// - of a person whose deletion of everything was completed, nothing in a table declared `erased`, in
//   a table `kept` only what the annotations retain (every other annotated column deleted, nulled or
//   masked as annotated), their data key destroyed, their answered requests' contact forgotten; and
//   nothing more to delete in the retailer's annotated databases;
// - after a deletion of chosen categories, no annotated value of those categories collected before it,
//   and no look-up left that no identifier backs.
import { sql } from 'kysely';
import type { PersonLink, TableFate } from '../../../platform/erasure/index.js';
import type { AnnotatedColumn, AnnotatedTable, DatasetAnnotation } from '../../datasets/index.js';
import { isWithin } from '../../policy/index.js';
import { searchableKind } from '../../subjects/index.js';
import { childrenCover, leftoversCover } from '../covers.js';
import type { Family, FamilyEnv, Sink } from '../family.js';
import { ALL, parseJson } from '../family.js';
import { PersonBatch, type RequestRow, rowIdOf } from '../person-batch.js';
import { ATTRIBUTION } from '../policy-map.js';
import type { DeclaredTable } from '../types.js';

/** Rows a purge leaves on purpose: the marked id, the destroyed key's row, the request log. */
const PURGE_KEEPS = new Set(['subjects', 'data_keys', 'rights_requests']);
/** Rows of a table declared erased that hold nothing of the person once this column is empty. */
const EMPTIED_BY: Readonly<Record<string, string>> = { mail_outbox: 'sealed' };

type Linked = Extract<TableFate, { person: unknown }> & { person: PersonLink };

function linkedTables(deps: FamilyEnv['deps']): (DeclaredTable & { fate: Linked })[] {
  return (deps.tables?.() ?? []).filter(
    (t): t is DeclaredTable & { fate: Linked } => t.fate.fate !== 'impersonal' && t.fate.person !== null,
  );
}

function vowAnnotation(deps: FamilyEnv['deps']): DatasetAnnotation | undefined {
  return deps.datasets?.annotations().find((a) => a.name === 'vow');
}

function rowKey(t: AnnotatedTable, row: Record<string, unknown>): string {
  return t.primaryKey.map((k) => String(row[k] ?? '')).join('/');
}

function subjectColumnOf(t: AnnotatedTable, c?: AnnotatedColumn): string | undefined {
  return c?.subjectColumn ?? t.subjectColumn ?? t.identity.find((i) => i.kind === 'subject')?.column;
}

/** The value a deletion leaves in a column of a row that stays, or undefined when it keeps any. */
function expectedAfterDelete(c: AnnotatedColumn, key: string): string | null | undefined {
  if (c.onDelete === 'retain') return undefined;
  if (c.onDelete === 'null') return null;
  if (c.onDelete === 'mask' || c.fallbackMask) return c.maskWith.replaceAll('{pk}', key);
  return null;
}

function categoryOf(c: AnnotatedColumn, row: Record<string, unknown>): string {
  const by = c.categoryBy;
  return by ? (by.values[String(row[by.column] ?? '')] ?? c.category) : c.category;
}

interface Deleted {
  readonly person: string;
  readonly request: RequestRow;
  /** Every category, or the chosen ones. */
  readonly categories: 'all' | readonly string[];
}

async function deletions(batch: PersonBatch): Promise<Deleted[]> {
  const out: Deleted[] = [];
  for (const [person, list] of await batch.requests())
    for (const r of list) {
      if (r.type !== 'deletion' || r.status !== 'completed') continue;
      const scope = parseJson<{ categories?: string[] }>(r.scope) ?? {};
      const categories = scope.categories && scope.categories.length > 0 ? scope.categories : 'all';
      out.push({ person, request: r, categories });
    }
  return out;
}

/** Annotated values of these people that a deletion should have changed, checked column by column. */
async function annotatedLeftovers(
  batch: PersonBatch,
  annotation: DatasetAnnotation,
  targets: readonly Deleted[],
  erasedTables: ReadonlySet<string>,
  sink: Sink,
): Promise<void> {
  const byPerson = new Map(targets.map((t) => [t.person, t]));
  for (const t of annotation.tables) {
    const groups = new Map<string, AnnotatedColumn[]>();
    for (const c of t.columns) {
      const col = subjectColumnOf(t, c);
      if (col) groups.set(col, [...(groups.get(col) ?? []), c]);
    }
    for (const [subjectCol, columns] of groups) {
      const rows = await batch.linked(t.name, { column: subjectCol }, [...byPerson.keys()]);
      for (const row of rows) {
        const target = byPerson.get(row.__person);
        // A table declared erased was checked whole for a deletion of everything.
        if (!target || (target.categories === 'all' && erasedTables.has(t.name))) continue;
        const key = rowKey(t, row);
        const at = typeof row.collected_at === 'string' ? row.collected_at : undefined;
        for (const c of columns) {
          const category = categoryOf(c, row);
          const all = target.categories === 'all';
          if (!all) {
            if (c.fields) continue; // keys inside a sealed object cannot be seen without opening it
            if (!(target.categories as readonly string[]).some((chosen) => isWithin(category, chosen)))
              continue;
            if (at !== undefined && target.request.responded_at !== null && at > target.request.responded_at)
              continue;
          }
          const expected = expectedAfterDelete(c, key);
          if (expected === undefined) continue;
          const value = row[c.name];
          const rowGone = c.onDelete === 'delete_row' && !c.fallbackMask;
          // A sealed column's mask is sealed too (its opened value is the mask): after a deletion of
          // everything the person's key is gone (checked apart), so only a row that must go counts.
          if (c.encrypted === 'vault' && !rowGone) continue;
          const ok = rowGone ? false : value === null ? expected === null : String(value) === expected;
          if (ok) continue;
          sink.add(target.person, {
            promise: ATTRIBUTION.deletion,
            table: t.name,
            row: key,
            rule: all ? 'deletion.column_erased' : 'deletion.category_erased',
            reason: rowGone
              ? `A row of ${category} is still there after the person’s deletion`
              : `The ${c.name} column (${category}) still holds a value after the person’s deletion`,
            values: {
              subject: target.person,
              request: target.request.id,
              column: c.name,
              category,
              expected: expected === null ? 'null' : expected.length > 24 ? 'a mask' : expected,
              deleted_at: target.request.responded_at,
            },
          });
          if (rowGone) break;
        }
      }
    }
  }
}

async function under13Leftovers(batch: PersonBatch, env: FamilyEnv, people: readonly string[], sink: Sink) {
  const keys = await batch.keys();
  const requests = await batch.requests();
  for (const person of people) {
    if (keys.get(person)?.live)
      sink.add(person, {
        promise: ATTRIBUTION.children,
        table: 'data_keys',
        row: person,
        rule: 'under13.key_destroyed',
        reason: 'The data key of a person marked under 13 was not destroyed',
        values: { subject: person },
      });
    for (const r of requests.get(person) ?? [])
      if (r.sealed_empty !== 1 || r.email_index !== null)
        sink.add(person, {
          promise: ATTRIBUTION.children,
          table: 'rights_requests',
          row: r.id,
          rule: 'under13.request_contact_erased',
          reason: 'A request of a person marked under 13 still holds their contact',
          values: { subject: person, request: r.id },
        });
  }
  for (const t of linkedTables(env.deps)) {
    if (PURGE_KEEPS.has(t.table)) continue;
    for (const row of await batch.linked(t.table, t.fate.person, people))
      sink.add(row.__person, {
        promise: ATTRIBUTION.children,
        table: t.table,
        row: rowIdOf(t.table, row),
        rule: 'under13.nothing_kept',
        reason: `A row naming a person marked under 13 is still in ${t.table}`,
        values: { subject: row.__person },
      });
  }
}

async function deletedLeftovers(batch: PersonBatch, env: FamilyEnv, targets: readonly Deleted[], sink: Sink) {
  const all = targets.filter((t) => t.categories === 'all');
  const allPeople = all.map((t) => t.person);
  const keys = await batch.keys();
  const requests = await batch.requests();
  for (const t of all) {
    const base = { subject: t.person, request: t.request.id, deleted_at: t.request.responded_at };
    if (keys.get(t.person)?.live)
      sink.add(t.person, {
        promise: ATTRIBUTION.deletion,
        table: 'data_keys',
        row: t.person,
        rule: 'deletion.key_destroyed',
        reason: 'The data key of a person deleted was not destroyed',
        values: base,
      });
    for (const r of requests.get(t.person) ?? [])
      if (
        (r.status === 'completed' || r.status === 'denied') &&
        (r.sealed_empty !== 1 || r.email_index !== null)
      )
        sink.add(t.person, {
          promise: ATTRIBUTION.deletion,
          table: 'rights_requests',
          row: r.id,
          rule: 'deletion.request_contact_forgotten',
          reason: 'An answered request of a person deleted still holds their contact',
          values: { ...base, request: r.id },
        });
  }
  for (const t of linkedTables(env.deps)) {
    if (t.fate.fate !== 'erased') continue;
    const emptiedBy = EMPTIED_BY[t.table];
    for (const row of await batch.linked(t.table, t.fate.person, allPeople)) {
      if (emptiedBy && row[emptiedBy] === null) continue;
      const target = all.find((x) => x.person === row.__person)!;
      sink.add(row.__person, {
        promise: ATTRIBUTION.deletion,
        table: t.table,
        row: rowIdOf(t.table, row),
        rule: 'deletion.erased_everywhere',
        reason: `A row naming a deleted person is still in ${t.table}, a table the registry declares erased`,
        values: {
          subject: row.__person,
          request: target.request.id,
          deleted_at: target.request.responded_at,
        },
      });
    }
  }
  const annotation = vowAnnotation(env.deps);
  const erased = new Set(
    linkedTables(env.deps)
      .filter((t) => t.fate.fate === 'erased')
      .map((t) => t.table),
  );
  if (annotation) await annotatedLeftovers(batch, annotation, targets, erased, sink);
  // After a partial deletion: a look-up is backed by an identifier of the person, or it goes.
  const partial = targets.filter((t) => t.categories !== 'all').map((t) => t.person);
  if (partial.length > 0) {
    const stale = await sql<{ subject_id: string; kind: string; blind_index: string }>`
      select l.subject_id, l.kind, l.blind_index from subject_lookup l
      where l.subject_id in (${sql.join(partial)}) and not exists (
        select 1 from subject_identifiers i
        where i.subject_id = l.subject_id and i.kind = l.kind and i.blind_index = l.blind_index)`.execute(
      batch.db,
    );
    for (const l of stale.rows)
      sink.add(l.subject_id, {
        promise: ATTRIBUTION.deletion,
        table: 'subject_lookup',
        row: rowIdOf('subject_lookup', l),
        rule: 'deletion.lookup_backed',
        reason: 'A look-up of a deleted identifier still finds the person',
        values: { subject: l.subject_id, kind: l.kind },
      });
  }
  await datasetLeftovers(env, all, sink);
}

/** The retailer's databases: a dry run of the same deletion must find nothing left to delete. */
async function datasetLeftovers(env: FamilyEnv, all: readonly Deleted[], sink: Sink): Promise<void> {
  const datasets = env.deps.datasets;
  if (!datasets?.annotations().some((a) => a.name !== 'vow')) return;
  for (const t of all) {
    const plan = await datasets.delete(
      { subjectIds: [t.person] },
      { categories: 'all', dryRun: true },
      { type: 'system', id: 'promise-monitor', requestId: t.request.id },
    );
    for (const table of plan.tables) {
      if (table.dataset === 'vow') continue;
      const left = table.columns.filter((c) => c.action !== 'retained' && c.rows > 0);
      if (left.length > 0)
        sink.add(t.person, {
          promise: ATTRIBUTION.deletion,
          table: `${table.dataset}.${table.table}`,
          row: t.person,
          rule: 'deletion.dataset_walk',
          reason: 'The retailer’s database still holds values of a deleted person',
          values: { subject: t.person, request: t.request.id, columns: left.map((c) => c.column).join(',') },
        });
    }
  }
}

export const leftoversFamily: Family = {
  ...leftoversCover,
  people: checkBatch,
  /** A full sweep: everyone marked under 13 or with a completed deletion (their other rows may be gone). */
  async full(env, sink) {
    const db = env.ctx.store.db;
    const marked = await db.selectFrom('subjects').select('id').where('under13', '=', 1).execute();
    const deletedPeople = await db
      .selectFrom('rights_requests')
      .select('subject_id')
      .distinct()
      .where('type', '=', 'deletion')
      .where('status', '=', 'completed')
      .where('subject_id', 'is not', null)
      .execute();
    const people = [
      ...new Set([...marked.map((m) => m.id), ...deletedPeople.map((r) => r.subject_id!)]),
    ].sort();
    for (let i = 0; i < people.length; i += 500)
      await checkBatch(new PersonBatch(db, people.slice(i, i + 500)), env, sink);
  },
};

async function checkBatch(batch: PersonBatch, env: FamilyEnv, sink: Sink): Promise<void> {
  const subjects = await batch.subjects();
  const under13 = batch.people.filter((p) => subjects.get(p)?.under13 === 1);
  if (under13.length > 0) await under13Leftovers(batch, env, under13, sink);
  const deleted = (await deletions(batch)).filter((d) => subjects.get(d.person)?.under13 !== 1);
  if (deleted.length > 0) await deletedLeftovers(batch, env, deleted, sink);
}

/**
 * No identifier of a child (by its keyed hash, kept in under13_markers) is held again anywhere: an
 * account, email or phone, the kinds the collection gate refuses (a child's household address is
 * not refused, and collected again by a parent's order it breaks nothing).
 */
export const childrenFamily: Family = {
  ...childrenCover,
  async run(env, sink) {
    sink.checked(ALL);
    const db = env.ctx.store.db;
    const identifiers = await db
      .selectFrom('subject_identifiers as i')
      .innerJoin('under13_markers as m', (j) =>
        j.onRef('m.kind', '=', 'i.kind').onRef('m.blind_index', '=', 'i.blind_index'),
      )
      .select(['i.id', 'i.subject_id', 'i.kind'])
      .where(searchableKind('i.kind'))
      .execute();
    for (const i of identifiers)
      sink.add(ALL, {
        promise: ATTRIBUTION.children,
        table: 'subject_identifiers',
        row: i.id,
        rule: 'under13.identifier_returned',
        reason: 'An identifier of a child marked under 13 was collected again',
        values: { subject: i.subject_id, kind: i.kind },
      });
    const lookups = await db
      .selectFrom('subject_lookup as l')
      .innerJoin('under13_markers as m', (j) =>
        j.onRef('m.kind', '=', 'l.kind').onRef('m.blind_index', '=', 'l.blind_index'),
      )
      .select(['l.subject_id', 'l.kind', 'l.blind_index'])
      .where(searchableKind('l.kind'))
      .execute();
    for (const l of lookups)
      sink.add(ALL, {
        promise: ATTRIBUTION.children,
        table: 'subject_lookup',
        row: rowIdOf('subject_lookup', l),
        rule: 'under13.identifier_returned',
        reason: 'A look-up finds a person by an identifier of a child marked under 13',
        values: { subject: l.subject_id, kind: l.kind },
      });
    const accounts = await db
      .selectFrom('shopper_accounts as a')
      .innerJoin('under13_markers as m', (j) =>
        j.onRef('m.blind_index', '=', 'a.email_index').on('m.kind', '=', 'email'),
      )
      .select(['a.id', 'a.subject_id'])
      .execute();
    for (const a of accounts)
      sink.add(ALL, {
        promise: ATTRIBUTION.children,
        table: 'shopper_accounts',
        row: a.id,
        rule: 'under13.identifier_returned',
        reason: 'A shopper account uses the email of a child marked under 13',
        values: { subject: a.subject_id },
      });
    return 'done';
  },
};
