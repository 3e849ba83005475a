// The change journal: which people, visitors and rows were written since the last check, so an
// incremental run reads only them, whatever wrote them (Vow itself, a hand edit in SQL, an import, a
// partial restore). Triggers, derived from the erasure registry (every table that names people, by
// its own column or through another table) plus the few tables checked row by row, add an entry to
// promise_changes for each row written; the entry's counter lets a run clear only what it saw.
// The monitor installs the triggers itself and checks they are all there at every run: one missing
// (a new table, or a trigger dropped) makes that run a full sweep.
import { createHash } from 'node:crypto';
import { type Kysely, sql } from 'kysely';
import type { Database, DialectName } from '../../platform/store/index.js';
import { inSlices } from './family.js';
import type { DeclaredTable } from './types.js';

export interface JournalSpec {
  readonly table: string;
  /** Each entry written: `prefix` + the column's value (skipped when null). */
  readonly refs: readonly { readonly prefix: string; readonly column: string }[];
  /** `all`: inserts too; `changes`: only updates and deletes (append-only tables read by watermark). */
  readonly ops: 'all' | 'changes';
}

/** Tables checked row by row (no person column, or not always one): journaled by their key. */
export const ROW_TABLES: Readonly<Record<string, string>> = {
  rights_requests: 'id',
  rights_exports: 'id',
  complaints: 'id',
  complaint_replies: 'id',
  staff_accounts: 'id',
  mail_outbox: 'id',
};

/** Append-only tables read by watermark: only a change or a removal of a row is journaled. */
const APPEND_ONLY: readonly JournalSpec[] = [
  { table: 'audit_log', refs: [{ prefix: 'row:audit_log:', column: 'seq' }], ops: 'changes' },
  { table: 'analytics_events', refs: [{ prefix: 'visitor:', column: 'visitor_id' }], ops: 'changes' },
];

/** The triggers to have, from the registry's declarations. */
export function journalSpecs(tables: readonly DeclaredTable[]): JournalSpec[] {
  const specs = new Map<string, { prefix: string; column: string }[]>();
  const add = (table: string, prefix: string, column: string) => {
    const list = specs.get(table) ?? [];
    if (!list.some((r) => r.prefix === prefix && r.column === column)) list.push({ prefix, column });
    specs.set(table, list);
  };
  for (const t of tables) {
    if (t.fate.fate === 'impersonal' || !t.fate.person) continue;
    const link = t.fate.person;
    add(t.table, link.via ? `via:${t.table}:` : '', link.column);
  }
  for (const [table, key] of Object.entries(ROW_TABLES)) add(table, `row:${table}:`, key);
  add('ga_forwards', 'visitor:', 'visitor_id');
  return [
    ...[...specs.entries()]
      .sort(([a], [b]) => (a < b ? -1 : 1))
      .map(([table, refs]) => ({ table, refs, ops: 'all' as const })),
    ...APPEND_ONLY,
  ];
}

function triggerName(spec: JournalSpec, op?: string): string {
  const hash = createHash('sha256').update(JSON.stringify(spec)).digest('hex').slice(0, 8);
  return `vow_pj_${spec.table}${op ? `_${op}` : ''}_${hash}`;
}

const PG_FUNCTION = sql`create or replace function vow_promise_journal() returns trigger language plpgsql as $$
declare i int; v text; o text;
begin
  for i in 0 .. tg_nargs / 2 - 1 loop
    v := null;
    if tg_op <> 'DELETE' then
      v := to_jsonb(new) ->> tg_argv[2 * i + 1];
      if v is not null then
        insert into promise_changes (ref, n) values (tg_argv[2 * i] || v, 1)
          on conflict (ref) do update set n = promise_changes.n + 1;
      end if;
    end if;
    if tg_op <> 'INSERT' then
      o := to_jsonb(old) ->> tg_argv[2 * i + 1];
      if o is not null and o is distinct from v then
        insert into promise_changes (ref, n) values (tg_argv[2 * i] || o, 1)
          on conflict (ref) do update set n = promise_changes.n + 1;
      end if;
    end if;
  end loop;
  return null;
end $$`;

function sqliteBody(spec: JournalSpec, rowVars: readonly ('new' | 'old')[]): string {
  const stmts: string[] = [];
  for (const r of spec.refs)
    for (const v of rowVars)
      stmts.push(
        `insert into promise_changes (ref, n) select '${r.prefix}' || ${v}."${r.column}", 1 where ${v}."${r.column}" is not null on conflict (ref) do update set n = n + 1;`,
      );
  return stmts.join('\n  ');
}

/** The triggers that exist now, by name. */
async function existing(db: Kysely<Database>, dialect: DialectName): Promise<Map<string, string>> {
  const rows =
    dialect === 'postgres'
      ? await sql<{ name: string; tbl: string }>`select t.tgname as name, c.relname as tbl from pg_trigger t
          join pg_class c on c.oid = t.tgrelid where t.tgname like 'vow_pj_%' and not t.tgisinternal`.execute(
          db,
        )
      : await sql<{ name: string; tbl: string }>`select name, tbl_name as tbl from sqlite_master
          where type = 'trigger' and name like 'vow_pj_%'`.execute(db);
  return new Map(rows.rows.map((r) => [r.name, r.tbl]));
}

/**
 * Makes the journal's triggers exactly those the specs ask for (on tables that exist). Answers
 * whether they were all there already: if not, changes made meanwhile went unrecorded and the run
 * must be a full sweep.
 */
export async function ensureJournal(
  db: Kysely<Database>,
  dialect: DialectName,
  specs: readonly JournalSpec[],
): Promise<{ complete: boolean; installed: number }> {
  const tables = new Set((await db.introspection.getTables()).map((t) => t.name));
  const have = await existing(db, dialect);
  const want = new Map<string, { spec: JournalSpec; op?: string }>();
  for (const spec of specs) {
    if (!tables.has(spec.table)) continue;
    if (dialect === 'postgres') want.set(triggerName(spec), { spec });
    else
      for (const op of spec.ops === 'all' ? ['i', 'u', 'd'] : ['u', 'd'])
        want.set(triggerName(spec, op), { spec, op });
  }
  let complete = true;
  let installed = 0;
  for (const [name, tbl] of have)
    if (!want.has(name)) {
      await sql
        .raw(
          dialect === 'postgres'
            ? `drop trigger if exists "${name}" on "${tbl}"`
            : `drop trigger if exists "${name}"`,
        )
        .execute(db);
    }
  if (dialect === 'postgres' && [...want.keys()].some((n) => !have.has(n))) await PG_FUNCTION.execute(db);
  for (const [name, { spec, op }] of want) {
    if (have.has(name)) continue;
    complete = false;
    installed++;
    await createTrigger(db, dialect, name, spec, op).catch(async (err: unknown) => {
      // Another process installing the same trigger at the same moment is no failure.
      if (!(await existing(db, dialect)).has(name)) throw err;
    });
  }
  return { complete, installed };
}

async function createTrigger(
  db: Kysely<Database>,
  dialect: DialectName,
  name: string,
  spec: JournalSpec,
  op: string | undefined,
): Promise<void> {
  if (dialect === 'postgres') {
    const args = spec.refs.flatMap((r) => [`'${r.prefix}'`, `'${r.column}'`]).join(', ');
    const events = spec.ops === 'all' ? 'insert or update or delete' : 'update or delete';
    await sql
      .raw(
        `create trigger "${name}" after ${events} on "${spec.table}" for each row execute function vow_promise_journal(${args})`,
      )
      .execute(db);
    return;
  }
  const event = op === 'i' ? 'insert' : op === 'u' ? 'update' : 'delete';
  const vars: ('new' | 'old')[] = op === 'i' ? ['new'] : op === 'd' ? ['old'] : ['new', 'old'];
  await sql
    .raw(
      `create trigger if not exists "${name}" after ${event} on "${spec.table}" begin\n  ${sqliteBody(spec, vars)}\nend`,
    )
    .execute(db);
}

export interface JournalSnapshot {
  readonly entries: readonly { readonly ref: string; readonly n: number }[];
}

export async function readJournal(db: Kysely<Database>): Promise<JournalSnapshot> {
  const rows = await db.selectFrom('promise_changes').select(['ref', 'n']).execute();
  return { entries: rows.map((r) => ({ ref: r.ref, n: Number(r.n) })) };
}

/** Clears the entries a run saw (an entry written again meanwhile has a higher count and stays). */
export async function clearJournal(db: Kysely<Database>, snapshot: JournalSnapshot): Promise<void> {
  await inSlices(snapshot.entries, 300, async (slice) => {
    await sql`delete from promise_changes where ${sql.join(
      slice.map((e) => sql`(ref = ${e.ref} and n = ${e.n})`),
      sql` or `,
    )}`.execute(db);
  });
}

/** What the journal names: people and visitors to re-check, and rows by table. */
export async function resolveJournal(
  db: Kysely<Database>,
  snapshot: JournalSnapshot,
  tables: readonly DeclaredTable[],
): Promise<{ refs: Set<string>; rows: Map<string, string[]> }> {
  const refs = new Set<string>();
  const rows = new Map<string, string[]>();
  const via = new Map<string, string[]>();
  for (const { ref } of snapshot.entries) {
    if (ref.startsWith('row:')) {
      const rest = ref.slice(4);
      const at = rest.indexOf(':');
      const table = rest.slice(0, at);
      rows.set(table, [...(rows.get(table) ?? []), rest.slice(at + 1)]);
    } else if (ref.startsWith('via:')) {
      const rest = ref.slice(4);
      const at = rest.indexOf(':');
      const table = rest.slice(0, at);
      via.set(table, [...(via.get(table) ?? []), rest.slice(at + 1)]);
    } else if (ref.startsWith('visitor:') || !ref.includes(':')) refs.add(ref);
  }
  for (const [table, keys] of via) {
    const fate = tables.find((t) => t.table === table)?.fate;
    const link = fate && fate.fate !== 'impersonal' ? fate.person?.via : undefined;
    if (!link) continue;
    await inSlices(keys, 400, async (slice) => {
      const found = await sql<{
        p: string | null;
      }>`select ${sql.ref(link.column)} as p from ${sql.table(link.table)}
        where ${sql.ref(link.key)} in (${sql.join(slice)})`.execute(db);
      for (const r of found.rows) if (r.p) refs.add(r.p);
    });
  }
  return { refs, rows };
}
