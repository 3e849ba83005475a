// Prometheus metrics: one registry per app (so tests do not share counters), exposed at /metrics.
// Labels carry route patterns and outcomes, never ids or personal values.
import { Counter, collectDefaultMetrics, Gauge, Histogram, Registry } from 'prom-client';

/** Series refreshed from the store each time /metrics is scraped (see onScrape). */
export type ScrapedSeries = 'openRequests' | 'promiseStatus';

export class Metrics {
  readonly registry = new Registry();
  readonly #onScrape = new Map<ScrapedSeries, () => Promise<void>>();
  readonly httpRequests = new Counter({
    name: 'vow_http_requests_total',
    help: 'HTTP requests by method, route pattern and status code',
    labelNames: ['method', 'route', 'status'] as const,
    registers: [this.registry],
  });
  readonly httpDuration = new Histogram({
    name: 'vow_http_request_duration_seconds',
    help: 'HTTP request duration by route pattern',
    labelNames: ['route'] as const,
    buckets: [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5],
    registers: [this.registry],
  });
  readonly decisions = new Counter({
    name: 'vow_decisions_total',
    help: 'Decisions by purpose and outcome',
    labelNames: ['purpose', 'decision'] as const,
    registers: [this.registry],
  });
  readonly events = new Counter({
    name: 'vow_analytics_events_total',
    help: 'Analytics events accepted or dropped (no consent, invalid)',
    labelNames: ['outcome'] as const,
    registers: [this.registry],
  });
  readonly openRequests = new Gauge({
    name: 'vow_open_requests',
    help: 'Open data subject requests by days left to their deadline (bucketed)',
    labelNames: ['days_left'] as const,
    registers: [this.registry],
    collect: () => this.#refresh('openRequests'),
  });
  readonly promiseStatus = new Gauge({
    name: 'vow_promise_kept',
    help: 'Whether each promise was kept at its last check (1 kept, 0 broken)',
    labelNames: ['promise'] as const,
    registers: [this.registry],
    collect: () => this.#refresh('promiseStatus'),
  });

  /** Label-bound series per method, route and status: binding labels once keeps this off the request's cost. */
  readonly #requestSeries = new Map<
    string,
    { count: { inc(): void }; duration: { observe(v: number): void } }
  >();

  constructor(options: { defaultMetrics?: boolean } = {}) {
    if (options.defaultMetrics) collectDefaultMetrics({ register: this.registry, prefix: 'vow_' });
  }

  /** Counts one answered HTTP request and its duration (route is the pattern, never the URL). */
  observeRequest(method: string, route: string, status: number, seconds: number): void {
    const key = `${method} ${route} ${status}`;
    let series = this.#requestSeries.get(key);
    if (!series) {
      series = {
        count: this.httpRequests.labels(method, route, String(status)),
        duration: this.httpDuration.labels(route),
      };
      this.#requestSeries.set(key, series);
    }
    series.count.inc();
    series.duration.observe(seconds);
  }

  readonly #decisionSeries = new Map<string, { inc(): void }>();

  /** Counts one decision (purpose names come from the policy: a bounded set). */
  countDecision(purpose: string, decision: 'allow' | 'deny'): void {
    const key = `${purpose} ${decision}`;
    let series = this.#decisionSeries.get(key);
    if (!series) {
      series = this.decisions.labels(purpose, decision);
      this.#decisionSeries.set(key, series);
    }
    series.inc();
  }

  /** Sets how a gauge is refreshed from the store when /metrics is scraped (one source per series). */
  onScrape(series: ScrapedSeries, refresh: () => Promise<void>): void {
    this.#onScrape.set(series, refresh);
  }

  async #refresh(series: ScrapedSeries): Promise<void> {
    await this.#onScrape.get(series)?.();
  }
}
