// Statements PostgreSQL parses and plans once a connection, not at every execution: the bulk
// inserts (insertRows' one-array-per-column INSERT, and InsertSet's statement of several). Their
// text depends only on their shape (table, columns, clauses), never on how many rows they carry, so
// a process has a few dozen of them, and parsing and planning them was 40-55% of the time PostgreSQL
// spent on them (the statement log of a run of orders; BENCHMARKS.md). Vow's pool gives each such
// text a name (a hash of it): the `pg` driver then sends it for parsing once per connection and
// only binds and executes it after that, and PostgreSQL keeps its plan.
//
// Every other query stays unnamed: many texts vary (an IN list's length), and a connection keeps
// every statement it is given a name for. The names are at most MAX_NAMED texts a process. Reads
// whose list is one array parameter (value-lists.ts) have fixed texts but stay unnamed too: named,
// PostgreSQL soon plans them once for any array (a generic plan), and the import's PostgreSQL CPU
// per person went from about 120 to 225 µs (a scratch run, 4 December 2026).
//
// A pooler in transaction mode that cannot follow prepared statements (PgBouncer before 1.21, or
// with max_prepared_statements = 0) breaks named statements: VOW_DATABASE_PREPARE=off turns this off.
import { createHash } from 'node:crypto';
import type pg from 'pg';
import { arrayLiteral } from './array-literal.js';
import { CopyRows, runCopy } from './pg-copy.js';

/** The most statement texts given a name in one process (the rest run unnamed). */
export const MAX_NAMED = 256;

const names = new Map<string, string>();

/** Marks `text` as one to parse and plan once a connection (from now on, while names last). */
export function nameStatement(text: string): void {
  if (names.has(text) || names.size >= MAX_NAMED) return;
  names.set(text, `vow_${createHash('sha256').update(text).digest('hex').slice(0, 24)}`);
}

/** The name `text` runs under, if it has one. */
export const statementName = (text: string): string | undefined => names.get(text);

/**
 * A `pg` Client class whose queries run under their statement's name where it has one (the pool
 * makes its connections with it), unless `naming` is false (VOW_DATABASE_PREPARE=off). It also runs
 * the COPYs InsertSet sends as a text and one CopyRows parameter (pg-copy.ts), named or not, and
 * hands each array parameter of text, numbers and nulls to the driver as its array literal already
 * (array-literal.ts: the same text; the look-ups' `= any($1::text[])` arrays were 2.9% of what an
 * import into PostgreSQL allocated, in the driver's arrayString).
 */
export function namingClient(driver: typeof pg, naming = true): typeof pg.Client {
  const Base = driver.Client;
  class NamingClient extends Base {
    // biome-ignore lint/suspicious/noExplicitAny: pg's query() has a dozen overloads; only one is changed.
    override query(...args: any[]): any {
      const [text, values] = args;
      const plain = args.length === 2 && typeof text === 'string' && Array.isArray(values);
      if (plain && values.length === 1 && values[0] instanceof CopyRows)
        // biome-ignore lint/suspicious/noExplicitAny: as above.
        return runCopy((stream) => (super.query as any)(stream), text, values[0]);
      if (plain) {
        const sent = values.some(Array.isArray)
          ? values.map((v: unknown) => (Array.isArray(v) ? arrayLiteral(v) : v))
          : values;
        const name = naming ? names.get(text) : undefined;
        // biome-ignore lint/suspicious/noExplicitAny: as above.
        return name ? (super.query as any)({ name, text, values: sent }) : (super.query as any)(text, sent);
      }
      // biome-ignore lint/suspicious/noExplicitAny: as above.
      return (super.query as any)(...args);
    }
  }
  return NamingClient as unknown as typeof pg.Client;
}
