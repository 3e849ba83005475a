// Every line break of a stream made LF: CRLF (Windows, Excel's CSV) and a lone CR (old Mac files)
// alike, so the CSV reader counts each line of the file once (read-file.ts says why it must).
import { Transform, type TransformCallback } from 'node:stream';

const CR = 13;
const LF = 10;

export function lineFeedsOnly(): Transform {
  // The chunk before ended with a CR, already written as LF: an LF starting this chunk is its pair.
  let afterCr = false;
  return new Transform({
    transform(chunk: Buffer, _encoding: BufferEncoding, done: TransformCallback) {
      let from = afterCr && chunk[0] === LF ? 1 : 0;
      afterCr = chunk.length > 0 ? chunk[chunk.length - 1] === CR : afterCr;
      let cr = chunk.indexOf(CR, from);
      if (cr === -1) {
        done(null, from === 0 ? chunk : chunk.subarray(from));
        return;
      }
      const parts: Buffer[] = [];
      while (cr !== -1) {
        // The text up to the CR, then an LF in its place; a CRLF's own LF is skipped.
        parts.push(chunk.subarray(from, cr), LF_BYTE);
        from = chunk[cr + 1] === LF ? cr + 2 : cr + 1;
        cr = chunk.indexOf(CR, from);
      }
      parts.push(chunk.subarray(from));
      done(null, Buffer.concat(parts));
    },
  });
}

const LF_BYTE = Buffer.from([LF]);

/** The longest line an import file may hold: far beyond any export's row, and the API's body limit. */
export const MAX_LINE_BYTES = 1024 * 1024;

/**
 * Finds the first line of a file longer than MAX_LINE_BYTES, fed its chunks in order (LF, CRLF and a
 * lone CR each end a line). Such a line is not an export's row (a binary file, or text that is not
 * of the format named), and reading it would hold all of it in memory at once.
 */
export class LongLineCheck {
  /** The current line (1-based), and where it started in the file. */
  #line = 1;
  #start = 0;
  #offset = 0;
  #afterCr = false;

  /** The 1-based number of a line found too long, if any. */
  next(chunk: Buffer): number | undefined {
    let lf = chunk.indexOf(LF);
    let cr = chunk.indexOf(CR);
    while (lf !== -1 || cr !== -1) {
      const at = cr === -1 || (lf !== -1 && lf < cr) ? lf : cr;
      const end = this.#offset + at;
      // A CRLF's LF ends nothing: its CR ended the line.
      const pair = chunk[at] === LF && (at > 0 ? chunk[at - 1] === CR : this.#afterCr);
      if (!pair) {
        if (end - this.#start > MAX_LINE_BYTES) return this.#line;
        this.#line++;
      }
      this.#start = end + 1;
      if (at === lf) lf = chunk.indexOf(LF, at + 1);
      else cr = chunk.indexOf(CR, at + 1);
    }
    this.#offset += chunk.length;
    if (chunk.length > 0) this.#afterCr = chunk[chunk.length - 1] === CR;
    return this.#offset - this.#start > MAX_LINE_BYTES ? this.#line : undefined;
  }
}
