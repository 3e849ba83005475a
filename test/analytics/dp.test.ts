// The exact discrete Laplace mechanism: its draws follow the pmf (chi-square goodness of fit),
// it is reproducible from the injected byte source, its building blocks are exact, and the
// accuracy interval shown with each released count covers the true count at its stated rate.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { chiSquareGoodnessOfFit } from '../../src/modules/experiments/stats/tests.js';
import { noiseInterval, thresholdDelta } from '../../src/modules/reports/dp/accuracy.js';
import {
  bernoulliExpMinus,
  countNoise,
  discreteLaplacePmf,
  epsilonFraction,
  sampleDiscreteLaplace,
  uniformInt,
} from '../../src/modules/reports/dp/discrete-laplace.js';
import { canonicalWeek, type Week } from '../../src/modules/reports/periods.js';
import { presentRelease } from '../../src/modules/reports/present.js';
import { seededRandom } from '../../src/platform/clock.js';

describe('discrete Laplace sampler', () => {
  it('draws uniform integers without bias', () => {
    const rnd = seededRandom(7);
    const counts = [0, 0, 0, 0, 0, 0, 0];
    for (let i = 0; i < 70_000; i++) counts[uniformInt(rnd, 7)]!++;
    assert.ok(chiSquareGoodnessOfFit(counts, [1, 1, 1, 1, 1, 1, 1]).pValue > 1e-5, `${counts}`);
  });

  it('draws Bernoulli(e^-γ) with the right frequency for rational γ below and above 1', () => {
    const rnd = seededRandom(11);
    for (const [num, den] of [
      [1, 3],
      [5, 2],
    ] as const) {
      const n = 40_000;
      let hits = 0;
      for (let i = 0; i < n; i++) if (bernoulliExpMinus(rnd, num, den)) hits++;
      const p = Math.exp(-num / den);
      const observed = [hits, n - hits];
      const fit = chiSquareGoodnessOfFit(observed, [p, 1 - p]);
      assert.ok(fit.pValue > 1e-5, `γ = ${num}/${den}: ${hits}/${n} vs ${p} (p = ${fit.pValue})`);
    }
  });

  it('matches the discrete Laplace pmf (chi-square goodness of fit over 60k draws)', () => {
    for (const [s, t] of [
      [1, 2], // scale 2 (ε = 0.5, sensitivity 1)
      [3, 1], // scale 1/3: mostly zeros
    ] as const) {
      const rnd = seededRandom(2026 + s);
      const n = 60_000;
      const draws = new Map<number, number>();
      let sum = 0;
      for (let i = 0; i < n; i++) {
        const x = sampleDiscreteLaplace(rnd, s, t);
        sum += x;
        draws.set(x, (draws.get(x) ?? 0) + 1);
      }
      // Bins -K..K plus the two tails, K chosen so every bin expects at least 5 draws.
      let k = 0;
      while (n * discreteLaplacePmf(k + 1, s, t) >= 5) k++;
      const observed: number[] = [];
      const expected: number[] = [];
      let tailObserved = 0;
      for (const [x, c] of draws) if (Math.abs(x) > k) tailObserved += c;
      for (let x = -k; x <= k; x++) {
        observed.push(draws.get(x) ?? 0);
        expected.push(discreteLaplacePmf(x, s, t));
      }
      const inside = expected.reduce((a, b) => a + b, 0);
      observed.push(tailObserved);
      expected.push(1 - inside);
      const fit = chiSquareGoodnessOfFit(observed, expected);
      assert.ok(fit.pValue > 1e-5, `s=${s} t=${t}: χ² = ${fit.statistic} (df ${fit.df}), p = ${fit.pValue}`);
      assert.ok(Math.abs(sum / n) < 0.05, `mean near zero (${sum / n})`);
    }
  });

  it('noises a count of sensitivity Δ at ε with scale Δ/ε (ε = 0.5, Δ = 2: scale 4)', () => {
    const rnd = seededRandom(31);
    const n = 60_000;
    const counts = new Map<number, number>();
    for (let i = 0; i < n; i++) {
      const x = countNoise(rnd, 0.5, 2);
      counts.set(x, (counts.get(x) ?? 0) + 1);
    }
    const observed: number[] = [];
    const expected: number[] = [];
    let inside = 0;
    for (let x = -15; x <= 15; x++) {
      observed.push(counts.get(x) ?? 0);
      expected.push(discreteLaplacePmf(x, 1, 4));
      inside += counts.get(x) ?? 0;
    }
    observed.push(n - inside);
    expected.push(1 - expected.reduce((a, b) => a + b, 0));
    const fit = chiSquareGoodnessOfFit(observed, expected);
    assert.ok(fit.pValue > 1e-5, `χ² = ${fit.statistic}, p = ${fit.pValue}`);
    // Variance of Lap_Z(t/s) is 2q/(1-q)² with q = e^(-s/t).
    const q = Math.exp(-1 / 4);
    let sumSq = 0;
    for (const [x, c] of counts) sumSq += x * x * c;
    const variance = sumSq / n;
    const theory = (2 * q) / (1 - q) ** 2;
    assert.ok(Math.abs(variance - theory) / theory < 0.05, `variance ${variance} vs ${theory}`);
  });

  it('would notice a wrong scale (the goodness-of-fit check has power)', () => {
    const rnd = seededRandom(5);
    const n = 60_000;
    const counts = new Map<number, number>();
    for (let i = 0; i < n; i++) {
      const x = sampleDiscreteLaplace(rnd, 1, 2);
      counts.set(x, (counts.get(x) ?? 0) + 1);
    }
    // Compare scale-2 draws against a scale-3 pmf: must be rejected.
    const observed: number[] = [];
    const expected: number[] = [];
    for (let x = -5; x <= 5; x++) {
      observed.push(counts.get(x) ?? 0);
      expected.push(discreteLaplacePmf(x, 1, 3));
    }
    assert.ok(chiSquareGoodnessOfFit(observed, expected).pValue < 1e-10);
  });

  it('is reproducible from the byte source and never returns "-0"', () => {
    const a = seededRandom(99);
    const b = seededRandom(99);
    const xs = Array.from({ length: 200 }, () => countNoise(a, 0.5, 2));
    const ys = Array.from({ length: 200 }, () => countNoise(b, 0.5, 2));
    assert.deepEqual(xs, ys);
    assert.ok(xs.every((x) => !Object.is(x, -0)));
  });

  it('takes epsilon as an exact fraction with at most three decimals', () => {
    assert.deepEqual(epsilonFraction(0.5), { num: 1, den: 2 });
    assert.deepEqual(epsilonFraction(1), { num: 1, den: 1 });
    assert.deepEqual(epsilonFraction(0.125), { num: 1, den: 8 });
    assert.throws(() => epsilonFraction(0.0001), RangeError);
    assert.throws(() => epsilonFraction(0), RangeError);
    assert.throws(() => sampleDiscreteLaplace(seededRandom(1), 0, 2), RangeError);
  });
});

describe('accuracy of a released count', () => {
  it('has the smallest whole half-width whose two tails hold at most α', () => {
    // P(|X| > k) = 2 q^(k+1) / (1 + q), q = e^(-ε/Δ).
    const tail = (k: number, epsilon: number, delta: number) => {
      const q = Math.exp(-epsilon / delta);
      return (2 * q ** (k + 1)) / (1 + q);
    };
    for (const [epsilon, delta, alpha] of [
      [1, 2, 0.05],
      [1, 1, 0.05],
      [0.5, 2, 0.1],
      [0.1, 1, 0.01],
      [5, 1, 0.05],
    ] as const) {
      const { halfWidth: k, coverage } = noiseInterval(epsilon, delta, alpha);
      assert.ok(tail(k, epsilon, delta) <= alpha, `ε=${epsilon} Δ=${delta}: k=${k} holds`);
      if (k > 0) assert.ok(tail(k - 1, epsilon, delta) > alpha, `ε=${epsilon} Δ=${delta}: k-1 does not`);
      assert.ok(Math.abs(coverage - (1 - tail(k, epsilon, delta))) < 1e-15);
    }
    // Large ε: the noise is almost always 0 (k = 0 covers with 1 - 2q/(1+q) ≥ 95%).
    assert.equal(noiseInterval(5, 1, 0.05).halfWidth, 0);
    assert.throws(() => noiseInterval(1, 1, 0), RangeError);
  });

  it('covers the true count at its stated rate over 10,000 released counts (within 1 point)', () => {
    const week = canonicalWeek('2026-W02') as Week;
    const budget = {
      week: '2026-W03',
      spent: 0,
      limit: 3,
      remaining: 3,
      lifetime: { days: 365, since: '', spent: 0, limit: 52, remaining: 52 },
    };
    for (const [epsilon, cap, report, seed] of [
      [1, 2, 'visitors_by_area', 1],
      [1, 1, 'registrations_by_gender', 2],
      [0.5, 2, 'visitors_by_area', 3],
      [0.25, 1, 'registrations_by_gender', 4],
    ] as const) {
      const rnd = seededRandom(700 + seed);
      const sensitivity = report === 'visitors_by_area' ? cap : 1;
      const n = 10_000;
      const truth = 500;
      let covered = 0;
      let stated = 0;
      for (let i = 0; i < n; i += 50) {
        // Releases of 50 cells each, presented as the API presents them.
        const cells = Array.from({ length: 50 }, (_, j) => ({
          key: `cell-${j}`,
          count: truth + countNoise(rnd, epsilon, sensitivity),
        }));
        const shown = presentRelease(
          {
            id: 'r',
            report,
            period: week.period,
            epsilon_milli: epsilon * 1000,
            threshold: 20,
            contribution_cap: cap,
            cells: JSON.stringify(cells),
            policy_version: 'v',
            released_at: '2026-01-12T00:00:00.000Z',
          },
          week,
          'internal',
          0.05,
          { charged: true, budget },
        );
        stated = shown.accuracy.coverage;
        for (const c of shown.cells) {
          const [low, high] = c.interval as [number, number];
          if (low <= truth && truth <= high) covered++;
        }
      }
      const rate = covered / n;
      assert.ok(stated >= 0.95, `stated coverage ${stated} is at least 1 - α`);
      assert.ok(
        Math.abs(rate - stated) <= 0.01,
        `ε=${epsilon} Δ=${sensitivity}: covered ${rate} of draws, stated ${stated}`,
      );
      assert.ok(Math.abs(rate - 0.95) <= 0.03, `near the nominal 95% (${rate})`);
    }
  });

  it('states the δ of the noisy threshold: one visitor alone released with P(X ≥ T - 1), per cell', () => {
    const q = Math.exp(-1 / 2);
    assert.ok(Math.abs(thresholdDelta(1, 2, 20, 2) - (2 * q ** 19) / (1 + q)) < 1e-18);
    assert.equal(thresholdDelta(1, 1, 1, 1), 1 / (1 + Math.exp(-1)), 'threshold 1: P(X ≥ 0)');
  });
});
