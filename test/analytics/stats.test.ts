// The experiment statistics against published textbook values (t and chi-square tables, R's
// Welch example on the `sleep` data) and closed forms.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  chiSquareCdf,
  chiSquareQuantile,
  chiSquareSurvival,
  logGamma,
  regularizedBeta,
  regularizedGammaP,
  studentTCdf,
  studentTQuantile,
  studentTTwoSidedP,
} from '../../src/modules/experiments/stats/distributions.js';
import {
  chiSquareGoodnessOfFit,
  holmAdjust,
  summarise,
  welchTTest,
} from '../../src/modules/experiments/stats/tests.js';

function close(actual: number | null | undefined, expected: number, tolerance: number, what = ''): void {
  assert.ok(
    actual !== null && actual !== undefined && Math.abs(actual - expected) <= tolerance,
    `${what} expected ${expected} ± ${tolerance}, got ${actual}`,
  );
}

describe('special functions', () => {
  it('log-gamma matches factorials and Γ(1/2) = √π', () => {
    close(logGamma(1), 0, 1e-14);
    close(logGamma(5), Math.log(24), 1e-13);
    close(logGamma(11), Math.log(3628800), 1e-12);
    close(logGamma(0.5), Math.log(Math.sqrt(Math.PI)), 1e-14);
    close(logGamma(0.1), Math.log(9.513507698668732), 1e-12);
  });

  it('regularized incomplete beta matches closed forms and a reference value', () => {
    // I_x(1, 1) = x; I_x(a, 1) = x^a; I_x(2, 3) at 0.4 = 0.5248 (exact polynomial)
    close(regularizedBeta(0.3, 1, 1), 0.3, 1e-14);
    close(regularizedBeta(0.7, 3, 1), 0.343, 1e-14);
    close(regularizedBeta(0.4, 2, 3), 0.5248, 1e-13);
    close(regularizedBeta(0.9, 2, 3) + regularizedBeta(0.1, 3, 2), 1, 1e-13, 'symmetry');
    assert.equal(regularizedBeta(0, 2, 3), 0);
    assert.equal(regularizedBeta(1, 2, 3), 1);
    assert.throws(() => regularizedBeta(1.5, 2, 3), RangeError);
  });

  it('regularized incomplete gamma matches closed forms', () => {
    // P(1, x) = 1 - e^-x; P(3, x) = 1 - e^-x (1 + x + x²/2)
    close(regularizedGammaP(1, 2), 1 - Math.exp(-2), 1e-14);
    close(regularizedGammaP(3, 2.5), 1 - Math.exp(-2.5) * (1 + 2.5 + 3.125), 1e-14);
    close(regularizedGammaP(3, 20), 1 - Math.exp(-20) * (1 + 20 + 200), 1e-14);
  });
});

describe("Student's t distribution", () => {
  it('has the table quantiles', () => {
    close(studentTQuantile(0.975, 10), 2.228139, 1e-6, 't(0.975, 10)');
    close(studentTQuantile(0.975, 1), 12.706205, 1e-6, 't(0.975, 1)');
    close(studentTQuantile(0.995, 30), 2.749996, 1e-6, 't(0.995, 30)');
    close(studentTQuantile(0.95, 20), 1.724718, 1e-6, 't(0.95, 20)');
    close(studentTQuantile(0.025, 10), -2.228139, 1e-6, 'lower tail is symmetric');
    close(studentTQuantile(0.975, 1e7), 1.959964, 1e-5, 'large df tends to the normal');
    close(studentTQuantile(0.95, 2.5), 2.558219, 1e-6, 'fractional df');
  });

  it('has the table CDF values', () => {
    close(studentTCdf(2.0, 5), 0.9490303, 1e-7);
    close(studentTCdf(0, 7), 0.5, 1e-15);
    close(studentTCdf(-2.228139, 10), 0.025, 1e-7);
    // df = 1 is the Cauchy distribution: F(t) = 1/2 + atan(t)/π
    close(studentTCdf(3, 1), 0.5 + Math.atan(3) / Math.PI, 1e-13);
    close(studentTTwoSidedP(2.228139, 10), 0.05, 1e-7);
  });
});

describe('chi-square distribution', () => {
  it('has the table critical values', () => {
    close(chiSquareCdf(3.841459, 1), 0.95, 1e-7, 'χ²(1) 95%');
    close(chiSquareCdf(5.991465, 2), 0.95, 1e-7, 'χ²(2) 95%');
    close(chiSquareCdf(18.307038, 10), 0.95, 1e-7, 'χ²(10) 95%');
    close(chiSquareSurvival(10.827566, 1), 0.001, 1e-9, 'χ²(1) 99.9%');
    close(chiSquareCdf(1, 1), 0.6826895, 1e-7, 'one standard deviation');
    close(chiSquareQuantile(0.999, 1), 10.827566, 1e-5);
    // df = 2 is exponential: F(x) = 1 - e^(-x/2)
    close(chiSquareCdf(3, 2), 1 - Math.exp(-1.5), 1e-14);
  });
});

describe("Welch's t-test", () => {
  // R: t.test(extra ~ group, data = sleep): t = -1.8608, df = 17.776, p-value = 0.07939,
  // 95 percent confidence interval: -3.3654832 0.2054832 (as group1 - group2).
  const group1 = [0.7, -1.6, -0.2, -1.2, -0.1, 3.4, 3.7, 0.8, 0.0, 2.0];
  const group2 = [1.9, 0.8, 1.1, 0.1, -0.1, 4.4, 5.5, 1.6, 4.6, 3.4];

  it("reproduces R's Welch test on the sleep data", () => {
    const r = welchTTest(summarise(group2), summarise(group1));
    close(r.t, -1.860813, 1e-6, 't');
    close(r.df, 17.776474, 1e-6, 'df');
    close(r.pValue, 0.07939414, 1e-8, 'p');
    close(r.ci?.[0], -3.3654832, 1e-7, 'CI low');
    close(r.ci?.[1], 0.2054832, 1e-7, 'CI high');
  });

  it('is antisymmetric in its two samples', () => {
    const ab = welchTTest(summarise(group1), summarise(group2));
    const ba = welchTTest(summarise(group2), summarise(group1));
    close(ab.t, -(ba.t as number), 1e-12);
    close(ab.pValue, ba.pValue as number, 1e-12);
  });

  it('says the statistic is undefined when both samples are constant', () => {
    const r = welchTTest(summarise([1, 1, 1]), summarise([1, 1]));
    assert.equal(r.t, null);
    assert.equal(r.pValue, null);
    assert.throws(() => welchTTest(summarise([1]), summarise([1, 2])), RangeError);
  });

  it('summarises with the unbiased variance', () => {
    const s = summarise([2, 4, 4, 4, 5, 5, 7, 9]);
    assert.equal(s.n, 8);
    close(s.mean, 5, 1e-15);
    close(s.variance, 32 / 7, 1e-13);
  });
});

describe('goodness of fit and Holm–Bonferroni', () => {
  it("computes Pearson's chi-square against the weights", () => {
    // 60/40 against 50/50 of 100: (10² + 10²)/50 = 4, df 1, p = 0.0455003
    const r = chiSquareGoodnessOfFit([60, 40], [1, 1]);
    close(r.statistic, 4, 1e-12);
    assert.equal(r.df, 1);
    close(r.pValue, 0.04550026, 1e-8);
    // exactly on the weights: statistic 0, p 1
    const even = chiSquareGoodnessOfFit([300, 100], [3, 1]);
    close(even.statistic, 0, 1e-12);
    close(even.pValue, 1, 1e-12);
  });

  it('adjusts p-values step-down, in input order', () => {
    // Holm (1979) style example: p = 0.01, 0.04, 0.03, 0.005 (m = 4)
    // sorted 0.005×4 = 0.02, 0.01×3 = 0.03, 0.03×2 = 0.06, 0.04×1 = 0.04 → monotone 0.06
    const adjusted = holmAdjust([0.01, 0.04, 0.03, 0.005]);
    const expected = [0.03, 0.06, 0.06, 0.02];
    adjusted.forEach((p, i) => {
      close(p, expected[i] as number, 1e-12, `p[${i}]`);
    });
    assert.deepEqual(holmAdjust([0.5, 0.9]), [1, 1]);
    assert.deepEqual(holmAdjust([]), []);
  });
});

describe('properties (fast-check)', () => {
  it('t quantile inverts the t CDF, and the CDF is symmetric and increasing', async () => {
    const fc = (await import('fast-check')).default;
    fc.assert(
      fc.property(
        fc.double({ min: 0.001, max: 0.999, noNaN: true }),
        fc.double({ min: 0.5, max: 500, noNaN: true }),
        (p, df) => {
          const x = studentTQuantile(p, df);
          close(studentTCdf(x, df), p, 1e-9, `p=${p} df=${df}`);
          close(studentTCdf(-x, df), 1 - p, 1e-9);
          assert.ok(studentTCdf(x + 0.01, df) >= studentTCdf(x, df));
        },
      ),
      { numRuns: 300 },
    );
  });

  it('Holm never lowers a p-value, never exceeds 1, and keeps the order of the p-values', async () => {
    const fc = (await import('fast-check')).default;
    fc.assert(
      fc.property(
        fc.array(fc.double({ min: 0, max: 1, noNaN: true }), { minLength: 1, maxLength: 12 }),
        (ps) => {
          const adj = holmAdjust(ps);
          ps.forEach((p, i) => {
            assert.ok((adj[i] as number) >= p && (adj[i] as number) <= 1);
            ps.forEach((q, j) => {
              if (p < q) assert.ok((adj[i] as number) <= (adj[j] as number));
            });
          });
          // Bonferroni bounds Holm from above.
          for (const [i, p] of ps.entries())
            assert.ok((adj[i] as number) <= Math.min(1, p * ps.length) + 1e-15);
        },
      ),
      { numRuns: 300 },
    );
  });
});
