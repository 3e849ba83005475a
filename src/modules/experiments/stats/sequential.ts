// An always-valid comparison of two means, for results read every day: the mixture sequential
// probability ratio test (mSPRT) of Johari, Koomen, Pekelis and Walsh, "Always Valid Inference:
// Continuous Monitoring of A/B Tests" (Operations Research 70(3), 2022; arXiv 1512.04922), with a
// normal mixing distribution N(0, τ²) over the difference θ. With θ̂ the observed difference and V
// its variance (s²_a/n_a + s²_b/n_b), the mixture likelihood ratio against θ = θ₀ is
//
//   Λ(θ₀) = sqrt(V / (V + τ²)) · exp( τ² (θ̂ - θ₀)² / (2 V (V + τ²)) ),
//
// a nonnegative martingale under θ = θ₀ (asymptotically, with V estimated), so by Ville's
// inequality P(Λ ever reaches 1/α) ≤ α however often it is looked at. Hence the always-valid
// p-value min(1, 1/Λ(0)) and the confidence sequence {θ₀ : Λ(θ₀) < 1/α}:
//
//   θ̂ ± sqrt( V (V + τ²)/τ² · (2 ln(1/α) + ln((V + τ²)/V)) ).
//
// τ² is chosen, as GrowthBook does for its sequential tests, so the boundary is tightest at a
// planned sample size N*: with τ² = ρ² · V · N (V·N is the per-visitor variance of the
// difference, constant as N grows), the boundary above is the normal-mixture confidence sequence
// of Howard, Ramdas, McAuliffe and Sekhon ("Time-uniform, nonparametric, nonasymptotic confidence
// sequences", Annals of Statistics 49(2), 2021), used asymptotically as in Waudby-Smith
// et al. ("Time-uniform central limit theory and asymptotic confidence sequences", 2023), whose
// width at N* is smallest for ρ² = x/N* with x = 2 ln(1/α) + ln(1 + x).
import type { Summary } from './tests.js';

export interface SequentialResult {
  /** mean(b) - mean(a). */
  readonly difference: number;
  readonly standardError: number;
  /** Always-valid two-sided p-value: the chance under no difference that Λ ever got this high. */
  readonly pValue: number;
  /** The (1 - α) confidence sequence at this look: covers θ at every look at once with probability 1 - α. */
  readonly ci: [number, number];
  /** The mixture likelihood ratio Λ(0). */
  readonly likelihoodRatio: number;
}

/** The tuning x* of the normal mixture: x = 2 ln(1/α) + ln(1 + x) (a contraction: converges). */
function mixtureTuning(alpha: number): number {
  const l = 2 * Math.log(1 / alpha);
  let x = l;
  for (let i = 0; i < 100; i++) {
    const next = l + Math.log1p(x);
    if (Math.abs(next - x) < 1e-12) return next;
    x = next;
  }
  return x;
}

/**
 * The mSPRT of b against a at level α, tuned to be tightest at `tuningN` visitors (a and b
 * together). null when the difference has no variance (both samples constant) or a sample has
 * fewer than two values.
 */
export function mixtureSequentialTest(
  a: Summary,
  b: Summary,
  options: { alpha: number; tuningN: number },
): SequentialResult | null {
  const { alpha, tuningN } = options;
  if (!(alpha > 0 && alpha < 1) || !(tuningN >= 1)) throw new RangeError('needs 0 < alpha < 1, tuningN >= 1');
  if (a.n < 2 || b.n < 2) return null;
  const v = a.variance / a.n + b.variance / b.n;
  if (!(v > 0)) return null;
  const difference = b.mean - a.mean;
  const n = a.n + b.n;
  // r = τ²/V = ρ² N, with ρ² = x*/N*.
  const r = (mixtureTuning(alpha) / tuningN) * n;
  const logLambda = -0.5 * Math.log1p(r) + (r / (1 + r)) * ((difference * difference) / (2 * v));
  const half = Math.sqrt(v * ((1 + r) / r) * (2 * Math.log(1 / alpha) + Math.log1p(r)));
  return {
    difference,
    standardError: Math.sqrt(v),
    pValue: Math.min(1, Math.exp(-logLambda)),
    ci: [difference - half, difference + half],
    likelihoodRatio: Math.exp(logLambda),
  };
}
