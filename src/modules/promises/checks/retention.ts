// Retention, category by category, from the policy's `retention` list and the annotations (P22, and
// the promise of a kind's own retention: P3 for gift recipients, P4 for correspondents): no value is
// kept past its period. What has expired is found by the retention module (src/modules/retention),
// whose daily job erases it; this family reports whatever is still there. Time makes data expire
// without any write, so it keeps its own schedule: once a day, and in every full sweep.
import { isWithin } from '../../policy/index.js';
import { cutoffOf, type Expired, findExpired, lastActivity, retentionEntry } from '../../retention/index.js';
import { MEASUREMENT_CATEGORIES, measurementCutoff } from '../../site-analytics/index.js';
import { IDENTIFIER_CATEGORY } from '../../subjects/index.js';
import { retentionCover, retentionPromiseOf } from '../covers.js';
import { ALL, type Family, type FamilyEnv, type Sink } from '../family.js';
import type { PersonBatch } from '../person-batch.js';
import type { PolicyMap } from '../policy-map.js';

export const MARK_RETENTION_AT = 'retention.checked_at';
const DAY_MS = 24 * 60 * 60 * 1000;

/** The values a finding reports: what expired and since when, never the value itself. */
function valuesOf(e: Expired): Record<string, string | number | null> {
  if (e.kind === 'identifier') return { subject: e.subjectId, kind: e.subjectKind, ...e.since };
  if (e.kind === 'column') return { column: e.column, [e.timeColumn]: e.at };
  return { rows: e.rows, oldest: e.oldest, cutoff: e.cutoff };
}

function flag(sink: Sink, map: PolicyMap, e: Expired, scope = ALL) {
  const { entry } = e;
  sink.add(scope, {
    promise: retentionPromiseOf(map, entry),
    table: e.table,
    row: e.kind === 'measurements' ? e.first : e.row,
    rule: 'retention.kept_too_long',
    reason: `Kept past the policy’s retention of ${entry.category} (${entry.keep_for} from ${entry.from.replace('_', ' ')})`,
    values: { category: entry.category, keep_for: entry.keep_for, from: entry.from, ...valuesOf(e) },
  });
}

/** Whether this run leaves the daily check out (an incremental run within a day of the last one). */
function skipsDaily(env: FamilyEnv): boolean {
  const last = env.marks.get(MARK_RETENTION_AT);
  return env.mode === 'incremental' && last !== undefined && env.now.getTime() - Date.parse(last) < DAY_MS;
}

/**
 * Between two daily checks, what was written since the last run is checked too: a row imported or
 * restored already past its retention (an identifier of the people written, a measurement or forward
 * of the visitors written) is reported at once, not the next day. Annotated columns of other tables
 * wait for the daily check.
 */
async function checkWritten(batch: PersonBatch, env: FamilyEnv, sink: Sink): Promise<void> {
  if (!skipsDaily(env)) return;
  const { policy } = env.map;
  const pending: { e: Extract<Expired, { kind: 'identifier' }>; person: string; at: string }[] = [];
  for (const [person, rows] of await batch.identifiers())
    for (const row of rows) {
      const category = IDENTIFIER_CATEGORY[row.kind as keyof typeof IDENTIFIER_CATEGORY] ?? 'contact';
      const entry = retentionEntry(policy, category, row.subject_kind ?? undefined);
      const cutoff = cutoffOf(entry, env.now);
      if (!entry || !cutoff || row.collected_at >= cutoff) continue;
      const e = {
        kind: 'identifier' as const,
        table: 'subject_identifiers' as const,
        row: row.id,
        subjectId: person,
        subjectKind: row.subject_kind,
        entry,
        cutoff,
        since: { collected_at: row.collected_at },
      };
      if (entry.from === 'last_activity') pending.push({ e, person, at: row.collected_at });
      else flag(sink, env.map, e, person);
    }
  const activity = await lastActivity(env.ctx.store.db, [...new Set(pending.map((p) => p.person))]);
  for (const { e, person, at } of pending) {
    const last = activity.get(person) ?? at;
    if (last < e.cutoff) flag(sink, env.map, { ...e, since: { last_activity: last } }, person);
  }
  const cutoff = measurementCutoff(policy, env.now)?.toISOString();
  const entry = policy.doc.retention.find((r) => MEASUREMENT_CATEGORIES.some((c) => isWithin(c, r.category)));
  if (!cutoff || !entry || batch.visitors.length === 0) return;
  const tables = [
    ['analytics_events', await batch.measurements()],
    ['ga_forwards', await batch.gaForwards()],
  ] as const;
  for (const [table, byVisitor] of tables)
    for (const ref of batch.visitors)
      for (const m of byVisitor.get(ref) ?? [])
        if (m.at < cutoff)
          flag(
            sink,
            env.map,
            { kind: 'measurements', table, rows: 1, first: String(m.id), oldest: m.at, cutoff, entry },
            ref,
          );
}

export const retentionFamily: Family = {
  ...retentionCover,
  people: checkWritten,
  async full() {},
  async run(env, sink) {
    if (skipsDaily(env)) return 'skipped';
    sink.checked(ALL);
    const annotation = env.deps.datasets?.annotations().find((a) => a.name === 'vow');
    const expired = await findExpired({
      db: env.ctx.store.db,
      policy: env.map.policy,
      annotation,
      now: env.now,
    });
    for (const e of expired) flag(sink, env.map, e);
    env.marks.set(MARK_RETENTION_AT, env.now.toISOString());
    return 'done';
  },
};
