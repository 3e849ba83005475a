// Values at rest are sealed (P13): every column the annotations mark `encrypted: vault`, and every
// column of the schema named `sealed` (`*_sealed`, `sealed_*`), holds a sealed value (AES-256-GCM,
// `v1.` or `m1.` with its IV and tag), the mask a deletion writes, or nothing. A value typed in by
// hand, imported or restored in clear is found without reading it: the evidence gives its length.
import { type Kysely, type SqlBool, sql } from 'kysely';
import type { Database } from '../../../platform/store/index.js';
import { sealedCover } from '../covers.js';
import { ALL, type Family, type FamilyEnv, inSlices, type Sink } from '../family.js';
import { ROW_TABLES } from '../journal.js';
import { type PersonBatch, rowIdOf } from '../person-batch.js';
import { ATTRIBUTION } from '../policy-map.js';

interface SealedColumn {
  readonly table: string;
  readonly column: string;
  /** Values a deletion or a forgotten contact leaves (besides null and ''). */
  readonly masks: readonly string[];
  /** How the table's rows name a person: a column of its own, or none (rows journaled by key). */
  readonly person?: string | undefined;
  /** The table's key column, for rows journaled by key. */
  readonly key: string;
}

const SEALED_NAME = /(^|_)sealed(_|$)/;
const MASKS = ['{}'];

/** The sealed columns: from the `vow` annotation and the schema's own names (cached per run). */
async function sealedColumns(env: FamilyEnv): Promise<SealedColumn[]> {
  const byKey = new Map<string, SealedColumn>();
  const links = new Map<string, string>();
  for (const t of env.deps.tables?.() ?? [])
    if (t.fate.fate !== 'impersonal' && t.fate.person && !t.fate.person.via && !ROW_TABLES[t.table])
      links.set(t.table, t.fate.person.column);
  const annotation = env.deps.datasets?.annotations().find((a) => a.name === 'vow');
  for (const t of annotation?.tables ?? [])
    for (const c of t.columns)
      if (c.encrypted === 'vault')
        byKey.set(`${t.name}.${c.name}`, {
          table: t.name,
          column: c.name,
          masks: [...MASKS, ...(c.onDelete === 'mask' || c.fallbackMask ? [c.maskWith] : [])],
          person: ROW_TABLES[t.name] ? undefined : (c.subjectColumn ?? t.subjectColumn ?? links.get(t.name)),
          key: t.primaryKey[0] ?? 'id',
        });
  for (const t of await env.ctx.store.db.introspection.getTables()) {
    const cols = t.columns.map((c) => c.name);
    for (const name of cols)
      if (SEALED_NAME.test(name) && !byKey.has(`${t.name}.${name}`))
        byKey.set(`${t.name}.${name}`, {
          table: t.name,
          column: name,
          masks: MASKS,
          person: links.get(t.name),
          key: ROW_TABLES[t.name] ?? (cols.includes('id') ? 'id' : (cols[0] ?? 'id')),
        });
  }
  return [...byKey.values()];
}

/** SQL true for a value that is neither empty, a mask, nor a sealed value. */
function notSealed(c: SealedColumn) {
  const v = sql.ref(c.column);
  return sql<SqlBool>`(${v} is not null and ${v} <> '' and ${v} not in (${sql.join([...c.masks])})
    and not ((${v} like 'v1.%' or ${v} like 'm1.%') and substr(${v}, 20, 1) = '.' and substr(${v}, 43, 1) = '.'
      and ${v} not like '% %' and ${v} not like '%@%'))`;
}

async function offending(
  db: Kysely<Database>,
  c: SealedColumn,
  where?: { column: string; values: readonly string[] },
): Promise<(Record<string, unknown> & { __len: number })[]> {
  const filter = where ? sql`and ${sql.ref(where.column)} in (${sql.join([...where.values])})` : sql``;
  const rows = await sql<Record<string, unknown> & { __len: number }>`
    select t.*, length(${sql.ref(c.column)}) as __len from ${sql.table(c.table)} t
    where ${notSealed(c)} ${filter}`.execute(db);
  return rows.rows;
}

function report(
  c: SealedColumn,
  row: Record<string, unknown> & { __len: number },
  scope: string,
  sink: Sink,
): void {
  const { [c.column]: _value, __len, ...rest } = row;
  sink.add(scope, {
    promise: ATTRIBUTION.sealedValues,
    table: c.table,
    row: rowIdOf(c.table, rest),
    rule: 'sealed.value_sealed',
    reason: `A value in ${c.table}.${c.column} is stored in clear, not sealed`,
    values: {
      column: c.column,
      length: Number(__len),
      ...(c.person ? { subject: String(rest[c.person] ?? '') } : {}),
    },
  });
}

export const sealedFamily: Family = {
  ...sealedCover,
  async people(batch: PersonBatch, env, sink) {
    if (batch.people.length === 0) return;
    for (const c of await sealedColumns(env)) {
      if (!c.person) continue;
      for (const row of await offending(batch.db, c, { column: c.person, values: batch.people }))
        report(c, row, String(row[c.person]), sink);
    }
  },
  async full(env, sink) {
    for (const c of await sealedColumns(env)) {
      if (!c.person) continue;
      for (const row of await offending(env.ctx.store.db, c))
        report(c, row, String(row[c.person] ?? ALL), sink);
    }
  },
  /** Tables checked row by row (journal.ts ROW_TABLES): whole in a full sweep, else the rows written. */
  async run(env, sink) {
    for (const c of await sealedColumns(env)) {
      if (c.person) continue;
      if (env.mode === 'full') {
        for (const row of await offending(env.ctx.store.db, c))
          report(c, row, `row:${c.table}:${String(row[c.key])}`, sink);
        continue;
      }
      const keys = env.rowRefs.get(c.table) ?? [];
      for (const k of keys) sink.checked(`row:${c.table}:${k}`);
      await inSlices(keys, 400, async (slice) => {
        for (const row of await offending(env.ctx.store.db, c, { column: c.key, values: slice }))
          report(c, row, `row:${c.table}:${String(row[c.key])}`, sink);
      });
    }
    return 'done';
  },
};
