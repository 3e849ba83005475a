// A CSV file's quoted values, checked before anything is imported (read-file.ts's scanFile). A value
// that opens with a quote and never closes where it should (a quote missing, or one too many) makes
// the CSV reader take every row after it as part of that one value: the rest of the file would be
// one refused row, or one row of the wrong shape, and held in memory whole while it is read. Such a
// file is refused before anything is written, naming the line the value opens on.
//
// The rules are the CSV reader's (csv-parse, RFC 4180): a quote opens a value only as the first
// character of a field; inside, `""` is a quote, and a quote closes the value only before a
// delimiter, a line break or the end of the file (any other quote is kept as text, and the value
// goes on). Only quotes and line breaks are looked at, found with Buffer.indexOf.

const QUOTE = 34;
const BOM = [0xef, 0xbb, 0xbf];
const BOM_DONE = -1;
const LF = 10;
const CR = 13;

/** The most line breaks one quoted value may hold (a customer note is a few lines). */
export const MAX_QUOTED_LINES = 100;
/** The largest quoted value, in bytes. */
export const MAX_QUOTED_BYTES = 1024 * 1024;

export interface QuoteProblem {
  /** The line the value opens on. */
  readonly line: number;
  /** Never closed before the end of the file, or longer than a value can be. */
  readonly kind: 'never_closed' | 'too_long';
}

export class QuoteCheck {
  readonly #delimiter: number;
  /** The current line, 1-based: LF, CRLF and a lone CR each end one (as line-breaks.ts reads them). */
  #line = 1;
  /** Bytes of the file before the current chunk. */
  #offset = 0;
  /** The byte before the current chunk (-1 at the start of the file). */
  #prev = -1;
  /** Bytes of a UTF-8 byte order mark matched at the start of the file, until it is decided. */
  #bom = 0;
  #quoted = false;
  #openLine = 0;
  #openAt = 0;
  /** Inside a value, the last chunk ended with a quote: the next byte says what it was. */
  #pendingQuote = false;

  constructor(delimiter: string) {
    this.#delimiter = delimiter.charCodeAt(0);
  }

  /** The file's next chunk; the first problem found, if any (the check stops there). */
  next(chunk: Buffer): QuoteProblem | undefined {
    let from = 0;
    /** Where the file's first field starts, when it is in this chunk (after a byte order mark). */
    let fileStart = -1;
    if (this.#bom !== BOM_DONE) {
      while (this.#bom < BOM.length && from < chunk.length && chunk[from] === BOM[this.#bom]) {
        this.#bom++;
        from++;
      }
      if (this.#bom === BOM.length) {
        this.#bom = BOM_DONE;
        fileStart = from;
      } else if (from < chunk.length) {
        // No byte order mark (bytes that began like one and stop are not UTF-8: refused before this).
        this.#bom = BOM_DONE;
        from = 0;
        fileStart = 0;
      }
    }
    if (this.#pendingQuote && chunk.length > 0) {
      this.#pendingQuote = false;
      if (chunk[0] === QUOTE) from = Math.max(from, 1);
      else if (this.#ends(chunk[0]!)) {
        const problem = this.#close(this.#offset - 1);
        if (problem) return problem;
      }
    }
    let quote = chunk.indexOf(QUOTE, from);
    let lf = chunk.indexOf(LF, from);
    let cr = chunk.indexOf(CR, from);
    for (;;) {
      const at = earliest(quote, lf, cr);
      if (at === -1) break;
      if (at === lf) {
        // A CRLF's LF was counted with its CR.
        const afterCr = at > 0 ? chunk[at - 1] === CR : this.#prev === CR;
        if (!afterCr) this.#line++;
        lf = chunk.indexOf(LF, at + 1);
        const problem = this.#tooLong(at);
        if (problem) return problem;
        continue;
      }
      if (at === cr) {
        this.#line++;
        cr = chunk.indexOf(CR, at + 1);
        continue;
      }
      // A quote.
      let next = at + 1;
      if (!this.#quoted) {
        const before = at === fileStart ? -1 : at > 0 ? chunk[at - 1]! : this.#prev;
        if (before === -1 || before === this.#delimiter || before === LF || before === CR) {
          this.#quoted = true;
          this.#openLine = this.#line;
          this.#openAt = this.#offset + at;
        }
      } else if (at + 1 === chunk.length) this.#pendingQuote = true;
      else if (chunk[at + 1] === QUOTE) next = at + 2;
      else if (this.#ends(chunk[at + 1]!)) {
        const problem = this.#close(this.#offset + at);
        if (problem) return problem;
      }
      quote = chunk.indexOf(QUOTE, next);
    }
    const problem = this.#tooLong(chunk.length);
    this.#offset += chunk.length;
    // A chunk that ended right after the byte order mark leaves the next one at the first field.
    if (fileStart === chunk.length) this.#prev = -1;
    else if (chunk.length > 0) this.#prev = chunk[chunk.length - 1]!;
    return problem;
  }

  /** At the end of the file: a value still open never closed. */
  end(): QuoteProblem | undefined {
    if (this.#pendingQuote) return this.#close(this.#offset - 1);
    return this.#quoted ? { line: this.#openLine, kind: 'never_closed' } : undefined;
  }

  #ends(byte: number): boolean {
    return byte === this.#delimiter || byte === LF || byte === CR;
  }

  #close(offset: number): QuoteProblem | undefined {
    this.#quoted = false;
    return this.#line - this.#openLine > MAX_QUOTED_LINES || offset - this.#openAt > MAX_QUOTED_BYTES
      ? { line: this.#openLine, kind: 'too_long' }
      : undefined;
  }

  /** A value still open that already holds too much (`at`: a position in the current chunk). */
  #tooLong(at: number): QuoteProblem | undefined {
    if (!this.#quoted) return undefined;
    if (this.#line - this.#openLine > MAX_QUOTED_LINES || this.#offset + at - this.#openAt > MAX_QUOTED_BYTES)
      return { line: this.#openLine, kind: 'too_long' };
    return undefined;
  }
}

/** The smallest of the positions found (-1: not found). */
function earliest(a: number, b: number, c: number): number {
  let min = a;
  if (b !== -1 && (min === -1 || b < min)) min = b;
  if (c !== -1 && (min === -1 || c < min)) min = c;
  return min;
}
