// A small multipart/form-data reader for the console's one upload form (the policy check): text
// fields and one text file, each decoded as UTF-8, in a body Fastify has already bounded by the
// route's bodyLimit. Nothing is written to disk.
import { VowError } from '../../platform/errors.js';

const MAX_PARTS = 8;
const decoder = new TextDecoder('utf-8', { fatal: true });

/** The boundary of a multipart content type, or undefined when it names none. */
function boundaryOf(contentType: string): string | undefined {
  const m = /;\s*boundary=(?:"([^"]{1,70})"|([^\s;]{1,70}))/i.exec(contentType);
  return m?.[1] ?? m?.[2];
}

function text(bytes: Buffer, what: string): string {
  try {
    return decoder.decode(bytes);
  } catch {
    throw new VowError('VOW_VALIDATION', `The ${what} is not UTF-8 text`);
  }
}

/**
 * The fields of a multipart body by name, as text; a file part also gives `<name>_name`, its file
 * name. A malformed body is refused (VOW_VALIDATION), never half read.
 */
export function readMultipart(body: Buffer, contentType: string): Record<string, string> {
  const boundary = boundaryOf(contentType);
  if (!boundary) throw new VowError('VOW_VALIDATION', 'The form upload names no boundary');
  const delimiter = Buffer.from(`--${boundary}`);
  const out: Record<string, string> = {};
  let at = body.indexOf(delimiter);
  if (at === -1) throw new VowError('VOW_VALIDATION', 'The form upload is malformed');
  for (let parts = 0; ; parts++) {
    at += delimiter.length;
    // `--` after a delimiter closes the body.
    if (body.subarray(at, at + 2).toString('latin1') === '--') return out;
    if (parts >= MAX_PARTS) throw new VowError('VOW_VALIDATION', 'The form upload has too many parts');
    if (body.subarray(at, at + 2).toString('latin1') !== '\r\n')
      throw new VowError('VOW_VALIDATION', 'The form upload is malformed');
    const start = at + 2;
    const headerEnd = body.indexOf('\r\n\r\n', start, 'latin1');
    const next = body.indexOf(Buffer.concat([Buffer.from('\r\n'), delimiter]), start);
    if (headerEnd === -1 || next === -1 || headerEnd > next)
      throw new VowError('VOW_VALIDATION', 'The form upload is malformed');
    const headers = body.subarray(start, headerEnd).toString('latin1');
    const disposition = /^content-disposition:\s*form-data(.*)$/im.exec(headers)?.[1] ?? '';
    const name = /;\s*name="([^"]*)"/i.exec(disposition)?.[1];
    if (!name || !/^_?[a-z][a-z_]{0,31}$/.test(name))
      throw new VowError('VOW_VALIDATION', 'A part of the form upload has no name, or not a field name');
    const filename = /;\s*filename="([^"]*)"/i.exec(disposition)?.[1];
    const value = body.subarray(headerEnd + 4, next);
    if (Object.hasOwn(out, name)) throw new VowError('VOW_VALIDATION', `The field ${name} is sent twice`);
    out[name] = text(value, filename === undefined ? `field ${name}` : 'file');
    if (filename !== undefined) out[`${name}_name`] = text(Buffer.from(filename, 'latin1'), 'file name');
    at = next + 2;
  }
}
