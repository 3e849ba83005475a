// An export as CSV: one file per dataset table, a header row of column names, RFC 4180 quoting.
import type { PersonExport } from './types.js';

function cell(v: unknown): string {
  if (v === null || v === undefined) return '';
  const s = typeof v === 'object' ? JSON.stringify(v) : String(v);
  // Quote when needed; prefix formula-looking text so a spreadsheet never runs it.
  const safe = /^[=+\-@\t\r]/.test(s) ? `'${s}` : s;
  return /[",\r\n]/.test(safe) ? `"${safe.replaceAll('"', '""')}"` : safe;
}

/** `dataset.table` -> CSV text. */
export function exportToCsv(data: PersonExport): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [name, rows] of Object.entries(data.tables)) {
    const columns = [...new Set(rows.flatMap((r) => Object.keys(r)))];
    const lines = [columns.map(cell).join(',')];
    for (const r of rows) lines.push(columns.map((c) => cell(r[c])).join(','));
    out[name] = `${lines.join('\r\n')}\r\n`;
  }
  return out;
}
