// The power calculator (stats/power.ts) applied to an experiment's layouts: how many visitors the
// experiment needs to detect an effect, or what effect a number of visitors can detect, at the
// level its results use (every comparison adjusted together, so α is split over them).
import { VowError } from '../../platform/errors.js';
import { minimumDetectableEffect, type PowerInput, sampleSize } from './stats/power.js';
import { type ExperimentPlan, METRICS, type Metric, type PlanInput, type Variant } from './types.js';

/** The family-wise error rate of the comparisons read together. */
export const ALPHA = 0.05;
export const DEFAULT_POWER = 0.8;

/** The comparisons one answer adjusts together: every metric, every layout against the control. */
export function comparisonsOf(variants: readonly Variant[]): number {
  return METRICS.length * (variants.length - 1);
}

function powerInput(
  variants: readonly Variant[],
  input: { metric: Metric; baseline: number; sd?: number | undefined; power?: number | undefined },
): PowerInput {
  const rate = input.metric === 'conversion_rate';
  if (rate && !(input.baseline > 0 && input.baseline < 1)) {
    throw new VowError('VOW_EXPERIMENT_INVALID', 'A conversion rate baseline is between 0 and 1', {
      baseline: input.baseline,
    });
  }
  if (!rate && !(input.sd !== undefined && input.sd > 0)) {
    throw new VowError(
      'VOW_EXPERIMENT_INVALID',
      `The plan of ${input.metric} needs its standard deviation (sd)`,
    );
  }
  return {
    baseline: input.baseline,
    sd: rate ? undefined : input.sd,
    rate,
    weights: variants.map((v) => v.weight),
    alpha: ALPHA / comparisonsOf(variants),
    power: input.power ?? DEFAULT_POWER,
  };
}

/** The plan of an experiment: the visitors it needs for `mde`. */
export function planExperiment(variants: readonly Variant[], input: PlanInput): ExperimentPlan {
  const power = powerInput(variants, input);
  let size: ReturnType<typeof sampleSize>;
  try {
    size = sampleSize(power, input.mde);
  } catch (err) {
    throw new VowError('VOW_EXPERIMENT_INVALID', `The plan cannot be computed: ${(err as Error).message}`);
  }
  return {
    metric: input.metric,
    baseline: input.baseline,
    sd: power.rate ? null : (input.sd ?? null),
    mde: input.mde,
    power: power.power,
    alpha: ALPHA,
    alphaPerComparison: power.alpha,
    sampleSize: {
      total: size.total,
      perArm: Object.fromEntries(variants.map((v, i) => [v.id, size.perArm[i] as number])),
    },
  };
}

/** The power calculator without an experiment: visitors for an effect, or the effect for visitors. */
export function powerCalculation(
  variants: readonly Variant[],
  input: {
    metric: Metric;
    baseline: number;
    sd?: number | undefined;
    power?: number | undefined;
    mde?: number | undefined;
    visitors?: number | undefined;
  },
): ExperimentPlan {
  if ((input.mde === undefined) === (input.visitors === undefined)) {
    throw new VowError(
      'VOW_EXPERIMENT_INVALID',
      'Give either the effect to detect (mde) or the visitors you expect',
    );
  }
  if (input.mde !== undefined) return planExperiment(variants, { ...input, mde: input.mde });
  const power = powerInput(variants, input);
  let mde: number;
  try {
    mde = minimumDetectableEffect(power, input.visitors as number);
  } catch (err) {
    throw new VowError('VOW_EXPERIMENT_INVALID', `The effect cannot be computed: ${(err as Error).message}`);
  }
  const total = variants.reduce((s, v) => s + v.weight, 0);
  return {
    metric: input.metric,
    baseline: input.baseline,
    sd: power.rate ? null : (input.sd ?? null),
    mde,
    power: power.power,
    alpha: ALPHA,
    alphaPerComparison: power.alpha,
    sampleSize: {
      total: input.visitors as number,
      perArm: Object.fromEntries(
        variants.map((v) => [v.id, Math.floor(((input.visitors as number) * v.weight) / total)]),
      ),
    },
  };
}
