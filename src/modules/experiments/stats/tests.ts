// The tests the experiment results use: Welch's unequal-variance t-test with its confidence
// interval, Pearson's chi-square goodness of fit (the sample-ratio-mismatch check) and the
// Holm–Bonferroni step-down correction for reading several metrics at once.
import { chiSquareSurvival, studentTQuantile, studentTTwoSidedP } from './distributions.js';

export interface Summary {
  readonly n: number;
  readonly mean: number;
  /** Unbiased sample variance (n - 1 in the denominator); 0 when n < 2. */
  readonly variance: number;
}

/** Mean and variance in one pass (Welford), numerically stable for large samples. */
export function summarise(values: Iterable<number>): Summary {
  let n = 0;
  let mean = 0;
  let m2 = 0;
  for (const v of values) {
    n++;
    const delta = v - mean;
    mean += delta / n;
    m2 += delta * (v - mean);
  }
  return { n, mean: n === 0 ? 0 : mean, variance: n < 2 ? 0 : m2 / (n - 1) };
}

export interface WelchResult {
  /** mean(b) - mean(a). */
  readonly difference: number;
  readonly standardError: number;
  /** null when both samples have zero variance (the statistic is undefined). */
  readonly t: number | null;
  /** Welch–Satterthwaite degrees of freedom; null with t. */
  readonly df: number | null;
  /** Two-sided p-value; null with t. */
  readonly pValue: number | null;
  /** Confidence interval of the difference at the requested level; null with t. */
  readonly ci: [number, number] | null;
}

/**
 * Welch's t-test of b against a: t = (mean_b - mean_a) / sqrt(s²_a/n_a + s²_b/n_b) with the
 * Welch–Satterthwaite degrees of freedom. Needs at least two observations per sample.
 */
export function welchTTest(a: Summary, b: Summary, confidence = 0.95): WelchResult {
  if (a.n < 2 || b.n < 2) throw new RangeError('Welch test needs at least two observations per sample');
  if (!(confidence > 0 && confidence < 1)) throw new RangeError('confidence must be in (0, 1)');
  const va = a.variance / a.n;
  const vb = b.variance / b.n;
  const se2 = va + vb;
  const difference = b.mean - a.mean;
  const standardError = Math.sqrt(se2);
  if (se2 === 0) return { difference, standardError, t: null, df: null, pValue: null, ci: null };
  const df = (se2 * se2) / ((va * va) / (a.n - 1) + (vb * vb) / (b.n - 1));
  const t = difference / standardError;
  const q = studentTQuantile(1 - (1 - confidence) / 2, df);
  return {
    difference,
    standardError,
    t,
    df,
    pValue: studentTTwoSidedP(t, df),
    ci: [difference - q * standardError, difference + q * standardError],
  };
}

export interface ChiSquareResult {
  readonly statistic: number;
  readonly df: number;
  readonly pValue: number;
}

/**
 * Pearson's chi-square goodness of fit of observed counts to expected proportions (weights, any
 * positive scale). Used as the sample-ratio-mismatch check of an experiment.
 */
export function chiSquareGoodnessOfFit(
  observed: readonly number[],
  weights: readonly number[],
): ChiSquareResult {
  if (observed.length !== weights.length || observed.length < 2) {
    throw new RangeError('goodness of fit needs two or more categories, one weight each');
  }
  const total = observed.reduce((s, v) => s + v, 0);
  const weightSum = weights.reduce((s, v) => s + v, 0);
  if (weights.some((w) => !(w > 0))) throw new RangeError('weights must be positive');
  let statistic = 0;
  if (total > 0) {
    observed.forEach((o, i) => {
      const expected = (total * (weights[i] as number)) / weightSum;
      statistic += ((o - expected) * (o - expected)) / expected;
    });
  }
  const df = observed.length - 1;
  return { statistic, df, pValue: total > 0 ? chiSquareSurvival(statistic, df) : 1 };
}

/**
 * Holm–Bonferroni adjusted p-values, in the input order: sort ascending, multiply the i-th
 * smallest (1-based) by m - i + 1, make the sequence non-decreasing, cap at 1. Reject every
 * hypothesis whose adjusted p-value is below alpha (controls the family-wise error rate).
 */
export function holmAdjust(pValues: readonly number[]): number[] {
  const m = pValues.length;
  const order = pValues.map((p, i) => ({ p, i })).sort((x, y) => x.p - y.p);
  const adjusted = new Array<number>(m);
  let running = 0;
  order.forEach(({ p, i }, rank) => {
    running = Math.max(running, Math.min(1, (m - rank) * p));
    adjusted[i] = running;
  });
  return adjusted;
}
