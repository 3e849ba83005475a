// What a released count's noise means for its reader: a (1 - α) interval of the noise, and the δ the
// noisy threshold leaves. Both follow from the tail of the discrete Laplace distribution Lap_Z(Δ/ε)
// (the two-sided geometric of Inusah and Kozubowski, "A discrete analogue of the Laplace
// distribution", J. Stat. Plan. Inference 2006; the sampler in discrete-laplace.ts, after Canonne,
// Kamath and Steinke 2020): with q = e^(-ε/Δ), P(X = x) = (1 - q)/(1 + q) · q^|x|, so for m ≥ 1
//   P(X ≥ m) = Σ_{x ≥ m} (1 - q)/(1 + q) · q^x = q^m / (1 + q),   P(|X| ≥ m) = 2 q^m / (1 + q).
// The accuracy statement is the one OpenDP and Tumult report for a release: the noise lies within
// ±k with probability at least 1 - α, so [count - k, count + k] covers the true count that often.

export interface NoiseInterval {
  /** The nominal level asked for: the interval holds the noise with probability at least 1 - α. */
  readonly alpha: number;
  /** The smallest whole k with P(|noise| > k) ≤ α. */
  readonly halfWidth: number;
  /** The exact probability P(|noise| ≤ k) (≥ 1 - α: the noise is whole, so the level is met or passed). */
  readonly coverage: number;
}

/** P(|X| > k) for Lap_Z with q = e^(-ε/Δ). */
function tailBeyond(k: number, q: number): number {
  return (2 * q ** (k + 1)) / (1 + q);
}

/** The (1 - α) interval of discrete Laplace noise of scale Δ/ε (ε > 0, Δ ≥ 1, 0 < α < 1). */
export function noiseInterval(epsilon: number, sensitivity: number, alpha: number): NoiseInterval {
  if (!(epsilon > 0 && sensitivity >= 1 && alpha > 0 && alpha < 1)) {
    throw new RangeError('noiseInterval needs epsilon > 0, sensitivity >= 1 and 0 < alpha < 1');
  }
  const q = Math.exp(-epsilon / sensitivity);
  // Solve 2 q^(k+1) / (1 + q) ≤ α for the smallest whole k, then correct any rounding of the logs.
  let k = Math.max(0, Math.ceil(Math.log((alpha * (1 + q)) / 2) / Math.log(q)) - 1);
  while (tailBeyond(k, q) > alpha) k++;
  while (k > 0 && tailBeyond(k - 1, q) <= alpha) k--;
  return { alpha, halfWidth: k, coverage: 1 - tailBeyond(k, q) };
}

/**
 * The δ of the noisy threshold (areas come from the data): one visitor alone makes a cell of count
 * 1, released when 1 + X ≥ T, which happens with P(X ≥ T - 1) = q^(T-1) / (1 + q); a visitor has at
 * most `cap` such cells.
 */
export function thresholdDelta(epsilon: number, sensitivity: number, threshold: number, cap: number): number {
  const q = Math.exp(-epsilon / sensitivity);
  return Math.min(1, (cap * q ** Math.max(0, threshold - 1)) / (1 + q));
}
