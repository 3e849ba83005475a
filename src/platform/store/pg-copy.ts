// PostgreSQL's COPY ... FROM STDIN for the bulk inserts that need no conflict clause and nothing read
// back (InsertSet's large plain inserts: an import batch's identifiers, record links, records and
// audit entries).
// The rows go as COPY's text format, one line a row, instead of one array literal per column bound
// to an INSERT ... SELECT FROM unnest(...): no array literal per column for the `pg` driver to build
// and escape element by element (28% of what the import allocated, BENCHMARKS.md), and PostgreSQL
// writes them through its bulk path. pg-copy-streams (by the `pg` driver's author) speaks the
// protocol; it is loaded the first time a COPY runs.
//
// Kysely gives no access to a transaction's connection, so a COPY travels as an ordinary query: its
// text and ONE parameter, a CopyRows carrying the encoded rows. The pool's client class (namingClient
// in named-statements.ts) recognises that pair and runs the COPY on the transaction's connection; it
// answers with one row, `{ copied }`, the number of rows PostgreSQL took.
import { createRequire } from 'node:module';
import type { Writable } from 'node:stream';

/** The rows of one COPY, already in COPY's text format (each line ends with a newline), as UTF-8. */
export class CopyRows {
  constructor(readonly bytes: Buffer) {}
  /** The rows as text (tests, messages). */
  get text(): string {
    return this.bytes.toString('utf8');
  }
}

/** What needs a backslash in COPY's text format: the backslash itself, and the line and field ends. */
const SPECIAL = /[\\\n\r\t]/;
const ESCAPES: Record<string, string> = { '\\': '\\\\', '\n': '\\n', '\r': '\\r', '\t': '\\t' };

/**
 * One value as a field of COPY's text format: what the `pg` driver would send as a parameter (a
 * Date as ISO 8601 in UTC where the driver writes local time with its offset: the same instant).
 */
function field(value: unknown): string {
  if (value === null || value === undefined) return '\\N';
  let text: string;
  if (typeof value === 'string') text = value;
  else if (typeof value === 'number' || typeof value === 'bigint') return String(value);
  else if (typeof value === 'boolean') return value ? 't' : 'f';
  // bytea's hex form; its backslash doubled for the text format.
  else if (Buffer.isBuffer(value)) return `\\\\x${value.toString('hex')}`;
  else if (value instanceof Date) return value.toISOString();
  else text = JSON.stringify(value);
  return SPECIAL.test(text) ? text.replace(/[\\\n\r\t]/g, (c) => ESCAPES[c]!) : text;
}

/**
 * `rows`' values of `columns`, in COPY's text format, written into one buffer line by line: no text
 * of the whole COPY to join and then encode (a batch's identifiers are about 1.5 MB: the joined
 * text, its flattening and its encoded copy were 10% of what an import allocated).
 */
export function copyText(
  columns: readonly string[],
  rows: readonly Readonly<Record<string, unknown>>[],
): CopyRows {
  let out: Buffer | undefined;
  let at = 0;
  for (const row of rows) {
    let line = '';
    for (let i = 0; i < columns.length; i++) line += (i === 0 ? '' : '\t') + field(row[columns[i]!]);
    line += '\n';
    // A UTF-16 unit is at most 3 bytes of UTF-8; the first line sizes the buffer for all of them.
    const most = line.length * 3;
    if (out === undefined) out = Buffer.alloc(Math.max(most, Math.ceil(line.length * rows.length * 1.25)));
    else if (at + most > out.length) {
      const larger = Buffer.alloc(Math.max(out.length * 2, at + most));
      out.copy(larger, 0, 0, at);
      out = larger;
    }
    at += out.write(line, at, 'utf8');
  }
  return new CopyRows(out === undefined ? Buffer.alloc(0) : out.subarray(0, at));
}

type CopyStream = Writable & { rowCount: number };
type CopyFrom = (text: string) => CopyStream;
let copyFrom: CopyFrom | undefined;

/**
 * Runs a COPY FROM STDIN on `client` (a `pg` client's own query(), unbound), resolving as the
 * driver's query() does: with the command, its row count and the one `{ copied }` row. A failure
 * (a bad value, a unique violation, a broken connection) rejects, and the transaction is aborted as
 * by a failed INSERT.
 */
export function runCopy(
  query: (submittable: CopyStream) => unknown,
  text: string,
  rows: CopyRows,
): Promise<{ command: string; rowCount: number; rows: { copied: number }[] }> {
  copyFrom ??= (createRequire(import.meta.url)('pg-copy-streams') as { from: CopyFrom }).from;
  const stream = copyFrom(text);
  return new Promise((resolve, reject) => {
    stream.on('error', reject);
    // 'finish' comes once PostgreSQL has acknowledged the COPY (pg-copy-streams 6 and later).
    stream.on('finish', () =>
      resolve({ command: 'COPY', rowCount: stream.rowCount, rows: [{ copied: stream.rowCount }] }),
    );
    query(stream);
    stream.end(rows.bytes);
  });
}
