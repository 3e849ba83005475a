// Import files must be UTF-8: a file saved in another encoding (Windows-1252 by Excel's plain "CSV",
// UTF-16 by its "Unicode text") would be decoded with replacement characters, and "José" stored as
// "Jos\uFFFD" without anyone noticing. The file's bytes are checked as it is hashed (read-file.ts's
// scanFile), chunk by chunk with Node's own validator, and the first line that is not UTF-8 named.
import { isUtf8 } from 'node:buffer';

const LF = 10;

/** Where an incomplete UTF-8 sequence at the end of `b` starts (b.length when there is none). */
function completeUpTo(b: Buffer): number {
  for (let i = b.length - 1; i >= Math.max(0, b.length - 4); i--) {
    const byte = b[i]!;
    if ((byte & 0xc0) === 0x80) continue; // a continuation byte: its lead is further back
    const needs = byte >= 0xf0 ? 4 : byte >= 0xe0 ? 3 : byte >= 0xc0 ? 2 : 1;
    return b.length - i < needs ? i : b.length;
  }
  return b.length; // four continuation bytes in a row: not UTF-8, as the validator will say
}

/** The 0-based line, within `text`, of its first line that is not UTF-8. */
function firstBadLine(text: Buffer): number {
  // No UTF-8 sequence holds the byte 0x0A, so cutting at each LF never splits a character.
  let line = 0;
  let from = 0;
  for (let nl = text.indexOf(LF); nl !== -1; nl = text.indexOf(LF, from)) {
    if (!isUtf8(text.subarray(from, nl))) return line;
    line++;
    from = nl + 1;
  }
  return line;
}

/** Checks a file's chunks in order; each answer is the 1-based line of the first bad byte, if any. */
export class Utf8Check {
  /** The start of a character the last chunk cut in two (at most 3 bytes, never an LF). */
  #carry: Buffer = Buffer.alloc(0);

  /** `linesBefore`: the LFs of the file before this chunk. */
  next(chunk: Buffer, linesBefore: number): number | undefined {
    const text = this.#carry.length > 0 ? Buffer.concat([this.#carry, chunk]) : chunk;
    const cut = completeUpTo(text);
    const whole = text.subarray(0, cut);
    this.#carry = Buffer.from(text.subarray(cut));
    return isUtf8(whole) ? undefined : 1 + linesBefore + firstBadLine(whole);
  }

  /** At the end of the file: a character left cut short is not UTF-8 either. */
  end(lines: number): number | undefined {
    return this.#carry.length > 0 ? 1 + lines : undefined;
  }
}
