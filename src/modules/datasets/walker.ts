// The per-person walker: finds every row of one person in an annotated dataset (through identity
// columns and links, any depth) and exports, corrects or deletes their values. One dataset at a
// time; the service runs it over every configured dataset.
//
// Deletion rule (foreign keys stay intact): tables are processed children first. A matched row is
// deleted only when (1) one of its table's columns says `delete_row`, (2) every value the row holds
// is of a selected category (decided per row: `category_by` gives the row's own category) and no
// column of the table is (or has a field) `retain`, (3) no value in it belongs to
// someone else, and (4) no row of a linked (child) table still points at it once the children were
// processed. Otherwise the row stays: its `delete_row` columns are set to their `mask_with` if they
// have one (for NOT NULL columns), else NULL; `null` columns to NULL; `mask` columns to their mask;
// `retain` columns are kept and reported with their exemption. Keys are never nulled. A value
// already deleted is not counted, so a second run of the same deletion reports no change.
import { type RawBuilder, sql } from 'kysely';
import type { Vault } from '../../platform/crypto/index.js';
import { VowError } from '../../platform/errors.js';
import { notConnected } from '../../platform/store/index.js';
import { isWithin, type Policy } from '../policy/index.js';
import {
  type AnyDb,
  asText,
  chunks,
  deleteRows,
  IN_LIST_CHUNK,
  type Row,
  rowKey,
  rowTime,
  text,
  updateRows,
} from './rows.js';
import type {
  AnnotatedTable,
  ColumnAction,
  ColumnReport,
  DatasetAnnotation,
  ExportedValue,
  PersonIdentity,
  Retained,
  TableReport,
} from './types.js';
import {
  allCategories,
  categoryOf,
  fieldSpec,
  KeyRing,
  maskFor,
  owned,
  parseObject,
  plainValue,
  readValue,
  rowCategories,
  sealedMask,
  storeValue,
} from './values.js';

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

export function normaliseEmailForMatch(email: string): string {
  return email.trim().toLowerCase();
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
  db: AnyDb,
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
    } else if (id.kind === 'subject') {
      // Subject ids are text in every table that holds them: compare directly, so the index is used
      // (a cast would make each look-up a full scan: seconds at a million people).
      parts.push(sql`${col} in (${sql.join(values)})`);
    } else {
      // Whole numbers compare with any column type (and keep its index); anything else as text.
      const numeric = values.every((v) => /^-?\d{1,15}$/.test(v));
      parts.push(sql`${numeric ? col : asText(db, id.column)} in (${sql.join(values)})`);
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
    // One condition per identity column, and per link one per chunk of the parent keys found.
    const parts = identityCondition(db, table, who, vault);
    for (const link of table.links) {
      const parentRows = found.get(link.table) ?? [];
      const values = [...new Set(parentRows.map((r) => r[link.references]).filter((v) => v != null))];
      for (const chunk of chunks(values, IN_LIST_CHUNK))
        parts.push(sql`${sql.ref(link.column)} in (${sql.join(chunk)})`);
    }
    const rows = new Map<string, Row>();
    // Few conditions go in one query; many (a person with thousands of rows) in several.
    for (const group of chunks(parts, 4)) {
      const result =
        await sql<Row>`select * from ${sql.table(table.name)} where ${sql.join(group, sql` or `)}`.execute(
          db,
        );
      for (const r of result.rows) rows.set(rowKey(table, r), r);
    }
    found.set(
      table.name,
      [...rows.entries()].sort(([a], [b]) => a.localeCompare(b, 'en', { numeric: true })).map(([, r]) => r),
    );
  }
  return found;
}

/** What an export shows in place of a credential: that one is held, never the value. */
export const CREDENTIAL_WITHHELD = '(held, never shown)';

/** Hash formats of passwords (PHC strings, bcrypt, scrypt, PBKDF2), whatever their annotation says. */
const PASSWORD_HASH = /^\$(?:argon2(?:id|i|d)|2[abxy]?|scrypt|pbkdf2[-\w]*|[56])\$/;

/**
 * Credentials are never shown to anyone, the person included (issue 14): a value in the
 * `account.credentials` category (password hashes, second-factor secrets, token hashes), or shaped
 * like a password hash in any column, is exported as CREDENTIAL_WITHHELD.
 */
function shown(category: string, value: unknown): unknown {
  if (isWithin(category, 'account.credentials')) return CREDENTIAL_WITHHELD;
  if (typeof value === 'string' && PASSWORD_HASH.test(value)) return CREDENTIAL_WITHHELD;
  return value;
}

export async function exportDataset(
  target: WalkTarget,
  who: PersonIdentity,
  deps: WalkDeps,
): Promise<{ values: ExportedValue[]; tables: Record<string, Row[]> }> {
  const found = await findRows(target.db, target.annotation, who, deps.vault);
  const ring = deps.vault ? new KeyRing(deps.vault, target.db) : undefined;
  const values: ExportedValue[] = [];
  const tables: Record<string, Row[]> = {};
  const push = (table: AnnotatedTable, row: string, column: string, category: string, value: unknown) =>
    values.push({
      dataset: target.name,
      table: table.name,
      column,
      row,
      category,
      purposes: purposesFor(deps.policy, category),
      value,
    });
  for (const table of target.annotation.tables) {
    const rows = found.get(table.name) ?? [];
    if (rows.length === 0 || table.columns.length === 0) continue;
    const out: Row[] = [];
    for (const row of rows) {
      const key = rowKey(table, row);
      const obj: Row = {};
      for (const k of table.primaryKey) obj[k] = plainValue(row[k]);
      let any = false;
      for (const column of table.columns) {
        if (!owned(column, row, who)) continue;
        any = true;
        const value = await readValue(column, row, ring);
        if (column.fields) {
          const fields = parseObject(value) ?? {};
          for (const [f, v] of Object.entries(fields)) {
            const category = fieldSpec(column, f).category;
            obj[`${column.name}.${f}`] = shown(category, v);
            push(table, key, `${column.name}.${f}`, category, shown(category, v));
          }
          continue;
        }
        const category = categoryOf(column, row);
        obj[column.name] = shown(category, value);
        push(table, key, column.name, category, shown(category, value));
      }
      if (any) out.push(obj);
    }
    if (out.length > 0) tables[`${target.name}.${table.name}`] = out;
  }
  return { values, tables };
}

function isSelected(category: string, categories: readonly string[] | 'all'): boolean {
  return categories === 'all' || categories.some((c) => isWithin(category, c));
}

export class Counter {
  readonly #map = new Map<string, ColumnReport & { rows: number }>();
  add(column: string, category: string, action: ColumnAction, exemption?: string): void {
    const k = `${column}\u0000${action}\u0000${category}`;
    const cur = this.#map.get(k);
    if (cur) cur.rows++;
    else this.#map.set(k, { column, category, action, rows: 1, ...(exemption ? { exemption } : {}) });
  }
  list(): ColumnReport[] {
    return [...this.#map.values()];
  }
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
  options: { categories: readonly string[] | 'all'; dryRun: boolean; collectedBefore?: string | undefined },
  deps: WalkDeps,
): Promise<DatasetDeletion> {
  const { categories, collectedBefore } = options;
  const run = async (db: AnyDb): Promise<DatasetDeletion> => {
    const ann = target.annotation;
    const found = await findRows(db, ann, who, deps.vault);
    // An expiry counted from collection reaches only the rows collected before its cut-off.
    if (collectedBefore !== undefined)
      for (const [table, rows] of found)
        found.set(
          table,
          rows.filter((r) => {
            const at = rowTime(r);
            return at !== undefined && at < collectedBefore;
          }),
        );
    const ring = deps.vault ? new KeyRing(deps.vault, db) : undefined;
    /** Row keys deleted (or that would be), per table. */
    const deleted = new Map<string, Set<string>>();
    const reports: TableReport[] = [];
    let changes = 0;
    // Children first, so a parent knows whether anything still points at it.
    for (const table of [...ann.tables].reverse()) {
      const rows = found.get(table.name) ?? [];
      const gone = new Set<string>();
      deleted.set(table.name, gone);
      if (rows.length === 0) continue;
      // A column naming its category per row may hold any: the rows decide.
      const touches = table.columns.some(
        (c) => c.categoryFrom !== undefined || allCategories(c).some((k) => isSelected(k, categories)),
      );
      if (!touches) continue;
      // Whether a row can go as a whole is decided per row: a column whose category depends on
      // another column (`category_by`: an identifier's kind) holds one category in this row, and an
      // empty column holds none. A table with a retained column never loses a row.
      const mayDeleteRows =
        !table.columns.some(
          (c) => c.onDelete === 'retain' || c.fields?.some((f) => f.onDelete === 'retain'),
        ) && table.columns.some((c) => c.onDelete === 'delete_row');
      const wholeRow = (row: Row): boolean =>
        mayDeleteRows &&
        table.columns.every(
          (c) => row[c.name] == null || rowCategories(c, row).every((k) => isSelected(k, categories)),
        );
      const whole = rows.some(wholeRow);
      const children = ann.tables.flatMap((t) =>
        t.links.filter((l) => l.table === table.name).map((l) => ({ child: t, link: l })),
      );
      const keys = new Set([...table.primaryKey, ...table.links.map((l) => l.column)]);
      const counter = new Counter();
      let rowsDeleted = 0;
      // Which rows still have a child pointing at them (children were handled first): one query
      // per link and chunk of keys, not one per row.
      const referenced = new Set<string>();
      if (whole) {
        for (const { child, link } of children) {
          const refs = [...new Set(rows.map((r) => r[link.references]).filter((v) => v != null))];
          const goneChildren = deleted.get(child.name) ?? new Set<string>();
          for (const chunk of chunks(refs, IN_LIST_CHUNK)) {
            const cols = sql.join([...child.primaryKey, link.column].map((k) => sql.ref(k)));
            const res =
              await sql<Row>`select ${cols} from ${sql.table(child.name)} where ${sql.ref(link.column)} in (${sql.join(chunk)})`.execute(
                db,
              );
            for (const r of res.rows)
              if (!goneChildren.has(rowKey(child, r)))
                referenced.add(`${link.references}\u0000${text(r[link.column])}`);
          }
        }
      }
      const toDelete: Row[] = [];
      const updates = new Map<string, { set: Record<string, unknown>; rows: Row[] }>();
      for (const row of rows) {
        const canDelete =
          wholeRow(row) &&
          table.columns.every((c) => row[c.name] == null || owned(c, row, who)) &&
          !children.some(
            ({ link }) =>
              row[link.references] != null &&
              referenced.has(`${link.references}\u0000${text(row[link.references])}`),
          );
        if (canDelete) {
          toDelete.push(row);
          gone.add(rowKey(table, row));
          rowsDeleted++;
          changes++;
          for (const c of table.columns)
            if (row[c.name] != null) counter.add(c.name, categoryOf(c, row), 'deleted');
          continue;
        }
        const set: Record<string, unknown> = {};
        for (const c of table.columns) {
          const current = row[c.name];
          if (current == null || !owned(c, row, who)) continue;
          // A key goes with its row or not at all: never nulled (it would break the links).
          if (keys.has(c.name) && c.onDelete === 'delete_row') continue;
          if (c.fields) {
            const obj = parseObject(await readValue(c, row, ring));
            if (!obj) continue;
            const kept: Record<string, unknown> = {};
            let removed = 0;
            for (const [f, v] of Object.entries(obj)) {
              const spec = fieldSpec(c, f);
              if (!isSelected(spec.category, categories)) kept[f] = v;
              else if (spec.onDelete === 'retain') {
                kept[f] = v;
                counter.add(`${c.name}.${f}`, spec.category, 'retained', spec.exemption);
              } else {
                removed++;
                counter.add(`${c.name}.${f}`, spec.category, 'deleted');
              }
            }
            if (removed === 0) continue;
            if (Object.keys(kept).length > 0) {
              set[c.name] = options.dryRun ? null : await storeValue(c, row, JSON.stringify(kept), ring);
              continue;
            }
            // Nothing left in the object: the column itself follows its strategy below.
          } else if (!isSelected(categoryOf(c, row), categories)) continue;
          const category = categoryOf(c, row);
          if (c.onDelete === 'retain') {
            counter.add(c.name, category, 'retained', c.exemption);
          } else if (c.onDelete === 'mask' || (c.onDelete === 'delete_row' && c.fallbackMask)) {
            const mask = maskFor(c, table, row);
            // A sealed column gets a sealed mask, so code that opens it still can; compare opened values.
            const shown = c.encrypted === 'vault' ? await readValue(c, row, ring) : current;
            if (shown !== null && String(shown) !== mask) {
              set[c.name] = options.dryRun ? mask : await sealedMask(c, row, mask, ring);
              if (!c.fields) counter.add(c.name, category, 'masked');
            }
          } else {
            set[c.name] = null;
            if (!c.fields) counter.add(c.name, category, 'nulled');
          }
        }
        const n = Object.keys(set).length;
        if (n === 0) continue;
        changes += n;
        // Rows getting the same values are updated together.
        const group = JSON.stringify(set);
        const entry = updates.get(group) ?? { set, rows: [] };
        entry.rows.push(row);
        updates.set(group, entry);
      }
      if (!options.dryRun) {
        await deleteRows(db, table, toDelete);
        for (const { set, rows: group } of updates.values()) await updateRows(db, table, group, set);
      }
      reports.push({
        dataset: target.name,
        table: table.name,
        rowsMatched: rows.length,
        rowsDeleted,
        columns: counter.list(),
      });
    }
    reports.reverse();
    const retained: Retained[] = reports.flatMap((r) =>
      r.columns
        .filter((c) => c.action === 'retained' && c.exemption)
        .map((c) => ({
          dataset: r.dataset,
          table: r.table,
          column: c.column,
          category: c.category,
          exemption: c.exemption ?? '',
          rows: c.rows,
        })),
    );
    return { tables: reports, retained, changes };
  };
  if (options.dryRun) return run(target.db);
  return target.db.transaction().execute(run);
}

/**
 * Checks an annotation against a live database: every annotated table and column (keys, links,
 * identities, owners, blind indexes) must exist. Returns problems by annotation path; reads no row.
 */
export async function verifyAgainstDatabase(
  db: AnyDb,
  annotation: DatasetAnnotation,
): Promise<{ path: PropertyKey[]; message: string }[]> {
  const problems: { path: PropertyKey[]; message: string }[] = [];
  for (const table of annotation.tables) {
    const needed = new Set<string>([
      ...table.primaryKey,
      ...table.identity.map((i) => i.column),
      ...table.links.map((l) => l.column),
      ...table.columns.flatMap((c) => [
        c.name,
        ...(c.subjectColumn ? [c.subjectColumn] : []),
        ...(c.vaultKey ? [c.vaultKey.column] : []),
        ...(c.blindIndex ? [c.blindIndex.column, ...(c.blindIndex.kindBy ? [c.blindIndex.kindBy] : [])] : []),
        ...(c.categoryBy ? [c.categoryBy.column] : []),
        ...(c.categoryFrom ? [c.categoryFrom] : []),
      ]),
    ]);
    try {
      await sql`select * from ${sql.table(table.name)} where 1 = 0`.execute(db);
    } catch (err) {
      // No database to check against (out of reach, or refusing the URL): one error, not every
      // table reported missing.
      if (notConnected(err))
        throw new VowError(
          'VOW_DATASET_UNAVAILABLE',
          `Cannot connect to the database to check against: ${err instanceof Error ? err.message : String(err)}; check the URL and that the database is running`,
          undefined,
          { cause: err },
        );
      problems.push({
        path: ['tables', table.name],
        message: `the database has no table "${table.name}" (${err instanceof Error ? err.message : String(err)})`,
      });
      continue;
    }
    for (const column of needed) {
      try {
        await sql`select ${sql.ref(column)} from ${sql.table(table.name)} where 1 = 0`.execute(db);
      } catch {
        const annotated = table.columns.some((c) => c.name === column);
        problems.push({
          path: annotated ? ['tables', table.name, 'columns', column] : ['tables', table.name],
          message: `the database table "${table.name}" has no column "${column}"`,
        });
      }
    }
  }
  return problems;
}
