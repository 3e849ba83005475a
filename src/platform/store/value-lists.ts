// A column compared with a list of values (`IN`), written as each database reads it fastest.
//
// PostgreSQL: `column = any($1::text[])`, the whole list ONE parameter. The statement's text is then
// the same for ten values or ten thousand, so a batch needs one statement where it needed one per
// 500 values (each a round trip), and PostgreSQL no longer parses and plans a thousand placeholders
// each time (0.41 of the 0.42 ms PostgreSQL spent on the import's under-13 check of 500 identifiers, in
// its statement log: BENCHMARKS.md). These statements stay unnamed (named-statements.ts says why):
// each is planned for the array it carries.
//
// SQLite has no arrays: `column in (?, ?, …)`, at most LIST_CHUNK values a statement (far below its
// limit on bound parameters, and its statements' texts stay short).
import { type Expression, type ExpressionBuilder, type SqlBool, type StringReference, sql } from 'kysely';
import type { DialectName } from './migration-kit.js';

/** The most values one SQLite statement compares a column with. */
export const LIST_CHUNK = 500;

/** The lists to run one statement each for: all of it on PostgreSQL, LIST_CHUNK at a time on SQLite. */
export function listChunks<T>(dialect: DialectName, values: readonly T[]): T[][] {
  if (values.length === 0) return [];
  if (dialect === 'postgres') return [[...values]];
  const out: T[][] = [];
  for (let n = 0; n < values.length; n += LIST_CHUNK) out.push(values.slice(n, n + LIST_CHUNK));
  return out;
}

/**
 * `column IN (values)` for a text column: `= any($1::text[])` on PostgreSQL, an IN list on SQLite.
 * An empty list matches nothing on both.
 */
export function isIn<DB, TB extends keyof DB>(
  eb: ExpressionBuilder<DB, TB>,
  dialect: DialectName,
  column: StringReference<DB, TB>,
  values: readonly string[],
): Expression<SqlBool> {
  if (dialect === 'postgres') return sql<SqlBool>`${eb.ref(column)} = any(${[...values]}::text[])`;
  if (values.length === 0) return sql<SqlBool>`0 = 1`;
  return sql<SqlBool>`${eb.ref(column)} in (${sql.join(values.map((v) => sql.val(v)))})`;
}
