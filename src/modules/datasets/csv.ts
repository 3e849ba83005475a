// An export as CSV: one file per dataset table, a header row of column names, written by Vow's one
// CSV writer (every cell quoted, formulas neutralised: src/platform/csv.ts).
import { csvFile } from '../../platform/csv.js';
import type { PersonExport } from './types.js';

/** `dataset.table` -> CSV text. */
export function exportToCsv(data: PersonExport): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [name, rows] of Object.entries(data.tables)) {
    const columns = [...new Set(rows.flatMap((r) => Object.keys(r)))];
    out[name] = csvFile(
      columns,
      rows.map((r) => columns.map((c) => r[c])),
    );
  }
  return out;
}
