// Reading an import file as a stream (memory stays flat whatever its size): its SHA-256, then its
// records with their line numbers. CSV through csv-parse (quoted fields, BOM, CRLF); an unreadable
// record is handed on as malformed, with its line, so it is reported and the rest goes on.
//
// A record's lines are the file's own lines, as an editor numbers them: the first and the last line
// it spans (a quoted value may hold line breaks). csv-parse counts a CRLF inside a quoted value as two
// lines, so every record after one was numbered a line too far; its line breaks are made LF first
// (line-breaks.ts), which also lets a file mix CRLF and LF.
import { createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import path from 'node:path';
import { createInterface } from 'node:readline';
import { parse } from 'csv-parse';
import { VowError } from '../../platform/errors.js';
import { delimiterOfFile, delimiterOfHeader, headOf } from './delimiter.js';
import { importFormat } from './formats/index.js';
import { hasColumn } from './formats/rows.js';
import type { FormatEnv, ImportFormat, SourceRecord, Unit } from './formats/types.js';
import { LongLineCheck, lineFeedsOnly, MAX_LINE_BYTES } from './line-breaks.js';
import { notText } from './not-text.js';
import { MAX_QUOTED_LINES, QuoteCheck, type QuoteProblem } from './quotes.js';
import { Utf8Check } from './utf8.js';

/**
 * The file's SHA-256 (its identity for checkpoints) and its line count (for progress), in one pass
 * that also checks, before anything is written, that it is UTF-8 (utf8.ts: VOW_IMPORT_ENCODING,
 * naming the first line that is not), that no line is longer than MAX_LINE_BYTES
 * (VOW_IMPORT_LINE_TOO_LONG: reading it would hold it in memory whole) and, for a CSV file, that its
 * quoted values close (quotes.ts: VOW_IMPORT_QUOTES, naming the line where one opens and does not).
 */
export async function scanFile(
  file: string,
  syntax: ImportFormat['syntax'],
): Promise<{ sha256: string; lines: number; bytes: number }> {
  const hash = createHash('sha256');
  const utf8 = new Utf8Check();
  let lines = 0;
  let bytes = 0;
  try {
    const quotes = syntax === 'csv' ? new QuoteCheck(await delimiterOfFile(file)) : undefined;
    const long = new LongLineCheck();
    for await (const chunk of createReadStream(file)) {
      const b = chunk as Buffer;
      const binary = bytes === 0 ? notText(b) : undefined;
      if (binary)
        throw new VowError('VOW_IMPORT_FILE', `Cannot read ${path.basename(file)}: it is ${binary.what}`, {
          kind: binary.kind,
        });
      const bad = utf8.next(b, lines);
      if (bad !== undefined) throw notUtf8(file, bad);
      const open = quotes?.next(b);
      if (open) throw unclosedQuote(file, open);
      const longLine = long.next(b);
      if (longLine !== undefined) throw lineTooLong(file, longLine);
      hash.update(b);
      bytes += b.length;
      for (let i = b.indexOf(10); i !== -1; i = b.indexOf(10, i + 1)) lines++;
    }
    const bad = utf8.end(lines);
    if (bad !== undefined) throw notUtf8(file, bad);
    const open = quotes?.end();
    if (open) throw unclosedQuote(file, open);
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    const why = FILE_ERRORS[code ?? ''];
    if (why === undefined) throw err;
    throw new VowError('VOW_IMPORT_FILE', `Cannot read ${path.basename(file)}: ${why}`, { code });
  }
  return { sha256: hash.digest('hex'), lines, bytes };
}

function notUtf8(file: string, line: number): VowError {
  return new VowError(
    'VOW_IMPORT_ENCODING',
    `${path.basename(file)} is not UTF-8 text (line ${line} is not): save it as UTF-8 (Excel: "CSV UTF-8") and import it again`,
    { line },
  );
}

function lineTooLong(file: string, line: number): VowError {
  return new VowError(
    'VOW_IMPORT_LINE_TOO_LONG',
    `${path.basename(file)}, line ${line}: longer than ${MAX_LINE_BYTES / 1024 / 1024} MiB, which no export's row is: is it the file and format meant?`,
    { line, limit: MAX_LINE_BYTES },
  );
}

function unclosedQuote(file: string, problem: QuoteProblem): VowError {
  const what =
    problem.kind === 'never_closed'
      ? 'never closes, so every row after it would be read as part of that one value'
      : `runs on for more than ${MAX_QUOTED_LINES} lines or 1 MiB, so the rows after it would be read as part of that one value`;
  return new VowError(
    'VOW_IMPORT_QUOTES',
    `${path.basename(file)}, line ${problem.line}: a quoted value opens here and ${what} (a quote is missing or stray). Correct that line and import the file again`,
    { line: problem.line, problem: problem.kind },
  );
}

/** What the system's answer means, for the file errors a person can fix (VOW_IMPORT_FILE). */
const FILE_ERRORS: Readonly<Record<string, string>> = {
  ENOENT: 'no such file',
  EISDIR: 'it is a folder',
  EACCES: 'no permission to read it',
  EPERM: 'no permission to read it',
};

/**
 * How a run numbers its lines. 2: the file's own lines (each record's first and last). 1: csv-parse's
 * count as it was before 2 (a CRLF inside a quoted value counted twice, a record's line its last one),
 * kept only to resume a run that was checkpointed in it.
 */
export type LineNumbering = 1 | 2;
export const LINE_NUMBERING: LineNumbering = 2;

export function readRecords(
  file: string,
  format: ImportFormat,
  numbering: LineNumbering = LINE_NUMBERING,
): AsyncIterable<SourceRecord> {
  return format.syntax === 'csv' ? csvRecords(file, format, numbering) : ndjsonRecords(file);
}

/** The line breaks inside a record's values (each one was a line of the file). */
function breaksIn(record: Record<string, string>): number {
  let n = 0;
  for (const key in record) {
    const v = record[key]!;
    for (let i = v.indexOf('\n'); i !== -1; i = v.indexOf('\n', i + 1)) n++;
  }
  return n;
}

/** The largest row the CSV reader holds (scanFile has refused a file whose quoted value is longer). */
const MAX_RECORD_BYTES = 8 * 1024 * 1024;

/** Reader errors after which it cannot tell rows apart any more: the rest of the file is lost to it. */
const LOSES_ITS_PLACE = new Set(['CSV_QUOTE_NOT_CLOSED', 'CSV_MAX_RECORD_SIZE']);

async function* csvRecords(
  file: string,
  format: ImportFormat,
  numbering: LineNumbering,
): AsyncIterable<SourceRecord> {
  /** Rows the reader could not read, as it met them: their code and the line it stopped on. */
  const skipped: { code: string | undefined; line: number }[] = [];
  let header = false;
  const delimiter = await delimiterOfFile(file);
  const input = createReadStream(file);
  const parser = (numbering === 1 ? input : input.pipe(lineFeedsOnly())).pipe(
    parse({
      bom: true,
      delimiter,
      columns: (line: string[]) => {
        header = true;
        return headerNames(line, format);
      },
      info: true,
      skip_empty_lines: true,
      skip_records_with_error: true,
      max_record_size: MAX_RECORD_BYTES,
      on_skip: (err) => {
        skipped.push({ code: err?.code, line: (err as { lines?: number } | undefined)?.lines ?? 0 });
        return undefined;
      },
    }),
  );
  // The last line of the row handed on before: an unreadable row starts on the line after it (the
  // reader only says where it stopped, which for a row with line breaks in a value is further down).
  let before = 1;
  // The reader may report one row twice (a stray quote, then its column count): it is one row.
  let lastUnreadable = 0;
  const unreadable = (s: (typeof skipped)[number]): SourceRecord | undefined => {
    if (s.line === lastUnreadable) return undefined;
    lastUnreadable = s.line;
    const line = numbering === 1 ? s.line : Math.max(1, Math.min(before + 1, s.line));
    before = Math.max(before, s.line);
    if (s.code !== undefined && LOSES_ITS_PLACE.has(s.code)) throw lostPlace(file, line, s.code);
    const span = line < s.line ? ` (lines ${line} to ${s.line} were read as one row)` : '';
    return { line, lastLine: s.line, value: undefined, malformed: `${csvReason(s.code)}${span}` };
  };
  try {
    for await (const out of parser as AsyncIterable<{
      record: Record<string, string>;
      info: { lines: number };
    }>) {
      // The parser reports an unreadable row as soon as it reads it, which may be before the rows
      // above it reach this loop: hand each on in line order.
      const last = out.info.lines;
      const line = numbering === 1 ? last : last - breaksIn(out.record);
      while (skipped.length > 0 && skipped[0]!.line < line) {
        const row = unreadable(skipped.shift()!);
        if (row) yield row;
      }
      before = last;
      yield { line, lastLine: last, value: out.record };
    }
  } catch (err) {
    // csv-parse wraps what the header callback threw.
    const cause = (err as { cause?: unknown }).cause;
    if (cause instanceof VowError) throw cause;
    if (err instanceof VowError) throw err;
    throw err;
  }
  while (skipped.length > 0) {
    const row = unreadable(skipped.shift()!);
    if (row) yield row;
  }
  if (!header) throw noHeader(format);
}

/**
 * The reader lost its place at `line` (scanFile refuses such files before anything is written;
 * this stops a run rather than let the rest of a file vanish into one refused row).
 */
function lostPlace(file: string, line: number, code: string): VowError {
  const what =
    code === 'CSV_MAX_RECORD_SIZE'
      ? `the row starting here is longer than ${MAX_RECORD_BYTES / 1024 / 1024} MiB`
      : 'a quoted value opens here and never closes';
  return new VowError(
    'VOW_IMPORT_QUOTES',
    `${path.basename(file)}, line ${line}: ${what}, so the rows after it cannot be read. Nothing from this line on was imported: correct it and import the file again`,
    { line, problem: code === 'CSV_MAX_RECORD_SIZE' ? 'too_long' : 'never_closed' },
  );
}

/**
 * A header's column names in lower case (a column's case does not matter: formats/rows.ts's `col`
 * reads them so), or VOW_IMPORT_COLUMNS naming the first column the format needs and lacks.
 */
function headerNames(line: readonly string[], format: ImportFormat): string[] {
  const names = line.map((h) => h.trim().toLowerCase());
  const missing = (format.required ?? []).filter((names_) => !hasColumn(names, names_));
  if (missing.length > 0)
    throw new VowError('VOW_IMPORT_COLUMNS', `The file lacks the column ${missing[0]!.join(' or ')}`, {
      missing: missing.map((m) => m.join(' | ')),
    });
  return names;
}

/** An empty file (an export that failed, say) is a mistake to report, not a file of no rows. */
function noHeader(format: ImportFormat): VowError {
  return new VowError('VOW_IMPORT_COLUMNS', 'The file is empty: it has no header line', {
    missing: (format.required ?? []).map((m) => m.join(' | ')),
  });
}

/**
 * Checks a CSV file's header before anything is written (the run's row included): VOW_IMPORT_COLUMNS
 * when it lacks a column its format needs, or when there is no header at all. NDJSON has none.
 */
export async function checkHeader(file: string, format: ImportFormat): Promise<void> {
  if (format.syntax !== 'csv') return;
  const head = await headOf(file);
  if (head.replace(/^\uFEFF/, '').trim() === '') throw noHeader(format);
  const parser = createReadStream(file)
    .pipe(lineFeedsOnly())
    .pipe(
      parse({
        bom: true,
        delimiter: delimiterOfHeader(head),
        skip_empty_lines: true,
        // A quote never closed would make the rest of the file one field: stop at a megabyte.
        max_record_size: 1024 * 1024,
      }),
    );
  try {
    for await (const first of parser as AsyncIterable<string[]>) {
      headerNames(first, format);
      return;
    }
  } catch (err) {
    if (err instanceof VowError) throw err;
    const code = (err as { code?: string }).code;
    throw new VowError('VOW_IMPORT_COLUMNS', `The header line cannot be read: ${csvReason(code)}`, {
      missing: (format.required ?? []).map((m) => m.join(' | ')),
    });
  }
  throw noHeader(format);
}

function csvReason(code: string | undefined): string {
  switch (code) {
    case 'CSV_RECORD_INCONSISTENT_FIELDS_LENGTH':
    case 'CSV_RECORD_INCONSISTENT_COLUMNS':
      return 'not as many columns as the header';
    case 'CSV_INVALID_CLOSING_QUOTE':
    case 'CSV_QUOTE_NOT_CLOSED':
      return 'a quote is not closed where it should be';
    case 'INVALID_OPENING_QUOTE':
      return 'a quote inside a value that is not quoted (quote the whole value, and write the quote as "")';
    default:
      return `the CSV reader cannot read the row (${code ?? 'unknown'})`;
  }
}

async function* ndjsonRecords(file: string): AsyncIterable<SourceRecord> {
  const lines = createInterface({ input: createReadStream(file), crlfDelay: Number.POSITIVE_INFINITY });
  let line = 0;
  for await (const text of lines) {
    line++;
    if (text.trim() === '') continue;
    try {
      yield { line, lastLine: line, value: JSON.parse(text) as unknown };
    } catch {
      yield { line, lastLine: line, value: undefined, malformed: 'not a JSON object' };
    }
  }
}

/** A file's units in a format (read, validated and mapped; nothing written). */
export function importUnits(file: string, formatId: string, env: FormatEnv): AsyncIterable<Unit> {
  const format = importFormat(formatId);
  return format.units(readRecords(file, format), env);
}
