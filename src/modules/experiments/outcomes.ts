// Per-visitor outcomes of an experiment (P17): visits split by 30 minutes of inactivity, engaged
// time per visit, conversion and revenue, measured after the visitor's first exposure (the metric)
// and over the days before it (the pre-exposure covariate CUPED adjusts with). Pure.
import type { Experiment, Metric } from './types.js';

/** A visit ends after this much inactivity. */
export const VISIT_GAP_MS = 30 * 60 * 1000;
/** How far back before the exposure a visitor's behaviour counts as the CUPED covariate. */
export const PRE_EXPOSURE_DAYS = 28;

/** One measured event of an exposed visitor, as the results need it. */
export interface MeasuredEvent {
  readonly type: string;
  readonly at: string;
  readonly durationMs: number | null;
  readonly valueCents: number | null;
  readonly currency: string | null;
}

export interface VisitorOutcome {
  readonly visits: number;
  readonly meanVisitDurationMs: number | null;
  readonly converted: boolean;
  readonly revenueCents: number;
}

/** Per-visitor outcomes: visits split by 30 minutes of inactivity; engaged time summed per visit. */
export function visitorOutcome(events: readonly MeasuredEvent[], currency: string): VisitorOutcome {
  const sorted = [...events].sort((a, b) => (a.at < b.at ? -1 : a.at > b.at ? 1 : 0));
  const visitDurations: number[] = [];
  let lastAt: number | null = null;
  let converted = false;
  let revenueCents = 0;
  for (const e of sorted) {
    const at = Date.parse(e.at);
    if (lastAt === null || at - lastAt > VISIT_GAP_MS) visitDurations.push(0);
    lastAt = at;
    // Engaged time is reported by engagement events, including the one sent when the visitor
    // leaves the last (or only) page, so a single-page visit counts its time too.
    if (e.type === 'engagement' && e.durationMs !== null && e.durationMs > 0) {
      visitDurations[visitDurations.length - 1]! += e.durationMs;
    }
    if (e.type === 'order_completed' && (e.currency === null || e.currency === currency)) {
      converted = true;
      revenueCents += e.valueCents ?? 0;
    }
  }
  const visits = visitDurations.length;
  return {
    visits,
    meanVisitDurationMs: visits === 0 ? null : visitDurations.reduce((s, v) => s + v, 0) / visits,
    converted,
    revenueCents,
  };
}

/**
 * One metric's sample in one layout: a value per visitor (those with a visit, for visit duration;
 * every exposed visitor otherwise), each with the same metric before exposure (0 without any).
 */
export interface MetricSample {
  readonly values: number[];
  readonly pre: number[];
  /** Of these visitors, how many had behaviour before their exposure. */
  withPre: number;
}

/** The samples of one layout: each metric's, and the visits after exposure. */
export interface LayoutSamples {
  readonly metrics: Record<Metric, MetricSample>;
  visitors: number;
  visits: number;
}

function emptySamples(): LayoutSamples {
  const sample = (): MetricSample => ({ values: [], pre: [], withPre: 0 });
  return {
    metrics: { visit_duration_ms: sample(), conversion_rate: sample(), revenue_per_visitor_cents: sample() },
    visitors: 0,
    visits: 0,
  };
}

/** An exposure as the results read it: the visitor, their layout and when they first saw it. */
export interface ExposureRow {
  readonly visitor_id: string;
  readonly variant: string;
  readonly at: string;
}

/**
 * Each layout's samples from its exposed visitors' events: those from the exposure on (until the
 * experiment stopped, which the caller's query applies) are the outcome, those in the
 * PRE_EXPOSURE_DAYS before it the covariate.
 */
export function samplesOf(
  experiment: Experiment,
  exposures: readonly ExposureRow[],
  eventsByVisitor: ReadonlyMap<string, readonly MeasuredEvent[]>,
): Map<string, LayoutSamples> {
  const samples = new Map<string, LayoutSamples>();
  for (const v of experiment.variants) samples.set(v.id, emptySamples());
  for (const x of exposures) {
    const s = samples.get(x.variant);
    if (!s) continue;
    const events = eventsByVisitor.get(x.visitor_id) ?? [];
    const exposedAt = Date.parse(x.at);
    const from = exposedAt - PRE_EXPOSURE_DAYS * 86_400_000;
    const after = events.filter((e) => Date.parse(e.at) >= exposedAt);
    const before = events.filter((e) => {
      const t = Date.parse(e.at);
      return t < exposedAt && t >= from;
    });
    const post = visitorOutcome(after, experiment.currency);
    const pre = visitorOutcome(before, experiment.currency);
    const hadPre = before.length > 0 ? 1 : 0;
    s.visitors++;
    s.visits += post.visits;
    const push = (m: Metric, value: number, covariate: number) => {
      s.metrics[m].values.push(value);
      s.metrics[m].pre.push(covariate);
      s.metrics[m].withPre += hadPre;
    };
    if (post.meanVisitDurationMs !== null)
      push('visit_duration_ms', post.meanVisitDurationMs, pre.meanVisitDurationMs ?? 0);
    push('conversion_rate', post.converted ? 1 : 0, pre.converted ? 1 : 0);
    push('revenue_per_visitor_cents', post.revenueCents, pre.revenueCents);
  }
  return samples;
}
