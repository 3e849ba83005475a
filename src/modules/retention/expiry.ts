// What has outlived the policy's retention (P22, and a kind's own retention: P3 for gift recipients,
// P4 for correspondents), found once for the two that need it: the promise monitor, which reports it,
// and the enforcer, which erases it. Time makes data expire without any write, so this reads whole
// what can have expired:
// - identifiers (emails, phones, addresses): by their category and the kind of person they were
//   collected from, counted from collection or the order, or from the person's last activity (their
//   latest record, consent event or order);
// - every other annotated column of Vow's tables holding a value: counted from its row's collection
//   (the row's own time column is when it was collected, and goes with the row);
// - site measurements and forwards to Google Analytics: counted from when they were measured.
import { type Kysely, sql } from 'kysely';
import type { Database } from '../../platform/store/index.js';
import type { DatasetAnnotation } from '../datasets/index.js';
import { ROW_TIME_COLUMNS } from '../datasets/index.js';
import { isWithin, type Policy, type Retention } from '../policy/index.js';
import { MEASUREMENT_CATEGORIES, measurementCutoff, minusDuration } from '../site-analytics/index.js';
import { IDENTIFIER_CATEGORY } from '../subjects/index.js';

/** An identifier of one person kept past the retention of its category for their kind. */
export interface ExpiredIdentifier {
  readonly kind: 'identifier';
  readonly table: 'subject_identifiers';
  readonly row: string;
  readonly subjectId: string;
  readonly subjectKind: string | null;
  readonly entry: Retention;
  /** The instant before which this entry's data has expired. */
  readonly cutoff: string;
  /** When it was collected (or, for `from: last_activity`, the person's last activity). */
  readonly since: { readonly collected_at: string } | { readonly last_activity: string };
}

/** A value of an annotated column kept past its category's retention, counted from its row's time. */
export interface ExpiredColumn {
  readonly kind: 'column';
  readonly table: string;
  readonly row: string;
  readonly column: string;
  readonly timeColumn: string;
  readonly at: string;
  readonly entry: Retention;
}

/** Site measurements (or their forwards) older than the visitors' retention: counted, not listed. */
export interface ExpiredMeasurements {
  readonly kind: 'measurements';
  readonly table: 'analytics_events' | 'ga_forwards';
  readonly rows: number;
  readonly first: string;
  readonly oldest: string | null;
  readonly cutoff: string;
  readonly entry: Retention;
}

export type Expired = ExpiredIdentifier | ExpiredColumn | ExpiredMeasurements;

export interface ExpiryInput {
  readonly db: Kysely<Database>;
  readonly policy: Policy;
  /** The annotation of Vow's own tables (the `vow` dataset); columns are skipped without it. */
  readonly annotation: DatasetAnnotation | undefined;
  readonly now: Date;
}

/** The retention entry that governs a category for a kind: kind-specific first, then the deepest category. */
export function retentionEntry(
  policy: Policy,
  category: string,
  kind: string | undefined,
): Retention | undefined {
  const candidates = policy.doc.retention.filter(
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

/** The instant before which an entry's data has expired (undefined: kept until deletion). */
export function cutoffOf(entry: Retention | undefined, now: Date): string | undefined {
  if (!entry || entry.keep_for === 'until_deletion') return undefined;
  return minusDuration(now, entry.keep_for).toISOString();
}

async function inSlices<T>(items: readonly T[], size: number, fn: (slice: T[]) => Promise<void>) {
  for (let i = 0; i < items.length; i += size) await fn(items.slice(i, i + size));
}

/** The latest activity of each person: their newest record, consent event or order. */
export async function lastActivity(
  db: Kysely<Database>,
  people: readonly string[],
): Promise<Map<string, string>> {
  const out = new Map<string, string>();
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

function expiredIdentifier(
  row: { id: string; subject_id: string; subject_kind: string | null },
  entry: Retention,
  cutoff: string,
  since: ExpiredIdentifier['since'],
): ExpiredIdentifier {
  const { id, subject_id, subject_kind } = row;
  return {
    kind: 'identifier',
    table: 'subject_identifiers',
    row: id,
    subjectId: subject_id,
    subjectKind: subject_kind,
    entry,
    cutoff,
    since,
  };
}

async function identifiers(input: ExpiryInput, out: Expired[]): Promise<void> {
  const { policy, now } = input;
  const cutoffs = policy.doc.retention
    .map((r) => cutoffOf(r, now))
    .filter((c): c is string => c !== undefined);
  if (cutoffs.length === 0) return;
  const latest = cutoffs.sort().at(-1)!;
  const rows = await input.db
    .selectFrom('subject_identifiers')
    .select(['id', 'subject_id', 'kind', 'subject_kind', 'collected_at'])
    .where('collected_at', '<', latest)
    .execute();
  const pending: { row: (typeof rows)[number]; entry: Retention; cutoff: string }[] = [];
  for (const row of rows) {
    const category = IDENTIFIER_CATEGORY[row.kind as keyof typeof IDENTIFIER_CATEGORY] ?? 'contact';
    const entry = retentionEntry(policy, category, row.subject_kind ?? undefined);
    const cutoff = cutoffOf(entry, now);
    if (!entry || !cutoff || row.collected_at >= cutoff) continue;
    if (entry.from === 'last_activity') pending.push({ row, entry, cutoff });
    else out.push(expiredIdentifier(row, entry, cutoff, { collected_at: row.collected_at }));
  }
  const activity = await lastActivity(input.db, [...new Set(pending.map((p) => p.row.subject_id))]);
  for (const { row, entry, cutoff } of pending) {
    const last = activity.get(row.subject_id) ?? row.collected_at;
    if (last < cutoff) out.push(expiredIdentifier(row, entry, cutoff, { last_activity: last }));
  }
}

/**
 * Rows that prove something still in force never expire, however old: the latest consent event of
 * each person and channel is the proof of the consent (or withdrawal) they live under now (GDPR
 * Art. 7(1): the controller must be able to demonstrate consent; P11: an unsubscribe is kept). The
 * period of `consent` counts for the events it superseded.
 */
const IN_FORCE: Readonly<Record<string, ReturnType<typeof sql>>> = {
  consent_events: sql`and seq not in (select max(seq) from consent_events group by subject_ref, channel)`,
};

async function columns(input: ExpiryInput, out: Expired[]): Promise<void> {
  const { policy, now, db } = input;
  const schema = new Map(
    (await db.introspection.getTables()).map((t) => [t.name, new Set(t.columns.map((c) => c.name))]),
  );
  for (const t of input.annotation?.tables ?? []) {
    const cols = schema.get(t.name);
    const timeColumn = ROW_TIME_COLUMNS.find((c) => cols?.has(c));
    if (!timeColumn || t.name === 'subject_identifiers') continue;
    for (const c of t.columns) {
      // The row's own time is when it was collected: it goes with the row, never alone.
      if (c.categoryBy || c.name === timeColumn) continue;
      const categories = c.fields ? c.fields.map((f) => f.category) : [c.category];
      // A column goes when everything in it has expired: the latest expiry of its categories.
      const entries = categories.map((cat) => retentionEntry(policy, cat, undefined));
      if (entries.some((e) => !e || e.from === 'last_activity' || e.keep_for === 'until_deletion')) continue;
      const cutoffs = entries.map((e) => cutoffOf(e, now)!).sort();
      const cutoff = cutoffs[0]!;
      const entry = entries[cutoffs.indexOf(cutoff)] ?? entries[0]!;
      const key = t.primaryKey[0] ?? 'id';
      const masks = [c.maskWith, '{}', ''];
      const found = await sql<{
        k: string;
        at: string;
      }>`select ${sql.ref(key)} as k, ${sql.ref(timeColumn)} as at from ${sql.table(t.name)}
        where ${sql.ref(timeColumn)} < ${cutoff} and ${sql.ref(c.name)} is not null and cast(${sql.ref(c.name)} as text) not in (${sql.join(masks)})
        ${IN_FORCE[t.name] ?? sql``}`.execute(db);
      for (const r of found.rows)
        out.push({
          kind: 'column',
          table: t.name,
          row: String(r.k),
          column: c.name,
          timeColumn,
          at: r.at,
          entry,
        });
    }
  }
}

async function measurements(input: ExpiryInput, out: Expired[]): Promise<void> {
  const cutoff = measurementCutoff(input.policy, input.now);
  if (!cutoff) return;
  const before = cutoff.toISOString();
  const entry = input.policy.doc.retention.find((r) =>
    MEASUREMENT_CATEGORIES.some((c) => isWithin(c, r.category)),
  );
  if (!entry) return;
  for (const table of ['analytics_events', 'ga_forwards'] as const) {
    const r = await sql<{
      n: number;
      first: number | null;
      oldest: string | null;
    }>`select count(*) as n, min(id) as first, min(at) as oldest
      from ${sql.table(table)} where at < ${before}`.execute(input.db);
    const n = Number(r.rows[0]?.n ?? 0);
    if (n > 0)
      out.push({
        kind: 'measurements',
        table,
        rows: n,
        first: String(r.rows[0]?.first ?? ''),
        oldest: r.rows[0]?.oldest ?? null,
        cutoff: before,
        entry,
      });
  }
}

/** Everything kept past its retention at `now`, in a stable order (identifiers, columns, measurements). */
export async function findExpired(input: ExpiryInput): Promise<Expired[]> {
  const out: Expired[] = [];
  await identifiers(input, out);
  await columns(input, out);
  await measurements(input, out);
  return out;
}
