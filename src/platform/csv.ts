// The one CSV writer of every file Vow produces (audiences, access exports, reports): RFC 4180 with
// every cell quoted, and text that a spreadsheet would run as a formula neutralised (OWASP, "CSV
// Injection"): a cell whose text begins with = + - @, a tab or a carriage return (or a line feed,
// or spaces before = + - @) gets a leading apostrophe, so Excel, LibreOffice and Google Sheets show
// it as text. The apostrophe is visible to a program reading the file; a phone number in E.164
// (+1608...) reads '+1608... for that reason.

const FORMULA_LEADER = /^(?:[\t\r\n]|\s*[=+\-@])/;

/** Plain text of a value: nothing for null, JSON for objects, else its string form. */
function textOf(value: unknown): string {
  if (value === null || value === undefined) return '';
  if (typeof value === 'object') return JSON.stringify(value);
  return String(value);
}

/** One cell: always quoted, inner quotes doubled, formula leaders neutralised. */
export function csvCell(value: unknown): string {
  const text = textOf(value);
  const safe = FORMULA_LEADER.test(text) ? `'${text}` : text;
  return `"${safe.replaceAll('"', '""')}"`;
}

/** One record, CRLF-terminated. */
export function csvRow(values: readonly unknown[]): string {
  return `${values.map(csvCell).join(',')}\r\n`;
}

/** A whole file: the header, then the rows. */
export function csvFile(header: readonly string[], rows: Iterable<readonly unknown[]>): string {
  let out = csvRow(header);
  for (const r of rows) out += csvRow(r);
  return out;
}
