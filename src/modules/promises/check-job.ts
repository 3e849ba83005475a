import type { Clock } from '../../platform/clock.js';
import { HOUR_MS, type JobRunner, registerRecurringJob } from '../../platform/jobs/index.js';
import type { Metrics } from '../../platform/metrics/index.js';
import type { PromiseAlerts } from './alerts.js';
import type { RunRequest } from './promise-monitor.js';
import type { CheckRunner } from './runner.js';
import type { RunSummary } from './types.js';

export const PROMISE_CHECK_JOB = 'promises.check';
export const CHECK_EVERY_MS = HOUR_MS;

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
  return registerRecurringJob(jobs, clock, {
    id: PROMISE_CHECK_JOB,
    everyMs: CHECK_EVERY_MS,
    run: async () => {
      const summary = await checks.run('auto');
      return {
        mode: summary.mode,
        ms: Math.round(summary.durationMs),
        kept: summary.results.filter((r) => r.status === 'kept').length,
        broken: summary.results.filter((r) => r.status === 'broken').map((r) => r.promise),
      };
    },
  });
}
