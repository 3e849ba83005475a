import { type AnyDb, applyUpdate } from './rows.js';
import type {
  AnnotatedColumn,
  CorrectOptions,
  DatasetAnnotation,
  PersonIdentity,
  TableReport,
} from './types.js';
import { categoryOf, KeyRing, owned, parseObject, readValue, storeValue } from './values.js';
import { Counter, findRows, normaliseEmailForMatch, type WalkDeps, type WalkTarget } from './walker.js';

/** Whether a column (or one of its JSON fields) is the field a correction names. */
function correctionTarget(column: AnnotatedColumn, options: CorrectOptions): { field?: string } | undefined {
  if (column.fields) {
    const f = column.fields.find(
      (x) =>
        x.category === options.category &&
        (options.column === undefined || options.column === `${column.name}.${x.name}`),
    );
    return f ? { field: f.name } : undefined;
  }
  const cats = column.categoryBy ? Object.values(column.categoryBy.values) : [];
  if (
    (column.categoryFrom !== undefined ||
      column.category === options.category ||
      cats.includes(options.category)) &&
    (options.column === undefined || options.column === column.name)
  )
    return {};
  return undefined;
}

/** The tables and columns of a dataset that hold the field a correction names. */
export function correctionColumns(
  annotation: DatasetAnnotation,
  options: CorrectOptions,
): Map<string, AnnotatedColumn[]> {
  const out = new Map<string, AnnotatedColumn[]>();
  for (const t of annotation.tables) {
    // A blind-index column is kept in step by the column it indexes, never set directly.
    const indexes = new Set(t.columns.flatMap((c) => (c.blindIndex ? [c.blindIndex.column] : [])));
    const cols = t.columns.filter((c) => !indexes.has(c.name) && correctionTarget(c, options) !== undefined);
    if (cols.length > 0) out.set(t.name, cols);
  }
  return out;
}

function blindValue(kind: 'email' | 'phone' | 'account', value: string): string {
  return kind === 'email' ? normaliseEmailForMatch(value) : value.trim();
}

const same = (a: unknown, b: unknown): boolean =>
  a === b || (a != null && b != null && String(a) === String(b));

/** Sets one field of the person to a new value in every row of this dataset that holds it. */
export async function correctInDataset(
  target: WalkTarget,
  who: PersonIdentity,
  options: CorrectOptions,
  deps: WalkDeps,
): Promise<{ tables: TableReport[]; changes: number }> {
  const columnsByTable = correctionColumns(target.annotation, options);
  if (columnsByTable.size === 0) return { tables: [], changes: 0 };
  const wanted = options.value;
  const run = async (db: AnyDb) => {
    const found = await findRows(db, target.annotation, who, deps.vault);
    const ring = deps.vault ? new KeyRing(deps.vault, db) : undefined;
    const reports: TableReport[] = [];
    let changes = 0;
    for (const table of target.annotation.tables) {
      const cols = columnsByTable.get(table.name);
      const rows = found.get(table.name) ?? [];
      if (!cols || rows.length === 0) continue;
      const counter = new Counter();
      for (const row of rows) {
        const set: Record<string, unknown> = {};
        for (const c of cols) {
          if (!owned(c, row, who)) continue;
          const targetField = correctionTarget(c, options);
          const current = await readValue(c, row, ring);
          if (targetField?.field !== undefined) {
            const obj = parseObject(current);
            // Only a value the person gave is corrected; a missing key is not invented.
            if (!obj || !(targetField.field in obj) || same(obj[targetField.field], wanted)) continue;
            obj[targetField.field] = wanted;
            set[c.name] = await storeValue(c, row, JSON.stringify(obj), ring);
            counter.add(`${c.name}.${targetField.field}`, options.category, 'corrected');
            continue;
          }
          if (categoryOf(c, row) !== options.category || same(current, wanted)) continue;
          let indexKind: 'email' | 'phone' | 'account' | undefined;
          if (c.blindIndex) {
            const k = c.blindIndex.kind ?? String(row[c.blindIndex.kindBy ?? ''] ?? '');
            // An address index depends on how the subjects module normalises addresses: not kept here.
            if (k !== 'email' && k !== 'phone' && k !== 'account') continue;
            indexKind = k;
          }
          set[c.name] = await storeValue(c, row, wanted == null ? null : String(wanted), ring);
          if (c.encrypted !== 'vault') set[c.name] = wanted;
          if (c.blindIndex && indexKind && c.encrypted === 'vault' && deps.vault)
            set[c.blindIndex.column] =
              wanted == null ? null : deps.vault.blindIndex(indexKind, blindValue(indexKind, String(wanted)));
          counter.add(c.name, options.category, 'corrected');
        }
        changes += Object.keys(set).filter((k) => cols.some((c) => c.name === k)).length;
        if (!options.dryRun) await applyUpdate(db, table, row, set);
      }
      reports.push({
        dataset: target.name,
        table: table.name,
        rowsMatched: rows.length,
        rowsDeleted: 0,
        columns: counter.list(),
      });
    }
    return { tables: reports, changes };
  };
  if (options.dryRun) return run(target.db);
  return target.db.transaction().execute(run);
}
