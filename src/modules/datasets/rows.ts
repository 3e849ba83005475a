// Row plumbing of the walker and of expiry: a row's key, `where` clauses for one or many rows, and
// the batched deletes and updates both write with (any SQL dialect a dataset uses).
import { type Kysely, MysqlAdapter, type RawBuilder, sql } from 'kysely';
import type { AnnotatedTable } from './types.js';

export type Row = Record<string, unknown>;
// biome-ignore lint/suspicious/noExplicitAny: a retailer's schema is described by its annotation, not by types
export type AnyDb = Kysely<any>;

export const text = (v: unknown): string => (v instanceof Date ? v.toISOString() : String(v));

/** The row's key as text: the primary key's values joined by `/`. */
export function rowKey(table: AnnotatedTable, row: Row): string {
  return table.primaryKey.map((k) => text(row[k])).join('/');
}

export function whereKey(table: AnnotatedTable, row: Row): RawBuilder<unknown> {
  return sql.join(
    table.primaryKey.map((k) => sql`${sql.ref(k)} = ${row[k]}`),
    sql` and `,
  );
}

/** The column as text, so an identifier of another shape (`acc-7` against an integer id) never errors. */
export function asText(db: AnyDb, column: string): RawBuilder<unknown> {
  const adapter = db.getExecutor().adapter;
  const isMysql = adapter instanceof MysqlAdapter;
  return isMysql ? sql`cast(${sql.ref(column)} as char)` : sql`cast(${sql.ref(column)} as text)`;
}

/** Largest number of values in one `in (…)` list (every engine's parameter limit is far above). */
export const IN_LIST_CHUNK = 500;

export function chunks<T>(list: readonly T[], size: number): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < list.length; i += size) out.push(list.slice(i, i + size));
  return out;
}

export async function applyUpdate(
  db: AnyDb,
  table: AnnotatedTable,
  row: Row,
  set: Record<string, unknown>,
): Promise<void> {
  const entries = Object.entries(set);
  if (entries.length === 0) return;
  const assignments = sql.join(entries.map(([c, v]) => sql`${sql.ref(c)} = ${v}`));
  await sql`update ${sql.table(table.name)} set ${assignments} where ${whereKey(table, row)}`.execute(db);
}

/** `where` for many rows: `pk in (…)` for a one-column key, else one key comparison per row. */
export function whereRows(table: AnnotatedTable, rows: readonly Row[]): RawBuilder<unknown> {
  const [only] = table.primaryKey;
  if (table.primaryKey.length === 1 && only !== undefined)
    return sql`${sql.ref(only)} in (${sql.join(rows.map((r) => r[only]))})`;
  return sql.join(
    rows.map((r) => sql`(${whereKey(table, r)})`),
    sql` or `,
  );
}

export async function deleteRows(db: AnyDb, table: AnnotatedTable, rows: readonly Row[]): Promise<void> {
  for (const chunk of chunks(rows, IN_LIST_CHUNK))
    await sql`delete from ${sql.table(table.name)} where ${whereRows(table, chunk)}`.execute(db);
}

export async function updateRows(
  db: AnyDb,
  table: AnnotatedTable,
  rows: readonly Row[],
  set: Record<string, unknown>,
): Promise<void> {
  const assignments = sql.join(Object.entries(set).map(([c, v]) => sql`${sql.ref(c)} = ${v}`));
  for (const chunk of chunks(rows, IN_LIST_CHUNK))
    await sql`update ${sql.table(table.name)} set ${assignments} where ${whereRows(table, chunk)}`.execute(
      db,
    );
}

/**
 * Columns that say when a row was collected, in the order they are looked for: retention is
 * counted from the first one a table has (a table with none is never expired row by row).
 */
export const ROW_TIME_COLUMNS = [
  'collected_at',
  'placed_at',
  'received_at',
  'registered_at',
  'at',
  'created_at',
] as const;

/** The row's collection time as ISO text, or undefined when its table keeps none. */
export function rowTime(row: Row): string | undefined {
  for (const c of ROW_TIME_COLUMNS) if (row[c] != null) return text(row[c]);
  return undefined;
}
