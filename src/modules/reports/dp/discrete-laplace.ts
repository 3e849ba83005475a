// An exact sampler of the discrete Laplace (two-sided geometric) distribution, after Canonne,
// Kamath and Steinke, "The Discrete Gaussian for Differential Privacy" (NeurIPS 2020),
// Algorithms 1 and 2. Only integer arithmetic on uniformly random integers drawn by rejection
// from a byte source: no floating point touches the noise, so it has none of the holes that
// floating-point Laplace noise leaks through (Mironov, CCS 2012).
//
// Lap_Z(t/s) has P(X = x) = (1 - q) / (1 + q) · q^|x| with q = e^(-s/t) (s, t positive integers).
// Adding it to a count whose sensitivity is Δ with t/s = Δ/ε gives ε-differential privacy.

/** Where random bytes come from (ctx.random in Vow: crypto in production, seeded in tests). */
export interface ByteSource {
  bytes(n: number): Buffer;
}

const TWO_48 = 2 ** 48;

/** A uniform integer in [0, n), n ≤ 2^48, by rejection sampling 48-bit draws (no modulo bias). */
export function uniformInt(source: ByteSource, n: number): number {
  if (!Number.isSafeInteger(n) || n < 1 || n > TWO_48)
    throw new RangeError('uniformInt needs 1 <= n <= 2^48');
  if (n === 1) return 0;
  const limit = TWO_48 - (TWO_48 % n); // largest multiple of n not above 2^48
  for (;;) {
    const v = source.bytes(6).readUIntBE(0, 6);
    if (v < limit) return v % n;
  }
}

/** Bernoulli(num/den) exactly, for integers 0 ≤ num ≤ den, den ≥ 1. */
export function bernoulli(source: ByteSource, num: number, den: number): boolean {
  if (!(Number.isSafeInteger(num) && Number.isSafeInteger(den)) || den < 1 || num < 0 || num > den) {
    throw new RangeError('bernoulli needs integers 0 <= num <= den');
  }
  return uniformInt(source, den) < num;
}

/** Bernoulli(exp(-num/den)) exactly, for integers num ≥ 0, den ≥ 1 (CKS 2020, Algorithm 1). */
export function bernoulliExpMinus(source: ByteSource, num: number, den: number): boolean {
  if (!(Number.isSafeInteger(num) && Number.isSafeInteger(den)) || num < 0 || den < 1) {
    throw new RangeError('bernoulliExpMinus needs integers num >= 0, den >= 1');
  }
  if (num <= den) {
    // γ = num/den in [0, 1]: K is the first k with A_k = 0, A_k ~ Bernoulli(γ/k); return K odd.
    let k = 1;
    while (bernoulli(source, num, den * k)) k++;
    return k % 2 === 1;
  }
  // γ > 1: e^(-γ) = (e^(-1))^floor(γ) · e^(-(γ - floor(γ))).
  const whole = Math.floor(num / den);
  for (let i = 0; i < whole; i++) {
    if (!bernoulliExpMinus(source, 1, 1)) return false;
  }
  return bernoulliExpMinus(source, num - whole * den, den);
}

/**
 * One draw of Lap_Z(t/s): P(X = x) ∝ e^(-|x|·s/t), for positive integers s and t
 * (CKS 2020, Algorithm 2).
 */
export function sampleDiscreteLaplace(source: ByteSource, s: number, t: number): number {
  if (!(Number.isSafeInteger(s) && Number.isSafeInteger(t)) || s < 1 || t < 1) {
    throw new RangeError('sampleDiscreteLaplace needs positive integers s and t');
  }
  for (;;) {
    const u = uniformInt(source, t);
    if (!bernoulliExpMinus(source, u, t)) continue;
    let v = 0;
    while (bernoulliExpMinus(source, 1, 1)) v++;
    const x = u + t * v; // geometric with parameter 1 - e^(-1/t)
    const y = Math.floor(x / s); // geometric with parameter 1 - e^(-s/t)
    const negative = bernoulli(source, 1, 2);
    if (negative && y === 0) continue; // reject "-0" so zero is not counted twice
    return negative ? -y : y;
  }
}

/** The probability mass of Lap_Z(t/s) at x (floating point; for tests and documentation). */
export function discreteLaplacePmf(x: number, s: number, t: number): number {
  const q = Math.exp(-s / t);
  return ((1 - q) / (1 + q)) * q ** Math.abs(x);
}

/**
 * ε as an exact fraction num/den with den = 1000 (ε is given with at most three decimals:
 * 0.5 → 500/1000, reduced to 1/2).
 */
export function epsilonFraction(epsilon: number): { num: number; den: number } {
  const num = Math.round(epsilon * 1000);
  if (!(num >= 1) || Math.abs(num / 1000 - epsilon) > 1e-9) {
    throw new RangeError('epsilon must be positive with at most three decimals');
  }
  const gcd = (a: number, b: number): number => (b === 0 ? a : gcd(b, a % b));
  const g = gcd(num, 1000);
  return { num: num / g, den: 1000 / g };
}

/**
 * Noise for a count of sensitivity Δ (a positive integer) at privacy ε: Lap_Z(Δ/ε), sampled as
 * Lap_Z(t/s) with s = ε's numerator and t = Δ × ε's denominator.
 */
export function countNoise(source: ByteSource, epsilon: number, sensitivity: number): number {
  const { num, den } = epsilonFraction(epsilon);
  return sampleDiscreteLaplace(source, num, sensitivity * den);
}
