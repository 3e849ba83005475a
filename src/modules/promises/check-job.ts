// The promise checks as a service and a schedule. `PromiseChecks.run` runs the checks where they do
// not stall requests (runner.ts), then sets the promise gauges and alerts (alerts.ts). Every hour the
// `promises.check` job runs them incrementally (a full sweep at least once a day) and queues its next
// run (one job per hour, by idempotency key); `vow serve` queues the first.
import { z } from 'zod';
import type { Clock } from '../../platform/clock.js';
import { defineJob, type JobRunner } from '../../platform/jobs/index.js';
import type { Metrics } from '../../platform/metrics/index.js';
import type { PromiseAlerts } from './alerts.js';
import type { RunRequest } from './promise-monitor.js';
import type { CheckRunner } from './runner.js';
import type { RunSummary } from './types.js';

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

export class PromiseChecks {
  readonly #runner: CheckRunner;
  readonly #inline: CheckRunner;
  readonly #alerts: PromiseAlerts;
  readonly #metrics: Metrics;
  readonly #clock: Clock;

  /** `runner` runs a check off the request path; `inline` in this thread (the CLI, a store in memory). */
  constructor(deps: {
    runner: CheckRunner;
    inline: CheckRunner;
    alerts: PromiseAlerts;
    metrics: Metrics;
    clock: Clock;
  }) {
    this.#runner = deps.runner;
    this.#inline = deps.inline;
    this.#alerts = deps.alerts;
    this.#metrics = deps.metrics;
    this.#clock = deps.clock;
  }

  /** Where checks run by default: `worker` or `inline`. */
  get where(): 'inline' | 'worker' {
    return this.#runner.kind;
  }

  /** Runs the checks (`full`, `incremental`, or `auto`: incremental with a daily full sweep), then gauges and alerts. */
  async run(mode: RunRequest, options: { inline?: boolean } = {}): Promise<RunSummary> {
    const runner = options.inline ? this.#inline : this.#runner;
    const summary = await runner.run(mode, this.#clock.now());
    setPromiseGauges(this.#metrics, summary.results);
    await this.#alerts.notify(summary);
    return summary;
  }
}

export function registerPromiseCheckJob(
  clock: Clock,
  jobs: JobRunner,
  checks: PromiseChecks,
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
        const summary = await checks.run('auto');
        const next = new Date(
          Math.floor(clock.now().getTime() / CHECK_EVERY_MS) * CHECK_EVERY_MS + CHECK_EVERY_MS,
        );
        await scheduleAt(next);
        return {
          mode: summary.mode,
          ms: Math.round(summary.durationMs),
          kept: summary.results.filter((r) => r.status === 'kept').length,
          broken: summary.results.filter((r) => r.status === 'broken').map((r) => r.promise),
        };
      },
    }),
  );
  return { schedule: () => scheduleAt(clock.now()) };
}
