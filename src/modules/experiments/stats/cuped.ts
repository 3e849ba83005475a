// CUPED, "Controlled-experiment Using Pre-Experiment Data": Deng, Xu, Kohavi and Walker, "Improving
// the Sensitivity of Online Controlled Experiments by Utilizing Pre-Experiment Data" (WSDM 2013).
// Each visitor's metric Y is replaced by Y - θ (X - mean X), where X is the same metric measured
// before the visitor was exposed (so the layout cannot have changed it) and
// θ = cov(X, Y) / var(X), estimated on all the compared visitors together. The difference of
// means keeps its expectation (X does not depend on the layout) and its variance shrinks by the
// factor 1 - ρ², ρ the correlation of X and Y. A visitor without pre-exposure behaviour has X = 0,
// which keeps the estimate unbiased (only less sharp).

export interface CupedResult {
  readonly theta: number;
  /** The adjusted values, arm by arm, in the order given. */
  readonly adjusted: number[][];
  /** 1 - (within-arm variance after) / (within-arm variance before): the share of variance removed. */
  readonly varianceReduction: number;
}

/**
 * CUPED over arms of paired values (y[i] with its pre-exposure covariate x[i]). null when the
 * covariate does not vary (nothing to adjust with).
 */
export function cuped(
  arms: readonly { readonly y: readonly number[]; readonly x: readonly number[] }[],
): CupedResult | null {
  let n = 0;
  let sx = 0;
  let sy = 0;
  for (const arm of arms) {
    if (arm.x.length !== arm.y.length) throw new RangeError('cuped needs one covariate per value');
    for (let i = 0; i < arm.y.length; i++) {
      sx += arm.x[i] as number;
      sy += arm.y[i] as number;
      n++;
    }
  }
  if (n < 3) return null;
  const mx = sx / n;
  const my = sy / n;
  let sxx = 0;
  let sxy = 0;
  for (const arm of arms) {
    for (let i = 0; i < arm.y.length; i++) {
      const dx = (arm.x[i] as number) - mx;
      sxx += dx * dx;
      sxy += dx * ((arm.y[i] as number) - my);
    }
  }
  if (!(sxx > 0)) return null;
  const theta = sxy / sxx;
  const adjusted = arms.map((arm) => arm.y.map((y, i) => y - theta * ((arm.x[i] as number) - mx)));
  const withinSquares = (values: readonly (readonly number[])[]): number =>
    values.reduce((total, v) => {
      const m = v.reduce((s, x) => s + x, 0) / Math.max(1, v.length);
      return total + v.reduce((s, x) => s + (x - m) * (x - m), 0);
    }, 0);
  const before = withinSquares(arms.map((a) => a.y));
  const after = withinSquares(adjusted);
  return { theta, adjusted, varianceReduction: before > 0 ? 1 - after / before : 0 };
}
