// The per-person walker: finds every row of one person in an annotated dataset (through identity
// columns and links, any depth) and exports, corrects or deletes their values. One dataset at a
// time; the service runs it over every configured dataset.
//
// Deletion rule (foreign keys stay intact): tables are processed children first. A matched row is
// deleted only when (1) one of its selected columns says `delete_row`, (2) every annotated column
// of its table is selected and none is `retain`, and (3) no row of a linked (child) table still
// points at it after the children were processed. Otherwise the row stays: its `delete_row` columns
// are set to their `mask_with` if they have one (for NOT NULL columns), else NULL, its `null` columns
// to NULL, its `mask` columns to their mask, its `retain` columns are kept
// and reported with their exemption. A value already deleted is not counted, so a second run of the
// same deletion reports no change.
import { type Kysely, type RawBuilder, sql } from 'kysely';
import { isWithin, type Policy } from '../policy/model.js';
import type { Vault } from '../security/vault.js';
import type {
  AnnotatedColumn,
  AnnotatedTable,
  ColumnAction,
  ColumnReport,
  CorrectOptions,
  DatasetAnnotation,
  ExportedValue,
  PersonIdentity,
  Retained,
  TableReport,
} from './types.js';

type Row = Record<string, unknown>;
// biome-ignore lint/suspicious/noExplicitAny: a retailer's schema is described by its annotation, not by types
type AnyDb = Kysely<any>;

export interface WalkTarget {
  readonly name: string;
  readonly annotation: DatasetAnnotation;
  readonly db: AnyDb;
}

export interface WalkDeps {
  readonly policy: Policy;
  /** Needed only for datasets with `encrypted: vault` columns or blind-index identities. */
  readonly vault?: Vault | undefined;
}

const key = (v: unknown): string => (v instanceof Date ? v.toISOString() : String(v));

export function normaliseEmailForMatch(email: string): string {
  return email.trim().toLowerCase();
}

/** Plain JSON for an exported value: dates as ISO text, bytes as base64, bigints as text. */
function plainValue(v: unknown): unknown {
  if (v instanceof Date) return v.toISOString();
  if (Buffer.isBuffer(v)) return v.toString('base64');
  if (typeof v === 'bigint') return v.toString();
  return v ?? null;
}

function isSealed(v: unknown): v is string {
  return typeof v === 'string' && v.startsWith('v1.');
}

/** The purposes the policy allows for a category: those of every rule covering it, `never` rules aside. */
export function purposesFor(policy: Policy, category: string): string[] {
  const out = new Set<string>();
  for (const rule of policy.doc.rules) {
    if (rule.basis === 'never') continue;
    if (rule.categories.some((c) => isWithin(category, c) || isWithin(c, category)))
      for (const p of rule.purposes) out.add(p);
  }
  return [...out].sort();
}

function identityCondition(
  table: AnnotatedTable,
  who: PersonIdentity,
  vault: Vault | undefined,
): RawBuilder<unknown>[] {
  const emails = [...new Set((who.emails ?? []).map(normaliseEmailForMatch))].filter(Boolean);
  const phones = [...new Set((who.phones ?? []).map((p) => p.trim()))].filter(Boolean);
  const accounts = [...new Set((who.accountIds ?? []).map(String))].filter(Boolean);
  const subjects = [...new Set(who.subjectIds ?? [])].filter(Boolean);
  const parts: RawBuilder<unknown>[] = [];
  for (const id of table.identity) {
    const col = sql.ref(id.column);
    let values: string[];
    if (id.kind === 'email') values = emails;
    else if (id.kind === 'phone') values = phones;
    else if (id.kind === 'account') values = accounts;
    else values = subjects;
    if (values.length === 0) continue;
    if (id.match === 'blind_index' && id.kind !== 'subject') {
      if (!vault)
        throw new Error(`Dataset table ${table.name} matches by blind index but no vault was given`);
      const kind = id.kind;
      parts.push(sql`${col} in (${sql.join(values.map((v) => vault.blindIndex(kind, v)))})`);
    } else if (id.kind === 'email') {
      parts.push(sql`lower(${col}) in (${sql.join(values)})`);
    } else {
      parts.push(sql`${col} in (${sql.join(values)})`);
    }
  }
  return parts;
}

/** Every row linked to the person, per table (parents before children). */
export async function findRows(
  db: AnyDb,
  annotation: DatasetAnnotation,
  who: PersonIdentity,
  vault?: Vault,
): Promise<Map<string, Row[]>> {
  const found = new Map<string, Row[]>();
  for (const table of annotation.tables) {
    const parts = identityCondition(table, who, vault);
    for (const link of table.links) {
      const parentRows = found.get(link.table) ?? [];
      const values = [...new Set(parentRows.map((r) => r[link.references]).filter((v) => v != null))];
      if (values.length > 0) parts.push(sql`${sql.ref(link.column)} in (${sql.join(values)})`);
    }
    if (parts.length === 0) {
      found.set(table.name, []);
      continue;
    }
    const result =
      await sql<Row>`select * from ${sql.table(table.name)} where ${sql.join(parts, sql` or `)} order by ${sql.ref(table.primaryKey)}`.execute(
        db,
      );
    found.set(table.name, result.rows);
  }
  return found;
}

async function readValue(column: AnnotatedColumn, row: Row, vault: Vault | undefined): Promise<unknown> {
  const raw = row[column.name];
  if (column.encrypted !== 'vault' || !isSealed(raw)) return plainValue(raw);
  const subject = column.subjectColumn ? row[column.subjectColumn] : undefined;
  if (!vault || subject == null) return null;
  return vault.decrypt(String(subject), raw);
}

export async function exportDataset(
  target: WalkTarget,
  who: PersonIdentity,
  deps: WalkDeps,
): Promise<{ values: ExportedValue[]; tables: Record<string, Row[]> }> {
  const found = await findRows(target.db, target.annotation, who, deps.vault);
  const values: ExportedValue[] = [];
  const tables: Record<string, Row[]> = {};
  for (const table of target.annotation.tables) {
    const rows = found.get(table.name) ?? [];
    if (rows.length === 0 || table.columns.length === 0) continue;
    const out: Row[] = [];
    for (const row of rows) {
      const rowKey = key(row[table.primaryKey]);
      const obj: Row = { [table.primaryKey]: plainValue(row[table.primaryKey]) };
      for (const column of table.columns) {
        const value = await readValue(column, row, deps.vault);
        obj[column.name] = value;
        values.push({
          dataset: target.name,
          table: table.name,
          column: column.name,
          row: rowKey,
          category: column.category,
          purposes: purposesFor(deps.policy, column.category),
          value,
        });
      }
      out.push(obj);
    }
    tables[`${target.name}.${table.name}`] = out;
  }
  return { values, tables };
}

function selected(column: AnnotatedColumn, categories: readonly string[] | 'all'): boolean {
  return categories === 'all' || categories.some((c) => isWithin(column.category, c));
}

class Counter {
  readonly #map = new Map<string, ColumnReport & { rows: number }>();
  add(column: AnnotatedColumn, action: ColumnAction, exemption?: string): void {
    const k = `${column.name}\u0000${action}`;
    const cur = this.#map.get(k);
    if (cur) cur.rows++;
    else
      this.#map.set(k, {
        column: column.name,
        category: column.category,
        action,
        rows: 1,
        ...(exemption ? { exemption } : {}),
      });
  }
  list(): ColumnReport[] {
    return [...this.#map.values()];
  }
}

function maskFor(column: AnnotatedColumn, table: AnnotatedTable, row: Row): string {
  return column.maskWith.replaceAll('{pk}', key(row[table.primaryKey]));
}

async function applyUpdate(
  db: AnyDb,
  table: AnnotatedTable,
  row: Row,
  set: Record<string, unknown>,
): Promise<void> {
  const entries = Object.entries(set);
  if (entries.length === 0) return;
  const assignments = sql.join(entries.map(([c, v]) => sql`${sql.ref(c)} = ${v}`));
  await sql`update ${sql.table(table.name)} set ${assignments} where ${sql.ref(table.primaryKey)} = ${row[table.primaryKey]}`.execute(
    db,
  );
}

export interface DatasetDeletion {
  tables: TableReport[];
  retained: Retained[];
  changes: number;
}

/** Deletes (or, with dryRun, reports) the person's selected categories in one dataset. */
export async function deleteInDataset(
  target: WalkTarget,
  who: PersonIdentity,
  options: { categories: readonly string[] | 'all'; dryRun: boolean },
  deps: WalkDeps,
): Promise<DatasetDeletion> {
  const run = async (db: AnyDb): Promise<DatasetDeletion> => {
    const ann = target.annotation;
    const found = await findRows(db, ann, who, deps.vault);
    /** Primary keys deleted (or that would be), per table. */
    const deleted = new Map<string, Set<string>>();
    const reports: TableReport[] = [];
    const retained: Retained[] = [];
    let changes = 0;
    // Children first, so a parent knows whether anything still points at it.
    for (const table of [...ann.tables].reverse()) {
      const rows = found.get(table.name) ?? [];
      const gone = new Set<string>();
      deleted.set(table.name, gone);
      if (rows.length === 0) continue;
      const chosen = table.columns.filter((c) => selected(c, options.categories));
      if (chosen.length === 0) continue;
      const whole =
        table.columns.every((c) => selected(c, options.categories)) &&
        !table.columns.some((c) => c.onDelete === 'retain') &&
        chosen.some((c) => c.onDelete === 'delete_row');
      const children = ann.tables.flatMap((t) =>
        t.links.filter((l) => l.table === table.name).map((l) => ({ child: t, link: l })),
      );
      const counter = new Counter();
      let rowsDeleted = 0;
      for (const row of rows) {
        let canDelete = whole;
        if (canDelete) {
          for (const { child, link } of children) {
            const ref = row[link.references];
            if (ref == null) continue;
            const res =
              await sql<Row>`select ${sql.ref(child.primaryKey)} as pk from ${sql.table(child.name)} where ${sql.ref(link.column)} = ${ref}`.execute(
                db,
              );
            const goneChildren = deleted.get(child.name) ?? new Set<string>();
            if (res.rows.some((r) => !goneChildren.has(key(r.pk)))) {
              canDelete = false;
              break;
            }
          }
        }
        if (canDelete) {
          if (!options.dryRun)
            await sql`delete from ${sql.table(table.name)} where ${sql.ref(table.primaryKey)} = ${row[table.primaryKey]}`.execute(
              db,
            );
          gone.add(key(row[table.primaryKey]));
          rowsDeleted++;
          changes++;
          for (const c of chosen) if (row[c.name] != null) counter.add(c, 'deleted');
          continue;
        }
        const set: Record<string, unknown> = {};
        const keys = new Set([table.primaryKey, ...table.links.map((l) => l.column)]);
        for (const c of chosen) {
          const current = row[c.name];
          // A key goes with its row or not at all: never nulled (it would break the links).
          if (keys.has(c.name) && c.onDelete === 'delete_row') continue;
          if (c.onDelete === 'retain') {
            if (current != null) counter.add(c, 'retained', c.exemption);
          } else if (c.onDelete === 'mask' || (c.onDelete === 'delete_row' && c.fallbackMask)) {
            const mask = maskFor(c, table, row);
            if (current == null || String(current) !== mask) {
              set[c.name] = mask;
              counter.add(c, 'masked');
            }
          } else if (current != null) {
            set[c.name] = null;
            counter.add(c, 'nulled');
          }
        }
        changes += Object.keys(set).length;
        if (!options.dryRun) await applyUpdate(db, table, row, set);
      }
      const columns = counter.list();
      for (const c of columns)
        if (c.action === 'retained' && c.exemption)
          retained.push({
            dataset: target.name,
            table: table.name,
            column: c.column,
            category: c.category,
            exemption: c.exemption,
            rows: c.rows,
          });
      reports.push({
        dataset: target.name,
        table: table.name,
        rowsMatched: rows.length,
        rowsDeleted,
        columns,
      });
    }
    reports.reverse();
    return { tables: reports, retained, changes };
  };
  if (options.dryRun) return run(target.db);
  return target.db.transaction().execute(run);
}

/** True when this dataset holds the field a correction names. */
export function correctionColumns(
  annotation: DatasetAnnotation,
  options: CorrectOptions,
): Map<string, AnnotatedColumn[]> {
  const out = new Map<string, AnnotatedColumn[]>();
  for (const t of annotation.tables) {
    const cols = t.columns.filter(
      (c) => c.category === options.category && (options.column === undefined || c.name === options.column),
    );
    if (cols.length > 0) out.set(t.name, cols);
  }
  return out;
}

function blindValue(kind: 'email' | 'phone' | 'account' | 'address', value: string): string {
  return kind === 'email' ? normaliseEmailForMatch(value) : value.trim();
}

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
          const current = await readValue(c, row, deps.vault);
          const wanted = options.value;
          if (current === wanted || (current != null && wanted != null && String(current) === String(wanted)))
            continue;
          if (c.encrypted === 'vault') {
            const subject = c.subjectColumn ? row[c.subjectColumn] : undefined;
            if (!deps.vault || subject == null) continue;
            set[c.name] = wanted == null ? null : await deps.vault.encrypt(String(subject), String(wanted));
            if (c.blindIndex)
              set[c.blindIndex.column] =
                wanted == null
                  ? null
                  : deps.vault.blindIndex(c.blindIndex.kind, blindValue(c.blindIndex.kind, String(wanted)));
          } else set[c.name] = wanted;
          counter.add(c, 'corrected');
        }
        const n = cols.filter((c) => c.name in set).length;
        changes += n;
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
