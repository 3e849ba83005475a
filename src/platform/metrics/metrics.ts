// Prometheus metrics: one registry per app (so tests do not share counters), exposed at /metrics.
// Labels carry route patterns and outcomes, never ids or personal values.
import { Counter, collectDefaultMetrics, Gauge, Registry } from 'prom-client';
import { RequestSeries } from './request-series.js';

/** How a measurement ended (vow_analytics_events_total's outcome label). */
export type EventOutcome = 'stored' | 'dropped_no_visitor' | 'dropped_no_consent';

/** Series refreshed from the store each time /metrics is scraped (see onScrape). */
export type ScrapedSeries = 'openRequests' | 'promiseStatus' | 'openIncidents' | 'stateBreachNotices';

export class Metrics {
  readonly registry = new Registry();
  readonly #onScrape = new Map<ScrapedSeries, () => Promise<void>>();
  /** HTTP requests and their durations (vow_http_requests_total, vow_http_request_duration_seconds). */
  readonly requests = new RequestSeries({
    countName: 'vow_http_requests_total',
    countHelp: 'HTTP requests by method, route pattern and status code',
    durationName: 'vow_http_request_duration_seconds',
    durationHelp: 'HTTP request duration by route pattern',
    buckets: [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5],
  });
  /** Decisions by purpose and outcome, counted here and added to the counter when scraped. */
  readonly #decisionCounts = new Map<string, { allow: number; deny: number }>();
  readonly decisions = new Counter({
    name: 'vow_decisions_total',
    help: 'Decisions by purpose and outcome',
    labelNames: ['purpose', 'decision'] as const,
    registers: [this.registry],
    collect: () => {
      for (const [purpose, c] of this.#decisionCounts) {
        if (c.allow > 0) this.decisions.inc({ purpose, decision: 'allow' }, c.allow);
        if (c.deny > 0) this.decisions.inc({ purpose, decision: 'deny' }, c.deny);
        c.allow = 0;
        c.deny = 0;
      }
    },
  });
  /** Measurements by outcome, counted here and added to the counter when scraped. */
  readonly #eventCounts = new Map<EventOutcome, number>();
  readonly events = new Counter({
    name: 'vow_analytics_events_total',
    help: 'Analytics events accepted or dropped (no consent, invalid)',
    labelNames: ['outcome'] as const,
    registers: [this.registry],
    collect: () => {
      for (const [outcome, n] of this.#eventCounts) if (n > 0) this.events.inc({ outcome }, n);
      this.#eventCounts.clear();
    },
  });
  readonly openRequests = new Gauge({
    name: 'vow_open_requests',
    help: 'Open data subject requests by days left to their deadline (bucketed)',
    labelNames: ['days_left'] as const,
    registers: [this.registry],
    collect: () => this.#refresh('openRequests'),
  });
  readonly openIncidents = new Gauge({
    name: 'vow_open_incidents',
    help: 'Open personal-data breaches by their 72-hour clock: running, overdue (not notified, no decision of no risk), settled',
    labelNames: ['clock'] as const,
    registers: [this.registry],
    collect: () => this.#refresh('openIncidents'),
  });
  readonly stateBreachNotices = new Gauge({
    name: 'vow_state_breach_notices',
    help: 'US state breach notices owed on open breaches, not recorded: due within the reminder days (soon), past their deadline (overdue)',
    labelNames: ['status'] as const,
    registers: [this.registry],
    collect: () => this.#refresh('stateBreachNotices'),
  });
  readonly promiseStatus = new Gauge({
    name: 'vow_promise_kept',
    help: 'Whether each promise was kept at its last check (1 kept, 0 broken)',
    labelNames: ['promise'] as const,
    registers: [this.registry],
    collect: () => this.#refresh('promiseStatus'),
  });

  constructor(options: { defaultMetrics?: boolean } = {}) {
    for (const metric of this.requests.metrics()) this.registry.registerMetric(metric);
    if (options.defaultMetrics) collectDefaultMetrics({ register: this.registry, prefix: 'vow_' });
  }

  /**
   * Counts one answered HTTP request and its duration. `routeKey` is the matched route's config
   * object (undefined when none matched); `route` its pattern, never the concrete URL.
   */
  observeRequest(
    routeKey: object | undefined,
    method: string,
    route: string,
    status: number,
    seconds: number,
  ): void {
    this.requests.observe(routeKey, method, route, status, seconds);
  }

  /** Counts one decision (purpose names come from the policy: a bounded set). */
  countDecision(purpose: string, decision: 'allow' | 'deny'): void {
    let c = this.#decisionCounts.get(purpose);
    if (c === undefined) {
      c = { allow: 0, deny: 0 };
      this.#decisionCounts.set(purpose, c);
    }
    c[decision]++;
  }

  /** Counts one measurement stored or dropped (POST /v1/collect). */
  countEvent(outcome: EventOutcome): void {
    this.#eventCounts.set(outcome, (this.#eventCounts.get(outcome) ?? 0) + 1);
  }

  /** Sets how a gauge is refreshed from the store when /metrics is scraped (one source per series). */
  onScrape(series: ScrapedSeries, refresh: () => Promise<void>): void {
    this.#onScrape.set(series, refresh);
  }

  async #refresh(series: ScrapedSeries): Promise<void> {
    await this.#onScrape.get(series)?.();
  }
}
