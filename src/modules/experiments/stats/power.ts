// Power and minimum detectable effect before an experiment starts, for a two-sided comparison of
// each layout with the control by the normal approximation (the z-test the Welch test tends to):
// to detect a difference δ with power 1 - β at level α, the standard error of the difference
// must satisfy (z_{1-α/2} + z_{1-β}) · SE ≤ δ, with SE² = σ_c²/n_c + σ_v²/n_v (the two-sample
// parallel design of Chow, Shao and Wang, "Sample Size Calculations in Clinical Research"; the
// frequentist engine of GrowthBook, docs.growthbook.io/statistics/power-technical). For a rate p,
// σ² = p(1 - p), at the control's rate for the control and at p + δ for the layout. Visitors split
// by weight, so n_arm = N · w_arm / Σw.
import { normalQuantile } from './distributions.js';

export interface PowerInput {
  /** The control's mean (a rate in (0, 1) when `rate` is true). */
  readonly baseline: number;
  /** The per-visitor standard deviation (ignored for a rate, derived from it). */
  readonly sd?: number | undefined;
  /** The metric is a rate (conversion): σ² = p(1 - p). */
  readonly rate: boolean;
  /** The layouts' weights, the control first. */
  readonly weights: readonly number[];
  /** Two-sided level of each comparison (after any multiple-comparison split). */
  readonly alpha: number;
  /** 1 - β. */
  readonly power: number;
}

export interface SampleSize {
  /** Visitors in all layouts together. */
  readonly total: number;
  /** Visitors per layout, in the order of the weights. */
  readonly perArm: number[];
}

function sdAt(input: PowerInput, mean: number): number {
  if (input.rate) {
    if (!(mean > 0 && mean < 1)) throw new RangeError('a rate and rate + effect must be between 0 and 1');
    return Math.sqrt(mean * (1 - mean));
  }
  if (!(input.sd !== undefined && input.sd > 0))
    throw new RangeError('the standard deviation must be positive');
  return input.sd;
}

function check(input: PowerInput): void {
  if (input.weights.length < 2 || input.weights.some((w) => !(w > 0))) {
    throw new RangeError('two or more positive weights');
  }
  if (!(input.alpha > 0 && input.alpha < 1) || !(input.power > 0 && input.power < 1)) {
    throw new RangeError('alpha and power must be between 0 and 1');
  }
}

/** (z_{1-α/2} + z_{1-β})². */
function zSquared(input: PowerInput): number {
  const z = normalQuantile(1 - input.alpha / 2) + normalQuantile(input.power);
  return z * z;
}

/** Visitors needed so that every layout's comparison with the control detects `mde` (absolute). */
export function sampleSize(input: PowerInput, mde: number): SampleSize {
  check(input);
  if (!(Math.abs(mde) > 0)) throw new RangeError('the effect to detect must not be zero');
  const total = input.weights.reduce((s, w) => s + w, 0);
  const control = (input.weights[0] as number) / total;
  const sdC = sdAt(input, input.baseline);
  const sdV = sdAt(input, input.baseline + mde);
  let needed = 0;
  for (const w of input.weights.slice(1)) {
    const share = w / total;
    needed = Math.max(
      needed,
      (zSquared(input) * ((sdC * sdC) / control + (sdV * sdV) / share)) / (mde * mde),
    );
  }
  const perArm = input.weights.map((w) => Math.ceil((needed * w) / total));
  return { total: perArm.reduce((s, n) => s + n, 0), perArm };
}

/**
 * The smallest absolute effect every layout's comparison with the control detects with `visitors`
 * in all layouts together. For a rate, the layout's variance depends on the effect: solved by
 * fixed-point iteration (a few steps).
 */
export function minimumDetectableEffect(input: PowerInput, visitors: number): number {
  check(input);
  if (!(visitors >= input.weights.length)) throw new RangeError('at least one visitor per layout');
  const total = input.weights.reduce((s, w) => s + w, 0);
  const nC = (visitors * (input.weights[0] as number)) / total;
  const nV = (visitors * Math.min(...input.weights.slice(1))) / total;
  const sdC = sdAt(input, input.baseline);
  let mde = Math.sqrt(zSquared(input) * ((sdC * sdC) / nC + (sdC * sdC) / nV));
  if (!input.rate) return mde;
  for (let i = 0; i < 50; i++) {
    const p = Math.min(1 - 1e-9, input.baseline + mde);
    const sdV = Math.sqrt(p * (1 - p));
    const next = Math.sqrt(zSquared(input) * ((sdC * sdC) / nC + (sdV * sdV) / nV));
    if (Math.abs(next - mde) < 1e-12) return next;
    mde = next;
  }
  return mde;
}
