// Expiry: values of Vow's annotated tables whose retention has passed are taken out, row by row,
// whoever they belong to (the retention module finds them; this applies them). A row goes as a
// whole when every value it still holds has expired and no row of a linked table points at it;
// otherwise each expired value is masked (its `mask_with`, sealed again for a sealed column) or
// nulled where the column allows NULL. Keys, links and the row's own time stay with the row. An
// exemption (`retain`) protects a value from a deletion request, not past its retention.
import { sql } from 'kysely';
import { VowError } from '../../platform/errors.js';
import {
  type AnyDb,
  asText,
  chunks,
  deleteRows,
  IN_LIST_CHUNK,
  ROW_TIME_COLUMNS,
  type Row,
  rowKey,
  updateRows,
} from './rows.js';
import type { AnnotatedTable } from './types.js';
import { KeyRing, maskFor, sealedMask } from './values.js';
import type { WalkDeps, WalkTarget } from './walker.js';

/** Per table, the rows (by key) and the columns in each whose values expired. */
export type ExpiredValues = ReadonlyMap<string, ReadonlyMap<string, ReadonlySet<string>>>;

export interface ExpiryReport {
  readonly dryRun: boolean;
  readonly tables: readonly { table: string; rowsDeleted: number; valuesCleared: number }[];
}

async function loadRows(db: AnyDb, table: AnnotatedTable, keys: readonly string[]): Promise<Row[]> {
  const [only] = table.primaryKey;
  if (table.primaryKey.length !== 1 || only === undefined)
    throw new VowError(
      'VOW_DATASET_UNKNOWN_FIELD',
      `Table "${table.name}" has no one-column key to expire rows by`,
      {
        table: table.name,
      },
    );
  const out: Row[] = [];
  for (const chunk of chunks(keys, IN_LIST_CHUNK)) {
    const res =
      await sql<Row>`select * from ${sql.table(table.name)} where ${asText(db, only)} in (${sql.join(chunk)})`.execute(
        db,
      );
    out.push(...res.rows);
  }
  return out;
}

/** Takes expired values out of one dataset, children before parents, in one transaction. */
export async function expireInDataset(
  target: WalkTarget,
  expired: ExpiredValues,
  options: { dryRun: boolean },
  deps: WalkDeps,
): Promise<ExpiryReport> {
  const ann = target.annotation;
  for (const name of expired.keys())
    if (!ann.tables.some((t) => t.name === name))
      throw new VowError(
        'VOW_DATASET_UNKNOWN_FIELD',
        `No annotated table "${name}" in dataset "${target.name}"`,
        {
          table: name,
        },
      );
  const run = async (db: AnyDb): Promise<ExpiryReport> => {
    const notNull = new Map(
      (await db.introspection.getTables()).map((t) => [
        t.name,
        new Set(t.columns.filter((c) => !c.isNullable).map((c) => c.name)),
      ]),
    );
    const ring = deps.vault ? new KeyRing(deps.vault, db) : undefined;
    const reports: { table: string; rowsDeleted: number; valuesCleared: number }[] = [];
    for (const table of [...ann.tables].reverse()) {
      const byRow = expired.get(table.name);
      if (!byRow || byRow.size === 0) continue;
      const rows = await loadRows(db, table, [...byRow.keys()]);
      const fixed = new Set([...table.primaryKey, ...table.links.map((l) => l.column), ...ROW_TIME_COLUMNS]);
      const children = ann.tables.flatMap((t) =>
        t.links.filter((l) => l.table === table.name).map((l) => ({ child: t, link: l })),
      );
      const toDelete: Row[] = [];
      const updates: { row: Row; set: Record<string, unknown> }[] = [];
      let cleared = 0;
      for (const row of rows) {
        const cols = byRow.get(rowKey(table, row)) ?? new Set<string>();
        const holding = table.columns.filter((c) => !fixed.has(c.name) && row[c.name] != null);
        let referenced = false;
        if (holding.every((c) => cols.has(c.name)))
          for (const { child, link } of children) {
            const v = row[link.references];
            if (v == null) continue;
            const r =
              await sql`select 1 as one from ${sql.table(child.name)} where ${sql.ref(link.column)} = ${v}`.execute(
                db,
              );
            if (r.rows.length > 0) referenced = true;
          }
        if (holding.every((c) => cols.has(c.name)) && !referenced) {
          toDelete.push(row);
          continue;
        }
        const set: Record<string, unknown> = {};
        for (const c of table.columns) {
          if (!cols.has(c.name) || fixed.has(c.name) || row[c.name] == null) continue;
          const mask = maskFor(c, table, row);
          const masked = c.onDelete === 'mask' || c.fallbackMask || notNull.get(table.name)?.has(c.name);
          set[c.name] = masked ? (options.dryRun ? mask : await sealedMask(c, row, mask, ring)) : null;
        }
        if (Object.keys(set).length === 0) continue;
        cleared += Object.keys(set).length;
        updates.push({ row, set });
      }
      if (!options.dryRun) {
        await deleteRows(db, table, toDelete);
        for (const { row, set } of updates) await updateRows(db, table, [row], set);
      }
      reports.push({ table: table.name, rowsDeleted: toDelete.length, valuesCleared: cleared });
    }
    return { dryRun: options.dryRun, tables: reports.reverse() };
  };
  if (options.dryRun) return run(target.db);
  return target.db.transaction().execute(run);
}
