// Retention, category by category, from the policy's `retention` list and the annotations (P22, and
// the promise of a kind's own retention: P3 for gift recipients, P4 for correspondents): no value is
// kept past its period. What has expired is found by the retention module (src/modules/retention),
// whose daily job erases it; this family reports whatever is still there. Time makes data expire
// without any write, so it keeps its own schedule: once a day, and in every full sweep.
import type { Retention } from '../../policy/index.js';
import { type Expired, findExpired } from '../../retention/index.js';
import { ALL, type Family, type Sink } from '../family.js';
import { ATTRIBUTION, type PolicyMap } from '../policy-map.js';

export const MARK_RETENTION_AT = 'retention.checked_at';
const DAY_MS = 24 * 60 * 60 * 1000;

function promiseOf(map: PolicyMap, entry: Retention): string {
  if (!entry.subject_kinds) return ATTRIBUTION.retention;
  return map.neverPromise(Object.keys(map.policy.doc.purposes), entry.subject_kinds) ?? ATTRIBUTION.retention;
}

/** The values a finding reports: what expired and since when, never the value itself. */
function valuesOf(e: Expired): Record<string, string | number | null> {
  if (e.kind === 'identifier') return { subject: e.subjectId, kind: e.subjectKind, ...e.since };
  if (e.kind === 'column') return { column: e.column, [e.timeColumn]: e.at };
  return { rows: e.rows, oldest: e.oldest, cutoff: e.cutoff };
}

function flag(sink: Sink, map: PolicyMap, e: Expired) {
  const { entry } = e;
  sink.add(ALL, {
    promise: promiseOf(map, entry),
    table: e.table,
    row: e.kind === 'measurements' ? e.first : e.row,
    rule: 'retention.kept_too_long',
    reason: `Kept past the policy’s retention of ${entry.category} (${entry.keep_for} from ${entry.from.replace('_', ' ')})`,
    values: { category: entry.category, keep_for: entry.keep_for, from: entry.from, ...valuesOf(e) },
  });
}

export const retentionFamily: Family = {
  id: 'retention',
  title: 'retention periods',
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
