// Recurring jobs (the hourly checks and anchors, the daily purges): one job per period, by an
// idempotency key naming the period, each run queueing the next at the start of the next period,
// so any number of processes calling `schedule()` queue it once.
import { z } from 'zod';
import type { Clock } from '../clock.js';
import { defineJob } from './define-job.js';
import type { JobRunner } from './job-runner.js';

export const QUARTER_HOUR_MS = 15 * 60 * 1000;
export const HOUR_MS = 60 * 60 * 1000;
export const DAY_MS = 24 * HOUR_MS;

export interface RecurringJob<R> {
  readonly id: string;
  /** The period: a quarter of an hour, an hour or a day (the idempotency key names its start). */
  readonly everyMs: number;
  /** The work of one run; what it answers is kept as the job's result (ids and counts only). */
  readonly run: () => Promise<R>;
}

/** `id:` and the period's start, to the day, the hour or (shorter periods) the minute. */
function periodKey(id: string, at: Date, everyMs: number): string {
  const start = new Date(Math.floor(at.getTime() / everyMs) * everyMs).toISOString();
  return `${id}:${start.slice(0, everyMs >= DAY_MS ? 10 : everyMs >= HOUR_MS ? 13 : 16)}`;
}

/** Registers the job; `schedule()` queues this period's run (once, however often it is called). */
export function registerRecurringJob<R>(
  jobs: JobRunner,
  clock: Clock,
  spec: RecurringJob<R>,
): { schedule: () => Promise<void> } {
  const scheduleAt = async (at: Date) => {
    await jobs.enqueue({
      name: spec.id,
      payload: {},
      idempotencyKey: periodKey(spec.id, at, spec.everyMs),
      runAt: at,
    });
  };
  jobs.register(
    defineJob({
      id: spec.id,
      version: 1,
      schema: z.object({}),
      handler: async () => {
        const result = await spec.run();
        const now = clock.now().getTime();
        await scheduleAt(new Date(Math.floor(now / spec.everyMs) * spec.everyMs + spec.everyMs));
        return result;
      },
    }),
  );
  return { schedule: () => scheduleAt(clock.now()) };
}
