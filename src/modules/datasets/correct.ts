import { splitName } from './name-parts.js';
import { type AnyDb, applyUpdate } from './rows.js';
import type {
  AnnotatedColumn,
  CorrectOptions,
  DatasetAnnotation,
  JsonField,
  NamePart,
  PersonIdentity,
  TableReport,
} from './types.js';
import { categoryOf, KeyRing, owned, parseObject, readValue, storeValue } from './values.js';
import { Counter, findRows, normaliseEmailForMatch, type WalkDeps, type WalkTarget } from './walker.js';

/** Whether a column (or some of its JSON fields) holds the field a correction names. */
function correctionTarget(
  column: AnnotatedColumn,
  options: CorrectOptions,
): { fields?: readonly JsonField[] } | undefined {
  if (column.fields) {
    const fields = column.fields.filter(
      (x) =>
        x.category === options.category &&
        (options.column === undefined || options.column === `${column.name}.${x.name}`),
    );
    return fields.length > 0 ? { fields } : undefined;
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

/**
 * The value a field or column gets: a whole name split where the copy keeps it in parts (unless the
 * correction names the one column it sets), else the value as given.
 */
function valueFor(
  part: NamePart | undefined,
  options: CorrectOptions,
  oldFamily: unknown,
): string | number | null {
  if (!part || options.column !== undefined || typeof options.value !== 'string') return options.value;
  return splitName(options.value, oldFamily)[part];
}

/** A JSON object given as the value (a structured address) replaces an object as an object. */
function asJson(current: unknown, value: string | number | null): unknown {
  if (typeof current !== 'object' || current === null || typeof value !== 'string') return value;
  const text = value.trim();
  if (!text.startsWith('{')) return value;
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return value;
  }
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

/** Whether a JSON key already holds the value (an object compared by its JSON). */
const unchanged = (a: unknown, b: unknown): boolean =>
  typeof a === 'object' && a !== null ? JSON.stringify(a) === JSON.stringify(b) : same(a, b);

/** Sets one field of the person to a new value in every row of this dataset that holds it. */
export async function correctInDataset(
  target: WalkTarget,
  who: PersonIdentity,
  options: CorrectOptions,
  deps: WalkDeps,
): Promise<{ tables: TableReport[]; changes: number }> {
  const columnsByTable = correctionColumns(target.annotation, options);
  if (columnsByTable.size === 0) return { tables: [], changes: 0 };
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
        // The old family name of a copy kept in parts, read before anything is set.
        const familyColumn = cols.find((c) => c.namePart === 'family');
        const oldFamily = familyColumn ? await readValue(familyColumn, row, ring) : undefined;
        for (const c of cols) {
          if (!owned(c, row, who)) continue;
          const targetField = correctionTarget(c, options);
          const current = await readValue(c, row, ring);
          if (targetField?.fields !== undefined) {
            const obj = parseObject(current);
            if (!obj) continue;
            const family = targetField.fields.find((f) => f.namePart === 'family');
            const before = family ? obj[family.name] : undefined;
            let touched = false;
            for (const f of targetField.fields) {
              // Only a value the person gave is corrected; a missing key is not invented.
              if (!(f.name in obj)) continue;
              const next = asJson(obj[f.name], valueFor(f.namePart, options, before));
              if (unchanged(obj[f.name], next)) continue;
              obj[f.name] = next;
              touched = true;
              counter.add(`${c.name}.${f.name}`, options.category, 'corrected');
            }
            if (touched) set[c.name] = await storeValue(c, row, JSON.stringify(obj), ring);
            continue;
          }
          const next = valueFor(c.namePart, options, oldFamily);
          if (categoryOf(c, row) !== options.category || same(current, next)) continue;
          let indexKind: 'email' | 'phone' | 'account' | undefined;
          if (c.blindIndex) {
            const k = c.blindIndex.kind ?? String(row[c.blindIndex.kindBy ?? ''] ?? '');
            // An address index depends on how the subjects module normalises addresses: it corrects
            // the person's address identifiers itself (SubjectService.correctIdentifiers).
            if (k !== 'email' && k !== 'phone' && k !== 'account') continue;
            indexKind = k;
          }
          set[c.name] = await storeValue(c, row, next == null ? null : String(next), ring);
          if (c.encrypted !== 'vault') set[c.name] = next;
          if (c.blindIndex && indexKind && c.encrypted === 'vault' && deps.vault)
            set[c.blindIndex.column] =
              next == null ? null : deps.vault.blindIndex(indexKind, blindValue(indexKind, String(next)));
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
