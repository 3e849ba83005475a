// Per-layout results of an experiment (P17): visits split by 30 minutes of inactivity, the metrics
// per exposed visitor, Welch's t-test of each layout against the first, Holm's correction across the
// comparisons read together, and a sample-ratio-mismatch check. Pure: the service reads the data.

import { chiSquareGoodnessOfFit, holmAdjust, summarise, welchTTest } from './stats/tests.js';
import type { Experiment } from './types.js';

/** A visit ends after this much inactivity. */
export const VISIT_GAP_MS = 30 * 60 * 1000;
/** Sample-ratio mismatch is flagged below this p-value. */
export const SRM_ALPHA = 0.001;
/** Family-wise error rate of the comparisons read together (Holm–Bonferroni). */
export const ALPHA = 0.05;

export const METRICS = ['visit_duration_ms', 'conversion_rate', 'revenue_per_visitor_cents'] as const;
export type Metric = (typeof METRICS)[number];

export interface VariantResult {
  readonly id: string;
  readonly weight: number;
  /** Consenting visitors exposed to this layout. */
  readonly visitors: number;
  /** Of them, those with at least one measured visit after exposure (the visit-duration sample). */
  readonly visitorsWithVisits: number;
  readonly visits: number;
  readonly metrics: Record<Metric, { readonly n: number; readonly mean: number; readonly sd: number }>;
}

export interface Comparison {
  readonly metric: Metric;
  readonly control: string;
  readonly variant: string;
  /** variant mean - control mean. */
  readonly difference: number;
  readonly ci95: [number, number] | null;
  readonly t: number | null;
  readonly df: number | null;
  readonly pValue: number | null;
  /** Holm–Bonferroni adjusted over every comparison in this answer. */
  readonly adjustedPValue: number | null;
  readonly significant: boolean;
}

export interface ExperimentResults {
  readonly experimentId: string;
  readonly status: 'not_enough_data' | 'ready';
  readonly message: string;
  readonly minSamplePerArm: number;
  readonly variants: VariantResult[];
  readonly sampleRatio: {
    readonly chiSquare: number;
    readonly df: number;
    readonly pValue: number;
    readonly mismatch: boolean;
  };
  readonly comparisons: Comparison[];
  readonly alpha: number;
  readonly computedAt: string;
}

/** One measured event of an exposed visitor, as the results need it. */
export interface MeasuredEvent {
  readonly type: string;
  readonly at: string;
  readonly durationMs: number | null;
  readonly valueCents: number | null;
  readonly currency: string | null;
}

/** Per-visitor outcomes: visits split by 30 minutes of inactivity; engaged time summed per visit. */
export function visitorOutcome(
  events: readonly MeasuredEvent[],
  currency: string,
): { visits: number; meanVisitDurationMs: number | null; converted: boolean; revenueCents: number } {
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

/** The samples of one layout: a value per exposed visitor for each metric, and their visits. */
export interface LayoutSamples {
  duration: number[];
  conversion: number[];
  revenue: number[];
  visits: number;
}

/** Each layout's samples from its exposed visitors' measured events. */
export function samplesOf(
  experiment: Experiment,
  exposures: readonly { readonly visitor_id: string; readonly variant: string }[],
  eventsByVisitor: ReadonlyMap<string, readonly MeasuredEvent[]>,
): Map<string, LayoutSamples> {
  const samples = new Map<string, LayoutSamples>();
  for (const v of experiment.variants)
    samples.set(v.id, { duration: [], conversion: [], revenue: [], visits: 0 });
  for (const x of exposures) {
    const s = samples.get(x.variant);
    if (!s) continue;
    const outcome = visitorOutcome(eventsByVisitor.get(x.visitor_id) ?? [], experiment.currency);
    s.visits += outcome.visits;
    if (outcome.meanVisitDurationMs !== null) s.duration.push(outcome.meanVisitDurationMs);
    s.conversion.push(outcome.converted ? 1 : 0);
    s.revenue.push(outcome.revenueCents);
  }
  return samples;
}

/** The results from each layout's samples, computed at `now`. */
export function analyse(
  experiment: Experiment,
  samples: ReadonlyMap<string, LayoutSamples>,
  now: Date,
): ExperimentResults {
  const metricSample = (
    s: { duration: number[]; conversion: number[]; revenue: number[] },
    m: Metric,
  ): number[] =>
    m === 'visit_duration_ms' ? s.duration : m === 'conversion_rate' ? s.conversion : s.revenue;

  const variants: VariantResult[] = experiment.variants.map((v) => {
    const s = samples.get(v.id)!;
    const metrics = Object.fromEntries(
      METRICS.map((m) => {
        const sum = summarise(metricSample(s, m));
        return [m, { n: sum.n, mean: sum.mean, sd: Math.sqrt(sum.variance) }];
      }),
    ) as VariantResult['metrics'];
    return {
      id: v.id,
      weight: v.weight,
      visitors: s.conversion.length,
      visitorsWithVisits: s.duration.length,
      visits: s.visits,
      metrics,
    };
  });

  const fit = chiSquareGoodnessOfFit(
    variants.map((v) => v.visitors),
    experiment.variants.map((v) => v.weight),
  );
  const sampleRatio = {
    chiSquare: fit.statistic,
    df: fit.df,
    pValue: fit.pValue,
    mismatch: fit.pValue < SRM_ALPHA,
  };

  const short = variants.filter((v) => v.visitors < experiment.minSamplePerArm);
  const base = {
    experimentId: experiment.id,
    minSamplePerArm: experiment.minSamplePerArm,
    variants,
    sampleRatio,
    alpha: ALPHA,
    computedAt: now.toISOString(),
  };
  if (short.length > 0) {
    return {
      ...base,
      status: 'not_enough_data',
      message: `Not enough data yet: every layout needs at least ${experiment.minSamplePerArm} exposed visitors (${short
        .map((v) => `${v.id} has ${v.visitors}`)
        .join(', ')}).`,
      comparisons: [],
    };
  }

  const control = experiment.variants[0]!;
  const raw: Omit<Comparison, 'adjustedPValue' | 'significant'>[] = [];
  for (const v of experiment.variants.slice(1)) {
    for (const m of METRICS) {
      const a = summarise(metricSample(samples.get(control.id)!, m));
      const b = summarise(metricSample(samples.get(v.id)!, m));
      if (a.n < 2 || b.n < 2) {
        raw.push({
          metric: m,
          control: control.id,
          variant: v.id,
          difference: b.mean - a.mean,
          ci95: null,
          t: null,
          df: null,
          pValue: null,
        });
        continue;
      }
      const w = welchTTest(a, b, 0.95);
      raw.push({
        metric: m,
        control: control.id,
        variant: v.id,
        difference: w.difference,
        ci95: w.ci,
        t: w.t,
        df: w.df,
        pValue: w.pValue,
      });
    }
  }
  const tested = raw.filter((c) => c.pValue !== null);
  const adjusted = holmAdjust(tested.map((c) => c.pValue as number));
  const comparisons: Comparison[] = raw.map((c) => {
    const i = tested.indexOf(c);
    const adj = i < 0 ? null : (adjusted[i] as number);
    return { ...c, adjustedPValue: adj, significant: adj !== null && adj < ALPHA };
  });
  return {
    ...base,
    status: 'ready',
    message: sampleRatio.mismatch
      ? 'Sample ratio mismatch (p < 0.001): the layouts were not shown in the intended proportions; do not trust these results until the cause is found.'
      : 'Enough data. Comparisons are Welch t-tests against the first layout, Holm–Bonferroni adjusted.',
    comparisons,
  };
}
