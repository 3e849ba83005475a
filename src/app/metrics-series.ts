// Gauges read from the store when /metrics is scraped: open data subject requests by days left to
// their deadline, open breaches by their 72-hour clock, the US state breach notices due soon or
// overdue, and each promise's status at its latest check (so a restarted process, or one that never
// ran the checks itself, still reports them).

import { type IncidentService, type IncidentStates, stageOf } from '../modules/incidents/index.js';
import type { PromiseMonitor } from '../modules/promises/index.js';
import { setPromiseGauges } from '../modules/promises/index.js';
import type { RightsService } from '../modules/rights/index.js';
import type { Metrics } from '../platform/metrics/index.js';

/** The days_left label values, in order; every bucket is always reported (0 when empty). */
export const DAYS_LEFT_BUCKETS = ['overdue', '0-7', '8-14', '15-30', '31+'] as const;

export function daysLeftBucket(daysLeft: number, overdue: boolean): (typeof DAYS_LEFT_BUCKETS)[number] {
  if (overdue || daysLeft < 0) return 'overdue';
  if (daysLeft <= 7) return '0-7';
  if (daysLeft <= 14) return '8-14';
  if (daysLeft <= 30) return '15-30';
  return '31+';
}

export function installScrapedSeries(
  metrics: Metrics,
  deps: {
    readonly rights: RightsService;
    readonly monitor: PromiseMonitor;
    readonly incidents: IncidentService;
    readonly incidentStates: IncidentStates;
    /** Days before a state deadline a notice counts as due soon (VOW_BREACH_REMINDER_DAYS). */
    readonly reminderDays: number;
  },
): void {
  metrics.onScrape('openRequests', async () => {
    const counts = new Map<string, number>(DAYS_LEFT_BUCKETS.map((b) => [b, 0]));
    for (const r of await deps.rights.queue()) {
      const b = daysLeftBucket(r.daysLeft, r.overdue);
      counts.set(b, (counts.get(b) ?? 0) + 1);
    }
    for (const [b, n] of counts) metrics.openRequests.set({ days_left: b }, n);
  });
  metrics.onScrape('promiseStatus', async () => {
    const latest = await deps.monitor.latest();
    if (latest) setPromiseGauges(metrics, latest.results);
  });
  metrics.onScrape('openIncidents', async () => {
    const counts = { running: 0, overdue: 0, settled: 0 };
    for (const i of await deps.incidents.list())
      counts[i.clock.state === 'running' || i.clock.state === 'overdue' ? i.clock.state : 'settled']++;
    for (const [clock, n] of Object.entries(counts)) metrics.openIncidents.set({ clock }, n);
  });
  metrics.onScrape('stateBreachNotices', async () => {
    const counts = { soon: 0, overdue: 0 };
    for (const d of await deps.incidentStates.openDeadlines()) {
      const stage = stageOf(d, deps.reminderDays);
      if (stage) counts[stage === 'overdue' ? 'overdue' : 'soon']++;
    }
    for (const [status, n] of Object.entries(counts)) metrics.stateBreachNotices.set({ status }, n);
  });
}
