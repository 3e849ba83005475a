// Many rows of one table in a few multi-row INSERT statements: the bulk write path of collections
// (an import's batch, `vow demo`, and every endpoint's batch of one) writes each table's rows this
// way instead of one Kysely statement per row. Building and compiling a statement with Kysely cost
// more than SQLite's work on the row (BENCHMARKS.md, "Import"), so each statement's shape (table,
// columns, row count, conflict clause) is built with Kysely once and its SQL text reused after that
// (QueryShapes). Row counts per statement come from a short fixed list, so a table has a handful
// of shapes whatever the batch sizes are.
import { CompiledQuery, type Kysely, sql, type Transaction } from 'kysely';
import { arrayLiteral } from './array-literal.js';
import type { Database } from './database.js';
import type { DialectName } from './migration-kit.js';
import { nameStatement } from './named-statements.js';
import { QueryShapes } from './query-shapes.js';

type Executor = Kysely<Database> | Transaction<Database>;
type Value = string | number | bigint | Buffer | null;
/** The statement is built once per shape from rows the caller's module typed; Kysely sees them untyped. */
type Loose = Record<string, Record<string, Value>>;

export interface InsertRowsOptions {
  /** ON CONFLICT (these columns) DO NOTHING: rows already there are skipped, not an error. */
  readonly onConflictDoNothing?: readonly string[];
  /**
   * ON CONFLICT (columns) DO UPDATE the `set` columns to the new row's values; with `newerBy`, only
   * where the stored row's `newerBy` column is smaller than the new row's (a fold that only moves
   * forward).
   */
  readonly onConflictUpdate?: {
    readonly columns: readonly string[];
    readonly set: readonly string[];
    readonly newerBy?: string;
  };
  /** Columns of the inserted rows to return (skipped rows are not returned). */
  readonly returning?: readonly string[];
}

/**
 * Rows per statement, largest first: every chunk is one of these sizes, so up to 511 rows take as
 * many statements as their count has binary digits set. A group commit of 31 orders wrote each
 * table in seven statements with sizes 256, 64, 16, 4 and 1 (16 + 4 + 4 + 4 + 1 + 1 + 1), now in
 * five; nine shapes a table instead of five in the statement cache.
 */
const SIZES = [256, 128, 64, 32, 16, 8, 4, 2, 1] as const;
/** Bound parameters per statement: under SQLite's 32,766 and PostgreSQL's 65,535. */
const MAX_PARAMETERS = 30_000;

const shapes = new QueryShapes(4000);

/**
 * Inserts `rows` (every row with the same columns, in the same order) into `table` in multi-row
 * statements, inside the caller's transaction when given one. Returns how many rows were inserted
 * and, with `returning`, the inserted rows' values of those columns.
 */
export async function insertRows<T extends keyof Database & string>(
  db: Executor,
  dialect: DialectName,
  table: T,
  rows: readonly Readonly<Record<string, unknown>>[],
  options: InsertRowsOptions = {},
): Promise<{ inserted: number; returned: Record<string, unknown>[] }> {
  const out = { inserted: 0, returned: [] as Record<string, unknown>[] };
  if (rows.length === 0) return out;
  const columns = columnsOf(table, rows);
  if (dialect === 'postgres') return insertByArrays(db, table, columns, rows, options);
  const largest = Math.max(1, Math.floor(MAX_PARAMETERS / columns.length));
  const conflict = options.onConflictDoNothing ?? [];
  const update = options.onConflictUpdate;
  const returning = options.returning ?? [];
  const key = [
    table,
    columns.join(','),
    conflict.join(','),
    update ? `${update.columns.join(',')}>${update.set.join(',')}>${update.newerBy ?? ''}` : '',
    returning.join(','),
  ].join('|');
  let at = 0;
  while (at < rows.length) {
    const left = rows.length - at;
    const size = SIZES.find((s) => s <= left && s <= largest) ?? 1;
    const chunk = rows.slice(at, at + size);
    at += size;
    const parameters: Value[] = [];
    for (const row of chunk) for (const c of columns) parameters.push((row[c] ?? null) as Value);
    const result = await shapes.execute<Record<string, unknown>>(db, `${key}|${size}`, parameters, () => {
      const values = chunk.map(
        (row) =>
          Object.fromEntries(columns.map((c) => [c, (row[c] ?? null) as Value])) as Record<string, Value>,
      );
      let q = (db as unknown as Kysely<Loose>).insertInto(table).values(values);
      if (conflict.length > 0) q = q.onConflict((oc) => oc.columns(conflict).doNothing());
      if (update) {
        const set = Object.fromEntries(update.set.map((c) => [c, sql.ref(`excluded.${c}`)]));
        const by = update.newerBy;
        q = q.onConflict((oc) => {
          const updating = oc.columns(update.columns).doUpdateSet(set as never);
          return by === undefined
            ? updating
            : updating.where(sql<boolean>`${sql.ref(`${table}.${by}`)} < ${sql.ref(`excluded.${by}`)}`);
        });
      }
      return returning.length > 0 ? q.returning(returning) : q;
    });
    out.inserted += Number(result.numAffectedRows ?? (returning.length > 0 ? result.rows.length : 0));
    if (returning.length > 0) out.returned.push(...result.rows);
  }
  return out;
}

/** The columns of `rows` (not empty), which must all name the same columns in the same order. */
export function columnsOf(table: string, rows: readonly Readonly<Record<string, unknown>>[]): string[] {
  const columns = Object.keys(rows[0]!);
  // Each row's names walked in place (Object.keys of every row was an array a row: 2% of what an
  // import allocated). A row is a plain object: its own names are all `for ... in` meets.
  for (const row of rows) {
    let i = 0;
    for (const k in row) {
      if (k !== columns[i]) {
        i = -1;
        break;
      }
      i++;
    }
    if (i !== columns.length)
      throw new Error(`insertRows(${table}): every row needs the same columns in the same order`);
  }
  return columns;
}

/** Rows per statement on PostgreSQL (one array per column). */
export const PG_ROWS = 5000;
/** Each table's column types on PostgreSQL (the same in every database a process opens: one schema). */
const pgTypes = new Map<string, Map<string, string>>();
/** A table, column or type name (the code's own, never input), double-quoted. */
export const quote = (name: string) => {
  if (!/^[a-z_][a-z0-9_]*$/.test(name)) throw new Error(`insertRows: not a plain name: ${name}`);
  return `"${name}"`;
};

/**
 * PostgreSQL: the INSERT of `columns` into `table` reading one array per column,
 * `INSERT ... SELECT * FROM unnest($n::type[], ...)` with its conflict and returning clauses; its
 * parameters are numbered from `first + 1`. A statement has as many parameters as the table has
 * columns whatever the number of rows, so it is parsed and planned once and PostgreSQL reads the
 * values as arrays (several times faster than a VALUES list of thousands of parameters, measured
 * on the import benchmark).
 */
export async function pgInsertSql(
  db: Executor,
  table: string,
  columns: readonly string[],
  options: InsertRowsOptions,
  first = 0,
): Promise<string> {
  let types = pgTypes.get(table);
  if (!types) {
    const found = await db.executeQuery<{ column_name: string; udt_name: string }>(
      CompiledQuery.raw(
        'select column_name, udt_name from information_schema.columns where table_schema = current_schema() and table_name = $1',
        [table],
      ),
    );
    types = new Map(found.rows.map((r) => [r.column_name, r.udt_name]));
    pgTypes.set(table, types);
  }
  const casts = columns.map((c, i) => {
    const type = types.get(c);
    if (!type) throw new Error(`insertRows(${table}): no column ${c}`);
    return `$${first + i + 1}::${quote(type)}[]`;
  });
  let text = `insert into ${quote(table)} (${columns.map(quote).join(', ')}) select * from unnest(${casts.join(', ')})`;
  if (options.onConflictDoNothing?.length)
    text += ` on conflict (${options.onConflictDoNothing.map(quote).join(', ')}) do nothing`;
  const update = options.onConflictUpdate;
  if (update)
    text +=
      ` on conflict (${update.columns.map(quote).join(', ')}) do update set ` +
      update.set.map((c) => `${quote(c)} = excluded.${quote(c)}`).join(', ') +
      (update.newerBy === undefined
        ? ''
        : ` where ${quote(table)}.${quote(update.newerBy)} < excluded.${quote(update.newerBy)}`);
  if (options.returning?.length) text += ` returning ${options.returning.map(quote).join(', ')}`;
  return text;
}

/**
 * PostgreSQL: `rows` as one array per column (what pgInsertSql's statement reads), each column of
 * text, numbers and nulls as its array literal already: the text the `pg` driver would make of the
 * array (arrayString), byte for byte, built with one join instead of two regular expressions and
 * several strings a value (the driver's array literals were 8.6% of what an import into
 * PostgreSQL allocated, 2.9% after). Other columns (bytea) go as arrays for the driver to write.
 */
export const pgArrays = (columns: readonly string[], rows: readonly Readonly<Record<string, unknown>>[]) =>
  columns.map((c) => arrayLiteral(rows.map((row) => (row[c] ?? null) as Value)));

/** PostgreSQL: pgInsertSql's statement, PG_ROWS rows at a time. */
async function insertByArrays(
  db: Executor,
  table: string,
  columns: readonly string[],
  rows: readonly Readonly<Record<string, unknown>>[],
  options: InsertRowsOptions,
): Promise<{ inserted: number; returned: Record<string, unknown>[] }> {
  const text = await pgInsertSql(db, table, columns, options);
  nameStatement(text);
  const out = { inserted: 0, returned: [] as Record<string, unknown>[] };
  for (let at = 0; at < rows.length; at += PG_ROWS) {
    const chunk = rows.slice(at, at + PG_ROWS);
    const result = await db.executeQuery<Record<string, unknown>>(
      CompiledQuery.raw(text, pgArrays(columns, chunk)),
    );
    out.inserted += Number(result.numAffectedRows ?? result.rows.length);
    out.returned.push(...result.rows);
  }
  return out;
}
