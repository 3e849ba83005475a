// A stored release as its reader sees it: the noisy cells, each with the interval that holds its
// noise at the policy's level (accuracy), the protections (ε, threshold, cap, sensitivity, δ), and
// where the recipient's budget stands; and the same as CSV.
import { csvFile } from '../../platform/csv.js';
import type { Database } from '../../platform/store/index.js';
import type { BudgetStatus } from './budget.js';
import { REPORTS, type ReportName, type StoredCell, sensitivityOf } from './catalog.js';
import { type NoiseInterval, noiseInterval, thresholdDelta } from './dp/accuracy.js';
import type { Week } from './periods.js';

export interface ReportCell extends StoredCell {
  /**
   * [count - k, count + k] (the low end at least 0): holds the true count whenever the noise is
   * within ±k, which happens with probability `accuracy.coverage` (at least 1 - α). null when the
   * count is withheld.
   */
  readonly interval: [number, number] | null;
}

export interface ReleasedReport {
  readonly report: ReportName;
  readonly title: string;
  readonly period: string;
  readonly periodStart: string;
  readonly periodEnd: string;
  readonly recipient: string;
  readonly releaseId: string;
  readonly releasedAt: string;
  readonly mechanism: 'discrete_laplace';
  readonly epsilon: number;
  /** Cells are released only when their noisy count is at least this. */
  readonly threshold: number;
  readonly contributionCap: number;
  /** How much one visitor or person can change the counts in total (L1). */
  readonly sensitivity: number;
  /**
   * For reports whose cells come from the data (areas): the chance bound that a cell made by one
   * visitor alone is released (the δ of (ε, δ)-differential privacy). 0 for fixed cells.
   */
  readonly delta: number;
  /** How far a released count may be from the true one: the noise's (1 - α) interval. */
  readonly accuracy: NoiseInterval & { readonly confidence: number };
  readonly cells: ReportCell[];
  /** Whether this answer was charged to the recipient's budget now (false: received before). */
  readonly charged: boolean;
  readonly budget: BudgetStatus;
  readonly policyVersion: string;
}

export function presentRelease(
  release: Database['report_releases'],
  week: Week,
  recipient: string,
  alpha: number,
  outcome: { charged: boolean; budget: BudgetStatus },
): ReleasedReport {
  const report = release.report as ReportName;
  const epsilon = Number(release.epsilon_milli) / 1000;
  const cap = Number(release.contribution_cap);
  const threshold = Number(release.threshold);
  const sensitivity = sensitivityOf(report, cap);
  const accuracy = noiseInterval(epsilon, sensitivity, alpha);
  const k = accuracy.halfWidth;
  const cells = (JSON.parse(release.cells) as StoredCell[]).map((c) => ({
    key: c.key,
    count: c.count,
    interval: c.count === null ? null : ([Math.max(0, c.count - k), c.count + k] as [number, number]),
  }));
  return {
    report,
    title: REPORTS[report].title,
    period: release.period,
    periodStart: week.start.toISOString(),
    periodEnd: week.end.toISOString(),
    recipient,
    releaseId: release.id,
    releasedAt: release.released_at,
    mechanism: 'discrete_laplace',
    epsilon,
    threshold,
    contributionCap: cap,
    sensitivity,
    delta: report === 'visitors_by_area' ? thresholdDelta(epsilon, sensitivity, threshold, cap) : 0,
    accuracy: { ...accuracy, confidence: 1 - alpha },
    cells,
    charged: outcome.charged,
    budget: outcome.budget,
    policyVersion: release.policy_version,
  };
}

/** A report as CSV: a header, one row per cell; the protections and the accuracy on every row. */
export function reportCsv(r: ReleasedReport): string {
  return csvFile(
    [
      'report',
      'period',
      REPORTS[r.report].cellName,
      'count',
      'interval_low',
      'interval_high',
      'coverage',
      'epsilon',
      'threshold',
      'mechanism',
    ],
    r.cells.map((c) => [
      r.report,
      r.period,
      c.key,
      c.count === null ? 'suppressed' : String(c.count),
      c.interval === null ? '' : String(c.interval[0]),
      c.interval === null ? '' : String(c.interval[1]),
      c.interval === null ? '' : r.accuracy.coverage.toFixed(4),
      r.epsilon,
      r.threshold,
      r.mechanism,
    ]),
  );
}
