// Which character separates a CSV file's fields: a comma in the exports of Shopify, Mailchimp and
// Klaviyo, a semicolon in a CSV saved by Excel where the decimal mark is a comma (most of Europe), a
// tab in a TSV. Told from the header line: the candidate found most often outside quotes (a comma
// when none is).
import { open } from 'node:fs/promises';

export const DELIMITERS = [',', ';', '\t', '|'] as const;
export type Delimiter = (typeof DELIMITERS)[number];

/** The delimiter of a header line (its text up to the first line break). */
export function delimiterOfHeader(header: string): Delimiter {
  const counts = new Map<string, number>();
  let quoted = false;
  // Blank lines before the header (and a byte order mark) are skipped, as the CSV reader skips them.
  for (const ch of header.trimStart()) {
    if (ch === '"') quoted = !quoted;
    else if (!quoted) {
      if (ch === '\n' || ch === '\r') break;
      counts.set(ch, (counts.get(ch) ?? 0) + 1);
    }
  }
  let best: Delimiter = ',';
  for (const d of DELIMITERS) if ((counts.get(d) ?? 0) > (counts.get(best) ?? 0)) best = d;
  return best;
}

/** The first 64 KiB of a file as text: its header line and more (a header is far shorter). */
export async function headOf(file: string): Promise<string> {
  const handle = await open(file, 'r');
  try {
    const { buffer, bytesRead } = await handle.read(Buffer.alloc(64 * 1024), 0, 64 * 1024, 0);
    return buffer.toString('utf8', 0, bytesRead);
  } finally {
    await handle.close();
  }
}

/** The delimiter of a file, from its header line. */
export async function delimiterOfFile(file: string): Promise<Delimiter> {
  return delimiterOfHeader(await headOf(file));
}
