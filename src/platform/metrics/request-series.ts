// HTTP request counts and durations, counted on the request path in slots made once per route,
// method and status, and turned into Prometheus series only when /metrics is scraped.
// prom-client hashes the label set on every inc() and observe(), even on label-bound children: at
// tens of thousands of requests a second that was a fifth of a small API call's cost. Here a request
// costs a few additions on numbers that already exist; the exposition is the same series as before.
import type { Metric } from 'prom-client';

/** One sample as prom-client's registry prints it: `<metricName>{labels} value`. */
interface Sample {
  readonly metricName?: string;
  readonly labels: Readonly<Record<string, string | number>>;
  readonly value: number;
}

/** What prom-client's registry reads from a metric when it is scraped (get()). */
interface Exposition {
  readonly name: string;
  readonly help: string;
  readonly type: 'counter' | 'histogram';
  readonly aggregator: 'sum';
  readonly values: readonly Sample[];
}

/** A route's config object as Fastify keeps it: one per route, the same on every request. */
type RouteKey = object;

interface Slot {
  readonly method: string;
  readonly route: string;
  readonly status: string;
  count: number;
  sum: number;
  /** Observations per bucket (not cumulative), the last one above every bound (+Inf). */
  readonly buckets: Float64Array;
}

export interface RequestSeriesOptions {
  readonly countName: string;
  readonly countHelp: string;
  readonly durationName: string;
  readonly durationHelp: string;
  /** Upper bounds of the duration buckets in seconds, ascending. */
  readonly buckets: readonly number[];
}

export class RequestSeries {
  readonly #options: RequestSeriesOptions;
  readonly #bounds: Float64Array;
  /** Slots per route (by its config object), then method, then status code. */
  readonly #byRoute = new WeakMap<RouteKey, Map<string, Map<number, Slot>>>();
  /** Requests that matched no route, by method and status. */
  readonly #unmatched = new Map<string, Map<number, Slot>>();
  /** Every slot, in creation order, for the exposition. */
  #slots: Slot[] = [];

  constructor(options: RequestSeriesOptions) {
    const sorted = options.buckets.every((b, i) => i === 0 || b > options.buckets[i - 1]!);
    if (!sorted || options.buckets.length === 0) throw new Error('Histogram buckets must be ascending');
    this.#options = options;
    this.#bounds = Float64Array.from(options.buckets);
  }

  /**
   * Counts one answered request. `routeKey` is the matched route's config object (undefined when
   * no route matched); `route` is its pattern, never the concrete URL.
   */
  observe(
    routeKey: RouteKey | undefined,
    method: string,
    route: string,
    status: number,
    seconds: number,
  ): void {
    let byMethod: Map<string, Map<number, Slot>> | undefined;
    if (routeKey === undefined) byMethod = this.#unmatched;
    else {
      byMethod = this.#byRoute.get(routeKey);
      if (byMethod === undefined) {
        byMethod = new Map();
        this.#byRoute.set(routeKey, byMethod);
      }
    }
    let byStatus = byMethod.get(method);
    if (byStatus === undefined) {
      byStatus = new Map();
      byMethod.set(method, byStatus);
    }
    let slot = byStatus.get(status);
    if (slot === undefined) {
      slot = {
        method,
        route,
        status: String(status),
        count: 0,
        sum: 0,
        buckets: new Float64Array(this.#bounds.length + 1),
      };
      byStatus.set(status, slot);
      this.#slots.push(slot);
    }
    slot.count++;
    slot.sum += seconds;
    const bounds = this.#bounds;
    let i = 0;
    while (i < bounds.length && seconds > bounds[i]!) i++;
    slot.buckets[i]!++;
  }

  /** The request counter and the duration histogram, to register in a prom-client registry. */
  metrics(): readonly Metric[] {
    return [this.#counter(), this.#histogram()];
  }

  /** Forgets every count (prom-client's registry.resetMetrics()). */
  reset(): void {
    for (const slot of this.#slots) {
      slot.count = 0;
      slot.sum = 0;
      slot.buckets.fill(0);
    }
  }

  #counter(): Metric {
    const o = this.#options;
    const get = async (): Promise<Exposition> => ({
      name: o.countName,
      help: o.countHelp,
      type: 'counter',
      aggregator: 'sum',
      values: this.#slots
        .filter((s) => s.count > 0)
        .map((s) => ({ labels: { method: s.method, route: s.route, status: s.status }, value: s.count })),
    });
    return this.#asMetric(get, o.countName, o.countHelp, 'counter');
  }

  /** Durations by route pattern (methods and statuses added together), as prom-client lays them out. */
  #histogram(): Metric {
    const o = this.#options;
    const get = async (): Promise<Exposition> => {
      const byRoute = new Map<string, { count: number; sum: number; buckets: Float64Array }>();
      for (const s of this.#slots) {
        if (s.count === 0) continue;
        let r = byRoute.get(s.route);
        if (!r) {
          r = { count: 0, sum: 0, buckets: new Float64Array(this.#bounds.length + 1) };
          byRoute.set(s.route, r);
        }
        r.count += s.count;
        r.sum += s.sum;
        for (let i = 0; i < s.buckets.length; i++) r.buckets[i]! += s.buckets[i]!;
      }
      const values: Sample[] = [];
      for (const [route, r] of byRoute) {
        let cumulative = 0;
        for (let i = 0; i < this.#bounds.length; i++) {
          cumulative += r.buckets[i]!;
          values.push({
            metricName: `${o.durationName}_bucket`,
            labels: { route, le: this.#bounds[i]! },
            value: cumulative,
          });
        }
        values.push({
          metricName: `${o.durationName}_bucket`,
          labels: { route, le: '+Inf' },
          value: r.count,
        });
        values.push({ metricName: `${o.durationName}_sum`, labels: { route }, value: r.sum });
        values.push({ metricName: `${o.durationName}_count`, labels: { route }, value: r.count });
      }
      return {
        name: o.durationName,
        help: o.durationHelp,
        type: 'histogram',
        aggregator: 'sum',
        values,
      };
    };
    return this.#asMetric(get, o.durationName, o.durationHelp, 'histogram');
  }

  /**
   * A metric object the registry can hold: prom-client's registry reads a metric through its name,
   * help, type, aggregator, get() and reset(), which is all these series need.
   */
  #asMetric(get: () => Promise<Exposition>, name: string, help: string, type: Exposition['type']): Metric {
    const metric = { name, help, type, aggregator: 'sum', get, reset: () => this.reset() };
    return metric as unknown as Metric;
  }
}
