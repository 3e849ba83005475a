// The results as a fixed-width table for the terminal (`vow promises check`).
import type { CheckResult } from './types.js';

export function formatResults(results: readonly CheckResult[]): string {
  const lines = ['promise  status         count  evidence'];
  for (const r of results) {
    const status = r.status === 'not_checkable' ? 'tests only' : r.status;
    const ev =
      r.status === 'not_checkable'
        ? `proven by ${(r.provenBy ?? []).join(', ') || 'tests'}`
        : r.evidence.note;
    lines.push(`${r.promise.padEnd(8)} ${status.padEnd(14)} ${String(r.evidence.count).padStart(5)}  ${ev}`);
    if (r.status === 'broken')
      for (const v of r.evidence.violations)
        lines.push(`${''.padEnd(30)}${v.table}:${v.row}  ${v.rule}  ${JSON.stringify(v.values)}`);
  }
  return lines.join('\n');
}
