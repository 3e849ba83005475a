// Per-layout results of an experiment (P17), from the samples outcomes.ts makes. Each metric is
// compared with the control only once every layout has `minSamplePerArm` values of it and the
// values differ somewhere (otherwise there is nothing to compare, whatever the visitor count).
// Each comparison gives:
// - the always-valid mSPRT (stats/sequential.ts) on the CUPED-adjusted metric when visitors have
//   pre-exposure behaviour (stats/cuped.ts), Holm–Bonferroni adjusted across the comparisons:
//   this is what `significant` means, and it stays valid however often the results are read;
// - Welch's t-test on the raw metric, for reference: valid only when read once, at a sample size
//   fixed in advance.
// And a sample-ratio-mismatch check. Pure: the service reads the data.
import type { LayoutSamples, MetricSample } from './outcomes.js';
import { ALPHA } from './plan.js';
import { cuped } from './stats/cuped.js';
import { mixtureSequentialTest } from './stats/sequential.js';
import { chiSquareGoodnessOfFit, holmAdjust, type Summary, summarise, welchTTest } from './stats/tests.js';
import { type Experiment, type ExperimentPlan, METRICS, type Metric } from './types.js';

export { ALPHA };
/** Sample-ratio mismatch is flagged below this p-value. */
export const SRM_ALPHA = 0.001;
/** The visitors (control and layout together) the sequential test is tightest at, without a plan. */
export const DEFAULT_TUNING_VISITORS = 5000;

export interface MetricSummary {
  readonly n: number;
  /** null until the layout has `minSamplePerArm` values: a mean of a few visitors says nothing. */
  readonly mean: number | null;
  readonly sd: number | null;
}

export interface VariantResult {
  readonly id: string;
  readonly weight: number;
  /** Consenting visitors exposed to this layout. */
  readonly visitors: number;
  /** Of them, those with at least one measured visit after exposure (the visit-duration sample). */
  readonly visitorsWithVisits: number;
  readonly visits: number;
  readonly metrics: Record<Metric, MetricSummary>;
}

export interface MetricReadiness {
  readonly metric: Metric;
  readonly ready: boolean;
  /** Why the metric is not compared yet; null when it is. */
  readonly reason: string | null;
}

export interface Comparison {
  readonly metric: Metric;
  readonly control: string;
  readonly variant: string;
  /** variant mean - control mean (raw). */
  readonly difference: number;
  /** Welch, fixed horizon, raw metric: valid for one look at a sample size fixed in advance. */
  readonly ci95: [number, number] | null;
  readonly t: number | null;
  readonly df: number | null;
  readonly pValue: number | null;
  /** Holm–Bonferroni adjusted over every Welch p-value in this answer. */
  readonly adjustedPValue: number | null;
  /** CUPED with the same metric before exposure; null when no visitor had any. */
  readonly cuped: {
    readonly theta: number;
    readonly varianceReduction: number;
    /** Share of the compared visitors with behaviour before their exposure. */
    readonly preExposureShare: number;
  } | null;
  /** The always-valid comparison (on the CUPED-adjusted metric when `cuped` is set). */
  readonly sequential: {
    readonly difference: number;
    readonly ci: [number, number];
    readonly pValue: number;
    /** Holm–Bonferroni adjusted over every sequential p-value in this answer. */
    readonly adjustedPValue: number;
    /** The visitors (control and layout) the test is tightest at: the plan's, or 5000. */
    readonly tuningVisitors: number;
  } | null;
  /** The sequential adjusted p-value is below α: a difference, however often the results were read. */
  readonly significant: boolean;
}

export interface ExperimentResults {
  readonly experimentId: string;
  readonly status: 'not_enough_data' | 'ready';
  readonly message: string;
  readonly minSamplePerArm: number;
  readonly variants: VariantResult[];
  readonly readiness: MetricReadiness[];
  readonly sampleRatio: {
    readonly chiSquare: number;
    readonly df: number;
    readonly pValue: number;
    readonly mismatch: boolean;
  };
  readonly comparisons: Comparison[];
  readonly alpha: number;
  readonly sequential: { readonly method: 'msprt_normal_mixture' };
  readonly plan: ExperimentPlan | null;
  readonly computedAt: string;
}

const LABELS: Record<Metric, string> = {
  visit_duration_ms: 'visit duration',
  conversion_rate: 'conversion rate',
  revenue_per_visitor_cents: 'revenue per visitor',
};

function readinessOf(
  experiment: Experiment,
  samples: ReadonlyMap<string, LayoutSamples>,
  m: Metric,
): MetricReadiness {
  const min = experiment.minSamplePerArm;
  const short = experiment.variants.filter((v) => samples.get(v.id)!.metrics[m].values.length < min);
  if (short.length > 0) {
    const unit = m === 'visit_duration_ms' ? 'visitors with a visit after exposure' : 'exposed visitors';
    return {
      metric: m,
      ready: false,
      reason: `${LABELS[m]}: every layout needs ${min} ${unit} (${short
        .map((v) => `${v.id} has ${samples.get(v.id)!.metrics[m].values.length}`)
        .join(', ')})`,
    };
  }
  const all = experiment.variants.flatMap((v) => samples.get(v.id)!.metrics[m].values);
  if (all.every((x) => x === all[0])) {
    return {
      metric: m,
      ready: false,
      reason: `${LABELS[m]}: every visitor has the same value so far (${all[0]})`,
    };
  }
  return { metric: m, ready: true, reason: null };
}

function compare(
  metric: Metric,
  control: { id: string; sample: MetricSample },
  variant: { id: string; sample: MetricSample },
  tuningVisitors: number,
): Omit<Comparison, 'adjustedPValue' | 'significant' | 'sequential'> & {
  sequential: Omit<NonNullable<Comparison['sequential']>, 'adjustedPValue'> | null;
} {
  const a = summarise(control.sample.values);
  const b = summarise(variant.sample.values);
  const w = welchTTest(a, b, 1 - ALPHA);
  const adjusted = cuped([
    { y: control.sample.values, x: control.sample.pre },
    { y: variant.sample.values, x: variant.sample.pre },
  ]);
  const withPre = control.sample.withPre + variant.sample.withPre;
  let sa: Summary = a;
  let sb: Summary = b;
  if (adjusted && withPre > 0) {
    sa = summarise(adjusted.adjusted[0] as number[]);
    sb = summarise(adjusted.adjusted[1] as number[]);
  }
  const seq = mixtureSequentialTest(sa, sb, { alpha: ALPHA, tuningN: tuningVisitors });
  return {
    metric,
    control: control.id,
    variant: variant.id,
    difference: w.difference,
    ci95: w.ci,
    t: w.t,
    df: w.df,
    pValue: w.pValue,
    cuped:
      adjusted && withPre > 0
        ? {
            theta: adjusted.theta,
            varianceReduction: adjusted.varianceReduction,
            preExposureShare: withPre / (a.n + b.n),
          }
        : null,
    sequential: seq ? { difference: seq.difference, ci: seq.ci, pValue: seq.pValue, tuningVisitors } : null,
  };
}

/** The results from each layout's samples, computed at `now`. */
export function analyse(
  experiment: Experiment,
  samples: ReadonlyMap<string, LayoutSamples>,
  now: Date,
): ExperimentResults {
  const min = experiment.minSamplePerArm;
  const variants: VariantResult[] = experiment.variants.map((v) => {
    const s = samples.get(v.id)!;
    const metrics = Object.fromEntries(
      METRICS.map((m) => {
        const sum = summarise(s.metrics[m].values);
        const enough = sum.n >= min;
        return [m, { n: sum.n, mean: enough ? sum.mean : null, sd: enough ? Math.sqrt(sum.variance) : null }];
      }),
    ) as VariantResult['metrics'];
    return {
      id: v.id,
      weight: v.weight,
      visitors: s.visitors,
      visitorsWithVisits: s.metrics.visit_duration_ms.values.length,
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
  const readiness = METRICS.map((m) => readinessOf(experiment, samples, m));

  const control = experiment.variants[0]!;
  const raw: ReturnType<typeof compare>[] = [];
  for (const v of experiment.variants.slice(1)) {
    // Tightest at the plan's sample of this pair (control and layout), or the default.
    const tuning = experiment.plan
      ? (experiment.plan.sampleSize.perArm[control.id] ?? 0) + (experiment.plan.sampleSize.perArm[v.id] ?? 0)
      : DEFAULT_TUNING_VISITORS;
    for (const r of readiness) {
      if (!r.ready) continue;
      raw.push(
        compare(
          r.metric,
          { id: control.id, sample: samples.get(control.id)!.metrics[r.metric] },
          { id: v.id, sample: samples.get(v.id)!.metrics[r.metric] },
          Math.max(2, tuning),
        ),
      );
    }
  }
  const welch = raw.filter((c) => c.pValue !== null);
  const welchAdjusted = holmAdjust(welch.map((c) => c.pValue as number));
  const sequential = raw.filter((c) => c.sequential !== null);
  const sequentialAdjusted = holmAdjust(sequential.map((c) => c.sequential!.pValue));
  const comparisons: Comparison[] = raw.map((c) => {
    const i = welch.indexOf(c);
    const j = sequential.indexOf(c);
    const seqAdj = j < 0 ? null : (sequentialAdjusted[j] as number);
    return {
      ...c,
      adjustedPValue: i < 0 ? null : (welchAdjusted[i] as number),
      sequential: c.sequential && seqAdj !== null ? { ...c.sequential, adjustedPValue: seqAdj } : null,
      significant: seqAdj !== null && seqAdj < ALPHA,
    };
  });

  const waiting = readiness.filter((r) => !r.ready).map((r) => r.reason as string);
  const ready = readiness.some((r) => r.ready);
  let message: string;
  if (sampleRatio.mismatch) {
    message =
      'Sample ratio mismatch (p < 0.001): the layouts were not shown in the intended proportions; do not trust these results until the cause is found.';
  } else if (!ready) {
    message = `Not enough data yet: ${waiting.join('; ')}.`;
  } else {
    message = `Comparisons are always valid (mSPRT${comparisons.some((c) => c.cuped) ? ', CUPED-adjusted' : ''}, Holm–Bonferroni): read them as often as you like; a layout differs from the control where "significant" is true.${
      waiting.length > 0 ? ` Not compared yet: ${waiting.join('; ')}.` : ''
    }`;
  }
  return {
    experimentId: experiment.id,
    status: ready ? 'ready' : 'not_enough_data',
    message,
    minSamplePerArm: min,
    variants,
    readiness,
    sampleRatio,
    comparisons,
    alpha: ALPHA,
    sequential: { method: 'msprt_normal_mixture' },
    plan: experiment.plan,
    computedAt: now.toISOString(),
  };
}
