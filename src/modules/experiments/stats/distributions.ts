// Special functions and distribution functions for the experiment statistics, written from the
// textbook definitions: log-gamma (Lanczos), the regularized incomplete beta function (continued
// fraction, modified Lentz) and the regularized incomplete gamma function (series / continued
// fraction). Student's t and chi-square CDFs are built on them; quantiles are found by bisection.

const LANCZOS_G = 7;
const LANCZOS = [
  0.99999999999980993, 676.5203681218851, -1259.1392167224028, 771.32342877765313, -176.61502916214059,
  12.507343278686905, -0.13857109526572012, 9.9843695780195716e-6, 1.5056327351493116e-7,
];

/** ln Γ(x) for x > 0 (Lanczos approximation, g = 7, n = 9; about 15 significant digits). */
export function logGamma(x: number): number {
  if (!(x > 0)) throw new RangeError('logGamma needs x > 0');
  if (x < 0.5) {
    // Reflection: Γ(x)Γ(1-x) = π / sin(πx)
    return Math.log(Math.PI / Math.sin(Math.PI * x)) - logGamma(1 - x);
  }
  const z = x - 1;
  let a = LANCZOS[0] as number;
  const t = z + LANCZOS_G + 0.5;
  for (let i = 1; i < LANCZOS.length; i++) a += (LANCZOS[i] as number) / (z + i);
  return 0.5 * Math.log(2 * Math.PI) + (z + 0.5) * Math.log(t) - t + Math.log(a);
}

const EPS = 1e-15;
const TINY = 1e-300;
const MAX_ITER = 10_000;

/** Continued fraction for the incomplete beta function (modified Lentz's method). */
function betaContinuedFraction(a: number, b: number, x: number): number {
  const qab = a + b;
  const qap = a + 1;
  const qam = a - 1;
  let c = 1;
  let d = 1 - (qab * x) / qap;
  if (Math.abs(d) < TINY) d = TINY;
  d = 1 / d;
  let h = d;
  for (let m = 1; m <= MAX_ITER; m++) {
    const m2 = 2 * m;
    // even step
    let aa = (m * (b - m) * x) / ((qam + m2) * (a + m2));
    d = 1 + aa * d;
    if (Math.abs(d) < TINY) d = TINY;
    c = 1 + aa / c;
    if (Math.abs(c) < TINY) c = TINY;
    d = 1 / d;
    h *= d * c;
    // odd step
    aa = (-(a + m) * (qab + m) * x) / ((a + m2) * (qap + m2));
    d = 1 + aa * d;
    if (Math.abs(d) < TINY) d = TINY;
    c = 1 + aa / c;
    if (Math.abs(c) < TINY) c = TINY;
    d = 1 / d;
    const del = d * c;
    h *= del;
    if (Math.abs(del - 1) < EPS) return h;
  }
  throw new Error('incomplete beta continued fraction did not converge');
}

/** The regularized incomplete beta function I_x(a, b), for a, b > 0 and 0 ≤ x ≤ 1. */
export function regularizedBeta(x: number, a: number, b: number): number {
  if (!(a > 0 && b > 0)) throw new RangeError('regularizedBeta needs a, b > 0');
  if (Number.isNaN(x) || x < 0 || x > 1) throw new RangeError('regularizedBeta needs 0 <= x <= 1');
  if (x === 0) return 0;
  if (x === 1) return 1;
  const lnFront = logGamma(a + b) - logGamma(a) - logGamma(b) + a * Math.log(x) + b * Math.log1p(-x);
  const front = Math.exp(lnFront);
  // The continued fraction converges fast for x < (a+1)/(a+b+2); otherwise use the symmetry
  // I_x(a,b) = 1 - I_{1-x}(b,a).
  if (x < (a + 1) / (a + b + 2)) return (front * betaContinuedFraction(a, b, x)) / a;
  return 1 - (front * betaContinuedFraction(b, a, 1 - x)) / b;
}

/** The regularized lower incomplete gamma function P(a, x), for a > 0 and x ≥ 0. */
export function regularizedGammaP(a: number, x: number): number {
  if (!(a > 0)) throw new RangeError('regularizedGammaP needs a > 0');
  if (Number.isNaN(x) || x < 0) throw new RangeError('regularizedGammaP needs x >= 0');
  if (x === 0) return 0;
  if (x < a + 1) return gammaSeries(a, x);
  return 1 - gammaContinuedFraction(a, x);
}

/** The regularized upper incomplete gamma function Q(a, x) = 1 - P(a, x), without cancellation. */
export function regularizedGammaQ(a: number, x: number): number {
  if (!(a > 0)) throw new RangeError('regularizedGammaQ needs a > 0');
  if (Number.isNaN(x) || x < 0) throw new RangeError('regularizedGammaQ needs x >= 0');
  if (x === 0) return 1;
  if (x < a + 1) return 1 - gammaSeries(a, x);
  return gammaContinuedFraction(a, x);
}

function gammaSeries(a: number, x: number): number {
  let ap = a;
  let sum = 1 / a;
  let del = sum;
  for (let n = 1; n <= MAX_ITER; n++) {
    ap += 1;
    del *= x / ap;
    sum += del;
    if (Math.abs(del) < Math.abs(sum) * EPS) {
      return sum * Math.exp(-x + a * Math.log(x) - logGamma(a));
    }
  }
  throw new Error('incomplete gamma series did not converge');
}

function gammaContinuedFraction(a: number, x: number): number {
  let b = x + 1 - a;
  let c = 1 / TINY;
  let d = 1 / b;
  let h = d;
  for (let i = 1; i <= MAX_ITER; i++) {
    const an = -i * (i - a);
    b += 2;
    d = an * d + b;
    if (Math.abs(d) < TINY) d = TINY;
    c = b + an / c;
    if (Math.abs(c) < TINY) c = TINY;
    d = 1 / d;
    const del = d * c;
    h *= del;
    if (Math.abs(del - 1) < EPS) return Math.exp(-x + a * Math.log(x) - logGamma(a)) * h;
  }
  throw new Error('incomplete gamma continued fraction did not converge');
}

/** P(T ≤ t) for Student's t distribution with `df` > 0 degrees of freedom (df need not be whole). */
export function studentTCdf(t: number, df: number): number {
  if (!(df > 0)) throw new RangeError('studentTCdf needs df > 0');
  if (Number.isNaN(t)) return Number.NaN;
  if (t === Number.POSITIVE_INFINITY) return 1;
  if (t === Number.NEGATIVE_INFINITY) return 0;
  const tail = 0.5 * regularizedBeta(df / (df + t * t), df / 2, 0.5);
  return t > 0 ? 1 - tail : tail;
}

/** Two-sided p-value P(|T| ≥ |t|), computed without the cancellation of 1 - CDF. */
export function studentTTwoSidedP(t: number, df: number): number {
  if (!(df > 0)) throw new RangeError('studentTTwoSidedP needs df > 0');
  if (!Number.isFinite(t)) return Number.isNaN(t) ? Number.NaN : 0;
  return regularizedBeta(df / (df + t * t), df / 2, 0.5);
}

/** Finds x with f(x) = p for an increasing f, by bracketing then bisection to full precision. */
function invertIncreasing(f: (x: number) => number, p: number, lo: number, hi: number): number {
  let a = lo;
  let b = hi;
  while (f(b) < p) {
    a = b;
    b *= 2;
    if (!Number.isFinite(b)) return Number.POSITIVE_INFINITY;
  }
  while (f(a) > p) {
    b = a;
    a = a < 0 ? a * 2 : a - (b - a + 1);
    if (!Number.isFinite(a)) return Number.NEGATIVE_INFINITY;
  }
  for (let i = 0; i < 200; i++) {
    const mid = (a + b) / 2;
    if (mid === a || mid === b) break;
    if (f(mid) < p) a = mid;
    else b = mid;
  }
  return (a + b) / 2;
}

/** The p-quantile of Student's t distribution with `df` degrees of freedom. */
export function studentTQuantile(p: number, df: number): number {
  if (!(p > 0 && p < 1)) throw new RangeError('studentTQuantile needs 0 < p < 1');
  if (!(df > 0)) throw new RangeError('studentTQuantile needs df > 0');
  if (p === 0.5) return 0;
  // Symmetric: solve in the upper half for precision.
  if (p < 0.5) return -studentTQuantile(1 - p, df);
  return invertIncreasing((x) => studentTCdf(x, df), p, 0, 1);
}

/** P(X ≤ x) for the chi-square distribution with `df` degrees of freedom. */
export function chiSquareCdf(x: number, df: number): number {
  if (!(df > 0)) throw new RangeError('chiSquareCdf needs df > 0');
  if (x <= 0) return 0;
  return regularizedGammaP(df / 2, x / 2);
}

/** P(X ≥ x) for the chi-square distribution (the p-value of a chi-square statistic). */
export function chiSquareSurvival(x: number, df: number): number {
  if (!(df > 0)) throw new RangeError('chiSquareSurvival needs df > 0');
  if (x <= 0) return 1;
  return regularizedGammaQ(df / 2, x / 2);
}

/** The p-quantile of the chi-square distribution. */
export function chiSquareQuantile(p: number, df: number): number {
  if (!(p > 0 && p < 1)) throw new RangeError('chiSquareQuantile needs 0 < p < 1');
  return invertIncreasing((x) => chiSquareCdf(x, df), p, 0, Math.max(1, df));
}

/** P(Z ≤ z) for the standard normal distribution: ½(1 + P(½, z²/2)) by the incomplete gamma. */
export function normalCdf(z: number): number {
  if (Number.isNaN(z)) return Number.NaN;
  if (z === Number.POSITIVE_INFINITY) return 1;
  if (z === Number.NEGATIVE_INFINITY) return 0;
  const half = 0.5 * regularizedGammaQ(0.5, (z * z) / 2); // P(Z ≥ |z|), without cancellation
  return z >= 0 ? 1 - half : half;
}

/** The p-quantile of the standard normal distribution. */
export function normalQuantile(p: number): number {
  if (!(p > 0 && p < 1)) throw new RangeError('normalQuantile needs 0 < p < 1');
  if (p === 0.5) return 0;
  if (p < 0.5) return -normalQuantile(1 - p);
  return invertIncreasing(normalCdf, p, 0, 1);
}
