// The scheduled promise checks: every hour the monitor runs every check (each run is kept in
// promise_checks, so the history stays), the promise gauges are set, and the job queues its next
// run (one job per hour, by idempotency key). `vow serve` queues the first.
import { z } from 'zod';
import { defineJob, type JobRunner } from '../../platform/jobs/index.js';
import type { Metrics } from '../../platform/metrics/index.js';
import type { VowContext } from '../policy/index.js';
import type { PromiseMonitor } from './promise-monitor.js';

export const PROMISE_CHECK_JOB = 'promises.check';
export const CHECK_EVERY_MS = 60 * 60 * 1000;

function hourKey(at: Date): string {
  return `${PROMISE_CHECK_JOB}:${at.toISOString().slice(0, 13)}`;
}

/** Sets vow_promise_kept from results (1 kept, 0 broken; promises proven by tests only are left out). */
export function setPromiseGauges(
  metrics: Metrics,
  results: readonly { promise: string; status: string }[],
): void {
  metrics.promiseStatus.reset();
  for (const r of results) {
    if (r.status === 'kept' || r.status === 'broken')
      metrics.promiseStatus.set({ promise: r.promise }, r.status === 'kept' ? 1 : 0);
  }
}

export function registerPromiseCheckJob(
  ctx: VowContext,
  jobs: JobRunner,
  monitor: PromiseMonitor,
  metrics: Metrics,
): { schedule: () => Promise<void> } {
  const scheduleAt = async (at: Date) => {
    await jobs.enqueue({ name: PROMISE_CHECK_JOB, payload: {}, idempotencyKey: hourKey(at), runAt: at });
  };
  jobs.register(
    defineJob({
      id: PROMISE_CHECK_JOB,
      version: 1,
      schema: z.object({}),
      handler: async () => {
        const results = await monitor.check();
        setPromiseGauges(metrics, results);
        const next = new Date(
          Math.floor(ctx.clock.now().getTime() / CHECK_EVERY_MS) * CHECK_EVERY_MS + CHECK_EVERY_MS,
        );
        await scheduleAt(next);
        return {
          kept: results.filter((r) => r.status === 'kept').length,
          broken: results.filter((r) => r.status === 'broken').map((r) => r.promise),
        };
      },
    }),
  );
  return { schedule: () => scheduleAt(ctx.clock.now()) };
}
