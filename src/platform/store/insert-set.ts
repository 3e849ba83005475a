// Inserts gathered inside one transaction and written together (InsertSet): on PostgreSQL in ONE
// statement, each insert a data-modifying common table expression (`WITH p0 AS (INSERT ...), p1 AS
// (INSERT ...) SELECT ...`), on SQLite one after another as insertRows writes them. On PostgreSQL
// every statement is a round trip (the driver's messages, a socket write, the server woken, the
// answer awaited) while the transaction holds its locks: a group of orders wrote its people's keys,
// people, look-ups, identifiers, links and orders in six of them, now one (BENCHMARKS.md, "a
// batch's inserts in one statement on PostgreSQL", has what it gained).
//
// What the set keeps of insertRows: each insert's rows, conflict and returning clauses, and its
// result (rows inserted, returned values), handed to the `then` the caller gave, in the order the
// inserts were added, after the set is written. A `then` that throws fails the flush, and so the
// caller's transaction (a lost race found from what an insert returned, for instance).
//
// What differs on PostgreSQL: the inserts of one statement all run on the snapshot taken when it
// starts, so none sees another's rows; a caller whose insert must read what an earlier one wrote
// flushes in between. A table met again starts a new statement, so two inserts into one table
// still run in the order they were added. Foreign keys are checked when the statement ends, after
// all of them. Rows a `returning` insert gives back come as JSON (numbers as numbers, text as text),
// the same values insertRows returns for the columns Vow reads back (ids, look-up keys, sequence
// numbers).
//
// A set also carries reads (`read`): a query of the caller's own tables whose rows it needs in the
// same transaction, sent with the set's first statement instead of alone (on PostgreSQL a common
// table expression of it, on the statement's snapshot, so it sees none of the set's inserts; on
// SQLite before them). A read that locks (`for update`) holds its rows from then on, as it would
// alone. The under-13 markers ride with a group's people and orders, and the audit head's lock
// with its consent events, this way: two round trips a group fewer. The statement may wait on a
// row another transaction holds (an upsert of the same person), and its reads are then still of
// the snapshot taken before the wait: only a read that does not need what such a transaction
// commits may ride (a locking read is re-read on the newest row).
//
// On PostgreSQL an insert of COPY_MIN_ROWS rows or more with no conflict clause and nothing returned
// (an import batch's identifiers, record links and records) is written by COPY FROM STDIN instead
// (pg-copy.ts), after the inserts added before it and before those added after it, each its own
// statement: COPY cannot skip or update conflicting rows, so only inserts that have none to skip
// go that way, and a row that does conflict (a primary key met twice) fails the transaction, as
// the same INSERT would.
import { type Compilable, CompiledQuery, type Kysely, type Transaction } from 'kysely';
import {
  columnsOf,
  type InsertRowsOptions,
  insertRows,
  PG_ROWS,
  pgArrays,
  pgInsertSql,
  quote,
} from './bulk-insert.js';
import type { Database } from './database.js';
import type { DialectName } from './migration-kit.js';
import { nameStatement } from './named-statements.js';
import { copyText } from './pg-copy.js';

type Executor = Kysely<Database> | Transaction<Database>;

/** What one insert of a set wrote: as insertRows returns it. */
export interface InsertResult {
  readonly inserted: number;
  readonly returned: Record<string, unknown>[];
}

interface Part {
  readonly table: string;
  readonly rows: readonly Readonly<Record<string, unknown>>[];
  /** The rows' columns, in order (none for no rows). */
  readonly columns: readonly string[];
  readonly options: InsertRowsOptions;
  readonly then: ((result: InsertResult) => void) | undefined;
}

interface Read {
  readonly query: CompiledQuery;
  readonly done: (rows: Record<string, unknown>[]) => void;
}

/** `text`'s parameters `$1`, `$2`, ... renumbered from `first + 1` (quoted text left alone). */
export function shiftParameters(text: string, first: number): string {
  if (first === 0) return text;
  return text.replace(/'(?:[^']|'')*'|"(?:[^"]|"")*"|\$(\d+)/g, (all, n: string | undefined) =>
    n === undefined ? all : `$${Number(n) + first}`,
  );
}

/** The fewest rows an insert is written with COPY (fewer go in the shared statement). */
export const COPY_MIN_ROWS = 100;

/** PostgreSQL: whether this part goes by COPY (large, no conflict clause, nothing returned). */
const byCopy = (part: Part) =>
  part.rows.length >= COPY_MIN_ROWS &&
  !part.options.onConflictDoNothing?.length &&
  !part.options.onConflictUpdate &&
  !part.options.returning?.length;

export class InsertSet {
  readonly #db: Executor;
  readonly #dialect: DialectName;
  #parts: Part[] = [];
  #reads: Read[] = [];

  /** `db`: the transaction the inserts belong to. */
  constructor(db: Executor, dialect: DialectName) {
    this.#db = db;
    this.#dialect = dialect;
  }

  /** Inserts and reads not yet written. */
  get pending(): number {
    return this.#parts.length + this.#reads.length;
  }

  /**
   * Adds a read sent with the next flush's first statement (before its inserts on SQLite; on
   * PostgreSQL in the same statement, on its snapshot); `then` gets its rows, before any insert's
   * `then`. On PostgreSQL the rows come as JSON, as a `returning` insert's do (numbers as numbers).
   */
  read<R>(query: Compilable<R>, then: (rows: R[]) => void): void {
    this.#reads.push({ query: query.compile(), done: then as Read['done'] });
  }

  /**
   * Adds an insert of `rows` into `table` (as insertRows takes them), written at the next flush;
   * `then` gets its result once it is written. An insert of no rows is nothing (its `then` gets an
   * empty result at the flush).
   */
  add<T extends keyof Database & string>(
    table: T,
    rows: readonly Readonly<Record<string, unknown>>[],
    options: InsertRowsOptions = {},
    then?: (result: InsertResult) => void,
  ): void {
    const columns = rows.length > 0 ? columnsOf(table, rows) : [];
    this.#parts.push({ table, rows, columns, options, then });
  }

  /** Writes every insert added since the last flush and hands each its result, in order. */
  async flush(): Promise<void> {
    const parts = this.#parts;
    const reads = this.#reads;
    this.#parts = [];
    this.#reads = [];
    const results = new Map<Part, InsertResult>();
    const statements = this.#statements(parts);
    let readRows: Record<string, unknown>[][] | undefined;
    if (reads.length > 0) {
      // On PostgreSQL with the first statement of several inserts; else each alone, first.
      // (Not with a part written alone: by COPY, or larger than one statement takes.)
      const first = statements[0];
      const shared = first && (first.length > 1 || (first[0]!.rows.length <= PG_ROWS && !byCopy(first[0]!)));
      if (this.#dialect === 'postgres' && shared) {
        statements.shift();
        const got = await this.#together(first, reads);
        for (const [n, part] of first.entries()) results.set(part, got.inserts[n]!);
        readRows = got.reads;
      } else if (this.#dialect === 'postgres' && !first) readRows = (await this.#together([], reads)).reads;
      else {
        readRows = [];
        for (const r of reads)
          readRows.push((await this.#db.executeQuery<Record<string, unknown>>(r.query)).rows);
      }
    }
    for (const statement of statements) {
      if (statement.length === 1) {
        const [part] = statement as [Part];
        if (this.#dialect === 'postgres' && byCopy(part)) {
          results.set(part, await this.#copy(part));
          continue;
        }
        results.set(
          part,
          await insertRows(this.#db, this.#dialect, part.table as never, part.rows, part.options),
        );
        continue;
      }
      const got = await this.#together(statement);
      for (const [n, part] of statement.entries()) results.set(part, got.inserts[n]!);
    }
    if (readRows) for (const [n, r] of reads.entries()) r.done(readRows[n]!);
    for (const part of parts) part.then?.(results.get(part) ?? { inserted: 0, returned: [] });
  }

  /**
   * The statements the parts with rows are written in, in order: on SQLite one each; on PostgreSQL
   * as few as can be, a new one where a table comes again (two inserts into one table in one
   * statement would meet in its unique indexes in an order PostgreSQL does not promise) and for a
   * part larger than one statement takes (insertRows splits it).
   */
  #statements(parts: readonly Part[]): Part[][] {
    const out: Part[][] = [];
    let current: Part[] = [];
    for (const part of parts) {
      if (part.rows.length === 0) continue;
      const alone = this.#dialect !== 'postgres' || part.rows.length > PG_ROWS || byCopy(part);
      if (current.length > 0 && (alone || current.some((p) => p.table === part.table))) {
        out.push(current);
        current = [];
      }
      current.push(part);
      if (alone) {
        out.push(current);
        current = [];
      }
    }
    if (current.length > 0) out.push(current);
    return out;
  }

  /** PostgreSQL: one part by COPY, PG_ROWS rows a statement. */
  async #copy(part: Part): Promise<InsertResult> {
    // COPY's text format: tab-separated, `\N` for null (pg-copy.ts).
    const text = `copy ${quote(part.table)} (${part.columns.map(quote).join(', ')}) from stdin`;
    let inserted = 0;
    for (let at = 0; at < part.rows.length; at += PG_ROWS) {
      const rows = copyText(part.columns, part.rows.slice(at, at + PG_ROWS));
      const result = await this.#db.executeQuery<{ copied: number }>(CompiledQuery.raw(text, [rows]));
      inserted += Number(result.rows[0]?.copied ?? 0);
    }
    return { inserted, returned: [] };
  }

  /** PostgreSQL: every part and read in one statement, one common table expression each. */
  async #together(
    parts: readonly Part[],
    reads: readonly Read[] = [],
  ): Promise<{ inserts: InsertResult[]; reads: Record<string, unknown>[][] }> {
    const parameters: unknown[] = [];
    const ctes: string[] = [];
    const outputs: string[] = [];
    for (const [n, r] of reads.entries()) {
      const name = quote(`q${n}`);
      ctes.push(`${name} as (${shiftParameters(r.query.sql, parameters.length)})`);
      parameters.push(...r.query.parameters);
      outputs.push(`(select coalesce(json_agg(${name}), '[]'::json) from ${name}) as ${quote(`s${n}`)}`);
    }
    for (const [n, part] of parts.entries()) {
      const { columns } = part;
      const returning = part.options.returning ?? [];
      let text = await pgInsertSql(this.#db, part.table, columns, part.options, parameters.length);
      // Every part returns something, so that the rows it inserted can be counted.
      if (returning.length === 0) text += ' returning 1';
      parameters.push(...pgArrays(columns, part.rows));
      const name = quote(`p${n}`);
      ctes.push(`${name} as (${text})`);
      outputs.push(
        returning.length > 0
          ? `(select coalesce(json_agg(${name}), '[]'::json) from ${name}) as ${quote(`r${n}`)}`
          : `(select count(*)::int from ${name}) as ${quote(`n${n}`)}`,
      );
    }
    const sql = `with ${ctes.join(', ')} select ${outputs.join(', ')}`;
    nameStatement(sql);
    const { rows } = await this.#db.executeQuery<Record<string, unknown>>(CompiledQuery.raw(sql, parameters));
    const row = rows[0]!;
    const inserts = parts.map((part, n) => {
      if ((part.options.returning ?? []).length === 0)
        return { inserted: Number(row[`n${n}`]), returned: [] };
      const returned = row[`r${n}`] as Record<string, unknown>[];
      return { inserted: returned.length, returned };
    });
    return { inserts, reads: reads.map((_, n) => row[`s${n}`] as Record<string, unknown>[]) };
  }
}
