// The experiment statistics that say when they know, checked by simulation (seeded, so every run
// is the same): the always-valid mSPRT keeps the false positive rate at α over A/A experiments read
// every day, where a fixed-horizon Welch test read every day does not; CUPED removes the variance a
// correlated pre-exposure covariate explains, without bias; the power calculator matches the
// closed forms.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { cuped } from '../../src/modules/experiments/stats/cuped.js';
import { normalCdf, normalQuantile } from '../../src/modules/experiments/stats/distributions.js';
import { minimumDetectableEffect, sampleSize } from '../../src/modules/experiments/stats/power.js';
import { mixtureSequentialTest } from '../../src/modules/experiments/stats/sequential.js';
import { type Summary, summarise, welchTTest } from '../../src/modules/experiments/stats/tests.js';

/** A seeded generator (mulberry32) with standard normal draws (Box–Muller). */
function rng(seed: number): { uniform: () => number; normal: () => number } {
  let state = seed >>> 0;
  const uniform = () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  let spare: number | undefined;
  const normal = () => {
    if (spare !== undefined) {
      const s = spare;
      spare = undefined;
      return s;
    }
    const u = 1 - uniform();
    const v = uniform();
    const r = Math.sqrt(-2 * Math.log(u));
    spare = r * Math.sin(2 * Math.PI * v);
    return r * Math.cos(2 * Math.PI * v);
  };
  return { uniform, normal };
}

/** Running sums of one arm, read as a Summary at any time. */
class Running {
  n = 0;
  sum = 0;
  sumSq = 0;
  add(x: number): void {
    this.n++;
    this.sum += x;
    this.sumSq += x * x;
  }
  summary(): Summary {
    const mean = this.sum / this.n;
    return { n: this.n, mean, variance: (this.sumSq - this.n * mean * mean) / (this.n - 1) };
  }
}

interface Peeking {
  /** Share of experiments a test called significant at some daily look. */
  welchAnyDay: number;
  sequentialAnyDay: number;
  /** Share significant by Welch at the last day only (one planned look). */
  welchLastDay: number;
}

/** Experiments read every day for `days` days; `draw(arm)` gives one visitor's value. */
function simulate(
  experiments: number,
  days: number,
  perArmPerDay: number,
  draw: (arm: 0 | 1) => number,
): Peeking {
  let welchAny = 0;
  let seqAny = 0;
  let welchLast = 0;
  for (let e = 0; e < experiments; e++) {
    const arms = [new Running(), new Running()] as const;
    let welchHit = false;
    let seqHit = false;
    for (let day = 1; day <= days; day++) {
      for (let i = 0; i < perArmPerDay; i++) {
        arms[0].add(draw(0));
        arms[1].add(draw(1));
      }
      const a = arms[0].summary();
      const b = arms[1].summary();
      const w = welchTTest(a, b);
      if (w.pValue !== null && w.pValue < 0.05) {
        welchHit = true;
        if (day === days) welchLast++;
      }
      const s = mixtureSequentialTest(a, b, { alpha: 0.05, tuningN: 5000 });
      if (s && s.pValue < 0.05) seqHit = true;
    }
    if (welchHit) welchAny++;
    if (seqHit) seqAny++;
  }
  return {
    welchAnyDay: welchAny / experiments,
    sequentialAnyDay: seqAny / experiments,
    welchLastDay: welchLast / experiments,
  };
}

describe('sequential testing (mSPRT) read every day', () => {
  it('keeps the false positive rate at α over 1,000 A/A experiments read daily; Welch read daily does not', () => {
    // 30 days, 50 visitors a day in each layout, a skewed metric (visit durations: log-normal).
    const r = rng(20_260_115);
    const durations = simulate(1000, 30, 50, () => Math.exp(10 + 0.8 * r.normal()));
    assert.ok(durations.sequentialAnyDay <= 0.05, `mSPRT: ${durations.sequentialAnyDay}`);
    assert.ok(durations.welchAnyDay >= 0.15, `Welch read daily: ${durations.welchAnyDay}`);
    assert.ok(Math.abs(durations.welchLastDay - 0.05) < 0.02, `Welch read once: ${durations.welchLastDay}`);
  });

  it('does the same for a rate (conversion, 8%)', () => {
    const r = rng(20_260_116);
    const conversions = simulate(1000, 30, 50, () => (r.uniform() < 0.08 ? 1 : 0));
    assert.ok(conversions.sequentialAnyDay <= 0.05, `mSPRT, conversion: ${conversions.sequentialAnyDay}`);
    assert.ok(conversions.welchAnyDay >= 0.15, `Welch read daily, conversion: ${conversions.welchAnyDay}`);
    assert.ok(
      Math.abs(conversions.welchLastDay - 0.05) < 0.02,
      `Welch read once: ${conversions.welchLastDay}`,
    );
  });

  it('still finds a real difference (power)', () => {
    const r = rng(7);
    const found = simulate(200, 30, 50, (arm) => 100 + 30 * r.normal() + (arm === 1 ? 4.5 : 0));
    assert.ok(found.sequentialAnyDay >= 0.7, `mSPRT power: ${found.sequentialAnyDay}`);
  });

  it('gives a p-value below α exactly when its interval leaves out 0, and the normal-mixture width', () => {
    const r = rng(3);
    for (let k = 0; k < 200; k++) {
      const a = summarise(Array.from({ length: 300 }, () => r.normal()));
      const b = summarise(Array.from({ length: 300 }, () => r.normal() + 0.25 * r.uniform()));
      const s = mixtureSequentialTest(a, b, { alpha: 0.05, tuningN: 600 })!;
      assert.equal(s.pValue < 0.05, s.ci[0] > 0 || s.ci[1] < 0);
      assert.ok(Math.abs(s.pValue - Math.min(1, 1 / s.likelihoodRatio)) < 1e-12);
      // At the tuning size, Howard et al.'s margin sqrt(2(tρ²+1)/(t²ρ²) · ln(sqrt(tρ²+1)/α)) per unit
      // variance, with ρ² = x/t, x = 2 ln(1/α) + ln(1 + x).
      let x = 6;
      for (let i = 0; i < 200; i++) x = 2 * Math.log(20) + Math.log1p(x);
      const t = 600;
      const rho2 = x / t;
      const unitVariance = (a.variance / a.n + b.variance / b.n) * t;
      const margin = Math.sqrt(
        unitVariance * ((2 * (t * rho2 + 1)) / (t * t * rho2)) * Math.log(Math.sqrt(t * rho2 + 1) / 0.05),
      );
      assert.ok(Math.abs((s.ci[1] - s.ci[0]) / 2 - margin) < 1e-9 * margin);
    }
    assert.equal(
      mixtureSequentialTest(summarise([1, 1]), summarise([2, 2]), { alpha: 0.05, tuningN: 10 }),
      null,
    );
  });
});

describe('CUPED (Deng et al. 2013)', () => {
  it('removes the variance a correlated pre-exposure covariate explains (1 - ρ²)', () => {
    const r = rng(11);
    // y = 10 + 3x + e, x ~ N(0, 1), e ~ N(0, 4): ρ² = 9 / 13, so CUPED keeps 4/13 = 0.31 of the variance.
    const arm = () => {
      const x = Array.from({ length: 5000 }, () => r.normal());
      return { x, y: x.map((v) => 10 + 3 * v + 2 * r.normal()) };
    };
    const result = cuped([arm(), arm()])!;
    assert.ok(Math.abs(result.theta - 3) < 0.05, `θ ${result.theta}`);
    assert.ok(Math.abs(1 - result.varianceReduction - 4 / 13) < 0.02, `kept ${1 - result.varianceReduction}`);
  });

  it('keeps the difference unbiased and lowers its variance over 500 simulated experiments', () => {
    const r = rng(12);
    const raw: number[] = [];
    const adjusted: number[] = [];
    for (let e = 0; e < 500; e++) {
      const arms = [0, 0.5].map((effect) => {
        const x = Array.from({ length: 200 }, () => r.normal());
        return { x, y: x.map((v) => 10 + effect + 3 * v + 2 * r.normal()) };
      });
      const mean = (v: readonly number[]) => v.reduce((s, y) => s + y, 0) / v.length;
      raw.push(mean(arms[1]!.y) - mean(arms[0]!.y));
      const c = cuped(arms)!;
      adjusted.push(mean(c.adjusted[1]!) - mean(c.adjusted[0]!));
    }
    const rawS = summarise(raw);
    const adjS = summarise(adjusted);
    const ratio = adjS.variance / rawS.variance;
    assert.ok(Math.abs(adjS.mean - 0.5) < 0.02, `CUPED mean difference ${adjS.mean}`);
    assert.ok(Math.abs(rawS.mean - 0.5) < 0.05, `raw mean difference ${rawS.mean}`);
    assert.ok(ratio > 0.2 && ratio < 0.42, `variance ratio ${ratio} (theory 4/13 = 0.31)`);
  });

  it('has nothing to adjust with when the covariate does not vary', () => {
    assert.equal(cuped([{ y: [1, 2, 3], x: [0, 0, 0] }]), null);
  });
});

describe('power and minimum detectable effect', () => {
  it('has the normal quantiles', () => {
    assert.ok(Math.abs(normalQuantile(0.975) - 1.959963984540054) < 1e-12);
    assert.ok(Math.abs(normalQuantile(0.8) - 0.8416212335729143) < 1e-12);
    assert.ok(Math.abs(normalQuantile(0.001) + 3.090232306167813) < 1e-11);
    assert.ok(Math.abs(normalCdf(-3) - 0.0013498980316300933) < 1e-15);
  });

  it('matches the closed forms: (z_{1-α/2} + z_{1-β})² (σ_c²/w_c + σ_v²/w_v) / δ²', () => {
    const means = { baseline: 100, sd: 1, rate: false, weights: [1, 1], alpha: 0.05, power: 0.8 };
    // 2 · (1.95996 + 0.84162)² / 0.2² = 392.44 per layout
    assert.deepEqual(sampleSize(means, 0.2), { total: 786, perArm: [393, 393] });
    assert.deepEqual(sampleSize({ ...means, weights: [1, 3] }, 0.2), { total: 1047, perArm: [262, 785] });
    // Rates 10% → 12%: (0.09 + 0.1056) · 7.849 / 0.0004 = 3838.1
    assert.deepEqual(sampleSize({ ...means, baseline: 0.1, rate: true }, 0.02).perArm, [3839, 3839]);
    // And back: 786 visitors detect a little under 0.2.
    const mde = minimumDetectableEffect(means, 786);
    assert.ok(mde < 0.2 && mde > 0.199, `${mde}`);
    const rateMde = minimumDetectableEffect({ ...means, baseline: 0.1, rate: true }, 7678);
    assert.ok(Math.abs(rateMde - 0.02) < 1e-4, `${rateMde}`);
  });
});
