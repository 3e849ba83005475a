// Retention of site measurements: analytics_events and ga_forwards rows are deleted once the
// policy's retention for what they hold has passed (behaviour, and the device id they are keyed by:
// the shortest applies). A daily job does it (`analytics.purge_measurements`).
import { DAY_MS, type JobRunner, registerRecurringJob } from '../../platform/jobs/index.js';
import type { VowContext } from '../policy/index.js';
import { isWithin, type Policy } from '../policy/index.js';

export const PURGE_JOB = 'analytics.purge_measurements';
export const PURGE_EVERY_MS = DAY_MS;
/** The data categories a measurement row holds. */
export const MEASUREMENT_CATEGORIES = ['behaviour', 'device.cookie_id', 'device.browser_family'] as const;

/** `at` moved back by an ISO 8601 duration of years, months, weeks and days (UTC calendar). */
export function minusDuration(at: Date, iso: string): Date {
  const m = /^P(?:(\d+)Y)?(?:(\d+)M)?(?:(\d+)W)?(?:(\d+)D)?$/.exec(iso);
  if (!m || iso === 'P') throw new Error(`Unsupported retention duration ${iso}`);
  const d = new Date(at.getTime());
  d.setUTCFullYear(d.getUTCFullYear() - Number(m[1] ?? 0));
  d.setUTCMonth(d.getUTCMonth() - Number(m[2] ?? 0));
  d.setUTCDate(d.getUTCDate() - 7 * Number(m[3] ?? 0) - Number(m[4] ?? 0));
  return d;
}

/**
 * The instant before which measurements are past their retention: the latest cut-off among the
 * policy's retention rules for site visitors that cover a category a measurement holds (so the
 * shortest period wins). Undefined when the policy sets no period for them.
 */
export function measurementCutoff(policy: Policy, now: Date): Date | undefined {
  let cutoff: Date | undefined;
  for (const r of policy.doc.retention) {
    if (r.keep_for === 'until_deletion') continue;
    if (r.subject_kinds && !r.subject_kinds.includes('site_visitor')) continue;
    if (!MEASUREMENT_CATEGORIES.some((c) => isWithin(c, r.category))) continue;
    const c = minusDuration(now, r.keep_for);
    if (!cutoff || c > cutoff) cutoff = c;
  }
  return cutoff;
}

export async function purgeExpiredMeasurements(
  ctx: VowContext,
): Promise<{ events: number; forwards: number }> {
  const cutoff = measurementCutoff(ctx.policy, ctx.clock.now());
  if (!cutoff) return { events: 0, forwards: 0 };
  const before = cutoff.toISOString();
  return ctx.store.db.transaction().execute(async (trx) => {
    const events = await trx.deleteFrom('analytics_events').where('at', '<', before).executeTakeFirst();
    const forwards = await trx.deleteFrom('ga_forwards').where('at', '<', before).executeTakeFirst();
    const counts = { events: Number(events.numDeletedRows), forwards: Number(forwards.numDeletedRows) };
    if (counts.events + counts.forwards > 0)
      await ctx.audit.record(
        {
          actor: { type: 'system' },
          action: 'retention.purged',
          target: { type: 'table', id: 'analytics_events' },
          reason: 'site measurements past the retention period of the policy',
          // Counts only: an ISO date would look like a phone number to the audit's guard.
          details: counts,
        },
        trx,
      );
    return counts;
  });
}

/** Registers the daily purge; `schedule()` queues the next run (one per day, by idempotency key). */
export function registerPurgeJob(ctx: VowContext, jobs: JobRunner): { schedule: () => Promise<void> } {
  return registerRecurringJob(jobs, ctx.clock, {
    id: PURGE_JOB,
    everyMs: PURGE_EVERY_MS,
    run: () => purgeExpiredMeasurements(ctx),
  });
}
