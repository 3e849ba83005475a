// The aggregate reports Vow releases (P6), what one visitor or person can change in each, and the
// shape of a stored release's cells.

export const REPORTS = {
  visitors_by_area: {
    title: 'Visitors to each area of the site',
    subjectKind: 'site_visitor',
    cellName: 'area',
  },
  registrations_by_gender: {
    title: 'Men and women who filled in the registration form',
    subjectKind: 'account_holder',
    cellName: 'gender',
  },
} as const;
export type ReportName = keyof typeof REPORTS;
export const REPORT_NAMES = Object.keys(REPORTS) as ReportName[];

/** The recipient name for Vow's own staff (site design); every other name is a policy recipient. */
export const INTERNAL_RECIPIENT = 'internal';

/** A released cell as stored: the noisy count, or null when it fell under the threshold (fixed cells only). */
export interface StoredCell {
  readonly key: string;
  readonly count: number | null;
}

/**
 * How much one visitor or person can change a report's counts in total (L1): a visitor counts in
 * at most `cap` areas; a person counts once among the registrations.
 */
export function sensitivityOf(report: ReportName, contributionCap: number): number {
  return report === 'visitors_by_area' ? contributionCap : 1;
}
