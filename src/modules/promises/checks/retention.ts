// Retention, category by category, from the policy's `retention` list and the annotations (P22, and
// the promise of a kind's own retention: P3 for gift recipients, P4 for correspondents): no value is
// kept past its period. Time makes data expire without any write, so this family keeps its own
// schedule: once a day (and in every full sweep), reading whole what can have expired.
// - identifiers (emails, phones, addresses, account ids): by their category and the kind of person
//   they were collected from, counted from collection, the order, or the person's last activity
//   (their latest record, consent event or order);
// - every other annotated column of Vow's tables holding a value: counted from its row's collection;
// - site measurements and forwards to Google Analytics: counted from when they were measured.
import { sql } from 'kysely';
import type { Retention } from '../../policy/index.js';
import { isWithin } from '../../policy/index.js';
import { MEASUREMENT_CATEGORIES, measurementCutoff, minusDuration } from '../../site-analytics/index.js';
import { IDENTIFIER_CATEGORY } from '../../subjects/index.js';
import { ALL, type Family, type FamilyEnv, inSlices, type Sink } from '../family.js';
import { ATTRIBUTION, type PolicyMap } from '../policy-map.js';

export const MARK_RETENTION_AT = 'retention.checked_at';
const DAY_MS = 24 * 60 * 60 * 1000;
/** Time columns of annotated tables, counted from when the row was collected. */
const COLLECTED_AT = ['collected_at', 'placed_at', 'received_at', 'registered_at', 'at', 'created_at'];

/** The retention entry that governs a category for a kind: kind-specific first, then the deepest category. */
function entryFor(map: PolicyMap, category: string, kind: string | undefined): Retention | undefined {
  const candidates = map.policy.doc.retention.filter(
    (r) =>
      isWithin(category, r.category) &&
      (!r.subject_kinds || (kind !== undefined && r.subject_kinds.includes(kind))),
  );
  candidates.sort(
    (a, b) =>
      Number(Boolean(b.subject_kinds)) - Number(Boolean(a.subject_kinds)) ||
      b.category.split('.').length - a.category.split('.').length,
  );
  return candidates[0];
}

function promiseOf(map: PolicyMap, entry: Retention): string {
  if (!entry.subject_kinds) return ATTRIBUTION.retention;
  return map.neverPromise(Object.keys(map.policy.doc.purposes), entry.subject_kinds) ?? ATTRIBUTION.retention;
}

function expired(entry: Retention | undefined, now: Date): string | undefined {
  if (!entry || entry.keep_for === 'until_deletion') return undefined;
  return minusDuration(now, entry.keep_for).toISOString();
}

/** The latest activity of each person: their newest record, consent event or order. */
async function lastActivity(env: FamilyEnv, people: readonly string[]): Promise<Map<string, string>> {
  const out = new Map<string, string>();
  const db = env.ctx.store.db;
  const keep = (id: string, at: string | null) => {
    if (at && (out.get(id) ?? '') < at) out.set(id, at);
  };
  await inSlices(people, 400, async (slice) => {
    for (const q of [
      sql<{
        id: string;
        at: string | null;
      }>`select subject_id as id, max(collected_at) as at from subject_records where subject_id in (${sql.join(slice)}) group by subject_id`,
      sql<{
        id: string;
        at: string | null;
      }>`select subject_ref as id, max(at) as at from consent_events where subject_ref in (${sql.join(slice)}) group by subject_ref`,
      sql<{
        id: string;
        at: string | null;
      }>`select buyer_subject_id as id, max(placed_at) as at from orders where buyer_subject_id in (${sql.join(slice)}) group by buyer_subject_id`,
    ])
      for (const r of (await q.execute(db)).rows) keep(r.id, r.at);
  });
  return out;
}

function flag(
  sink: Sink,
  map: PolicyMap,
  entry: Retention,
  table: string,
  row: string,
  values: Record<string, string | number | null>,
) {
  sink.add(ALL, {
    promise: promiseOf(map, entry),
    table,
    row,
    rule: 'retention.kept_too_long',
    reason: `Kept past the policy’s retention of ${entry.category} (${entry.keep_for} from ${entry.from.replace('_', ' ')})`,
    values: { category: entry.category, keep_for: entry.keep_for, from: entry.from, ...values },
  });
}

async function identifiers(env: FamilyEnv, sink: Sink): Promise<void> {
  const { map, now } = env;
  const cutoffs = map.policy.doc.retention
    .map((r) => expired(r, now))
    .filter((c): c is string => c !== undefined);
  if (cutoffs.length === 0) return;
  const latest = cutoffs.sort().at(-1)!;
  const rows = await env.ctx.store.db
    .selectFrom('subject_identifiers')
    .select(['id', 'subject_id', 'kind', 'subject_kind', 'collected_at'])
    .where('collected_at', '<', latest)
    .execute();
  const pending: { row: (typeof rows)[number]; entry: Retention; cutoff: string }[] = [];
  for (const row of rows) {
    const category = IDENTIFIER_CATEGORY[row.kind as keyof typeof IDENTIFIER_CATEGORY] ?? 'contact';
    const entry = entryFor(map, category, row.subject_kind);
    const cutoff = expired(entry, now);
    if (!entry || !cutoff || row.collected_at >= cutoff) continue;
    if (entry.from === 'last_activity') pending.push({ row, entry, cutoff });
    else
      flag(sink, map, entry, 'subject_identifiers', row.id, {
        subject: row.subject_id,
        kind: row.subject_kind,
        collected_at: row.collected_at,
      });
  }
  const activity = await lastActivity(env, [...new Set(pending.map((p) => p.row.subject_id))]);
  for (const { row, entry, cutoff } of pending) {
    const last = activity.get(row.subject_id) ?? row.collected_at;
    if (last < cutoff)
      flag(sink, map, entry, 'subject_identifiers', row.id, {
        subject: row.subject_id,
        kind: row.subject_kind,
        last_activity: last,
      });
  }
}

async function annotatedColumns(env: FamilyEnv, sink: Sink): Promise<void> {
  const { map, now } = env;
  const annotation = env.deps.datasets?.annotations().find((a) => a.name === 'vow');
  const db = env.ctx.store.db;
  const schema = new Map(
    (await db.introspection.getTables()).map((t) => [t.name, new Set(t.columns.map((c) => c.name))]),
  );
  for (const t of annotation?.tables ?? []) {
    const cols = schema.get(t.name);
    const timeColumn = COLLECTED_AT.find((c) => cols?.has(c));
    if (!timeColumn || t.name === 'subject_identifiers') continue;
    for (const c of t.columns) {
      if (c.categoryBy) continue;
      const categories = c.fields ? c.fields.map((f) => f.category) : [c.category];
      // A column goes when everything in it has expired: the latest expiry of its categories.
      const entries = categories.map((cat) => entryFor(map, cat, undefined));
      if (entries.some((e) => !e || e.from === 'last_activity' || e.keep_for === 'until_deletion')) continue;
      const cutoffs = entries.map((e) => expired(e, now)!).sort();
      const cutoff = cutoffs[0]!;
      const entry = entries[cutoffs.indexOf(cutoff)] ?? entries[0]!;
      const key = t.primaryKey[0] ?? 'id';
      const masks = [c.maskWith, '{}', ''];
      const found = await sql<{
        k: string;
        at: string;
      }>`select ${sql.ref(key)} as k, ${sql.ref(timeColumn)} as at from ${sql.table(t.name)}
        where ${sql.ref(timeColumn)} < ${cutoff} and ${sql.ref(c.name)} is not null and cast(${sql.ref(c.name)} as text) not in (${sql.join(masks)})`.execute(
        db,
      );
      for (const r of found.rows)
        flag(sink, map, entry, t.name, String(r.k), { column: c.name, [timeColumn]: r.at });
    }
  }
}

async function measurements(env: FamilyEnv, sink: Sink): Promise<void> {
  const cutoff = measurementCutoff(env.map.policy, env.now);
  if (!cutoff) return;
  const before = cutoff.toISOString();
  const entry = env.map.policy.doc.retention.find((r) =>
    MEASUREMENT_CATEGORIES.some((c) => isWithin(c, r.category)),
  );
  if (!entry) return;
  for (const table of ['analytics_events', 'ga_forwards'] as const) {
    const r = await sql<{
      n: number;
      first: number | null;
      oldest: string | null;
    }>`select count(*) as n, min(id) as first, min(at) as oldest
      from ${sql.table(table)} where at < ${before}`.execute(env.ctx.store.db);
    const n = Number(r.rows[0]?.n ?? 0);
    if (n > 0)
      flag(sink, env.map, entry, table, String(r.rows[0]?.first ?? ''), {
        rows: n,
        oldest: r.rows[0]?.oldest ?? null,
        cutoff: before,
      });
  }
}

export const retentionFamily: Family = {
  id: 'retention',
  covers(map) {
    const out: Record<string, string> = {
      [ATTRIBUTION.retention]: 'no value kept past the policy’s retention of its category (checked daily)',
    };
    for (const r of map.policy.doc.retention)
      if (r.subject_kinds)
        out[promiseOf(map, r)] = `no ${r.subject_kinds.join('/')} ${r.category} kept past ${r.keep_for}`;
    return out;
  },
  async run(env, sink) {
    const last = env.marks.get(MARK_RETENTION_AT);
    if (env.mode === 'incremental' && last && env.now.getTime() - Date.parse(last) < DAY_MS) return 'skipped';
    sink.checked(ALL);
    await identifiers(env, sink);
    await annotatedColumns(env, sink);
    await measurements(env, sink);
    env.marks.set(MARK_RETENTION_AT, env.now.toISOString());
    return 'done';
  },
};
