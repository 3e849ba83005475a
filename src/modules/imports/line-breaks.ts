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
