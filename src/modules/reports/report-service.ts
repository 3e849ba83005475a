// Aggregate reports (P6): "visitors to each area of the site" and "men and women who filled in the
// registration form", per ISO week, released with differential privacy:
// - each visitor's (person's) contribution is capped (at most `contribution_cap` cells);
// - each count gets exact discrete Laplace noise of scale sensitivity/ε (dp/discrete-laplace.ts);
// - a cell is released only when its noisy count reaches the threshold (a noisy threshold);
// - the released answer is stored, so asking again returns the same numbers (no averaging away);
// - each recipient has a budget of ε per period; a release beyond it is refused.
// Only the noisy, released cells are stored; exact counts never leave this function.
import { type Kysely, sql, type Transaction } from 'kysely';
import type { AuditEntry } from '../../platform/audit/index.js';
import { csvFile } from '../../platform/csv.js';
import { isVowError, VowError } from '../../platform/errors.js';
import type { Database } from '../../platform/store/index.js';
import { decide } from '../decisions/index.js';
import type { VowContext } from '../policy/index.js';
import { isWithin, type ReportSettings, reportsSchema } from '../policy/index.js';
import { countNoise, epsilonFraction } from './dp/discrete-laplace.js';

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

/** The recipient name for Vow's own staff (site design); every other name is a policy recipient. */
export const INTERNAL_RECIPIENT = 'internal';

export interface ReportCell {
  readonly key: string;
  /** The noisy count, or null when it fell under the threshold (only for fixed cells such as genders). */
  readonly count: number | null;
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
  readonly cells: ReportCell[];
  readonly budget: { readonly spent: number; readonly limit: number; readonly remaining: number };
  readonly policyVersion: string;
}

const WEEK = /^(\d{4})-W(\d{2})$/;
const DAY_MS = 86_400_000;

/** Monday 00:00 UTC of ISO week 1 of `year` (the week holding 4 January). */
function isoWeekOneMonday(year: number): number {
  const jan4 = Date.UTC(year, 0, 4);
  const weekday = (new Date(jan4).getUTCDay() + 6) % 7; // Monday 0 … Sunday 6
  return jan4 - weekday * DAY_MS;
}

/** The [start, end) instants of an ISO week such as 2026-W03 (UTC), or undefined if no such week. */
export function isoWeekRange(period: string): { start: Date; end: Date } | undefined {
  const m = WEEK.exec(period);
  if (!m) return undefined;
  const year = Number(m[1]);
  const week = Number(m[2]);
  const weeksInYear = (isoWeekOneMonday(year + 1) - isoWeekOneMonday(year)) / (7 * DAY_MS);
  if (week < 1 || week > weeksInYear) return undefined;
  const start = isoWeekOneMonday(year) + (week - 1) * 7 * DAY_MS;
  return { start: new Date(start), end: new Date(start + 7 * DAY_MS) };
}

/** The ISO week holding an instant, e.g. 2026-W03. */
export function isoWeekOf(at: Date): string {
  let year = at.getUTCFullYear() + 1;
  while (isoWeekOneMonday(year) > at.getTime()) year--;
  const week = Math.floor((at.getTime() - isoWeekOneMonday(year)) / (7 * DAY_MS)) + 1;
  return `${year}-W${String(week).padStart(2, '0')}`;
}

/**
 * Visitors per area with each visitor counted once per area and in at most `cap` areas (the first
 * they visited, ties by area name), so one visitor changes the counts by at most `cap` in total.
 */
export function capContributions(
  rows: readonly { visitorId: string; area: string; firstAt: string }[],
  cap: number,
): Map<string, number> {
  const perVisitor = new Map<string, { area: string; firstAt: string }[]>();
  for (const r of rows) {
    const list = perVisitor.get(r.visitorId) ?? [];
    if (!list.some((x) => x.area === r.area)) list.push({ area: r.area, firstAt: r.firstAt });
    perVisitor.set(r.visitorId, list);
  }
  const counts = new Map<string, number>();
  for (const list of perVisitor.values()) {
    list.sort((a, b) => (a.firstAt < b.firstAt ? -1 : a.firstAt > b.firstAt ? 1 : a.area < b.area ? -1 : 1));
    for (const { area } of list.slice(0, cap)) counts.set(area, (counts.get(area) ?? 0) + 1);
  }
  return counts;
}

/** The purpose of the counting itself, and the consent channel a visitor is counted under. */
const COUNTING_PURPOSE = 'reporting.aggregation';
const COUNTING_CONSENT_CHANNEL = 'cookies.analytics';

const GENDER_CELLS: Readonly<Record<string, string>> = { male: 'men', female: 'women' };

type Db = Kysely<Database> | Transaction<Database>;

export class ReportService {
  readonly #ctx: VowContext;

  constructor(ctx: VowContext) {
    this.#ctx = ctx;
  }

  /** The policy's report protections, with the defaults filled in. */
  settings(): ReportSettings {
    return reportsSchema.parse(this.#ctx.policy.doc.reports ?? {});
  }

  /** Checks the policy allows aggregate statistics of this report to reach this recipient. */
  #authorise(report: ReportName, recipient: string): { purpose: string } {
    const policy = this.#ctx.policy;
    let purpose = 'analytics.aggregate_reporting';
    if (recipient !== INTERNAL_RECIPIENT) {
      const r = policy.recipient(recipient);
      if (!r) throw new VowError('VOW_UNKNOWN_RECIPIENT', `Unknown recipient "${recipient}"`, { recipient });
      const aggregatePurpose = r.purposes.find((p) => policy.doc.purposes[p]?.aggregate_only === true);
      if (!aggregatePurpose) {
        throw new VowError('VOW_REPORT_NOT_ALLOWED', 'This recipient receives no aggregate statistics', {
          recipient,
        });
      }
      purpose = aggregatePurpose;
    }
    const decision = decide(policy, {
      subject: { kinds: [REPORTS[report].subjectKind] },
      purpose,
      categories: ['aggregate.statistics'],
      ...(recipient === INTERNAL_RECIPIENT ? {} : { recipient }),
    });
    if (decision.decision !== 'allow') {
      throw new VowError(
        'VOW_REPORT_NOT_ALLOWED',
        'The policy does not allow this report for this recipient',
        {
          recipient,
          reasons: decision.reasons.filter((r) => r.effect === 'deny').map((r) => r.code),
        },
      );
    }
    return { purpose };
  }

  /**
   * The report for one finished ISO week, for one recipient. The first time the question is asked
   * the counts are computed, noised and stored; afterwards the stored answer is returned. A
   * recipient's first receipt of a release is charged to its budget for the period.
   */
  async report(
    report: ReportName,
    period: string,
    recipient: string,
    actor: AuditEntry['actor'],
  ): Promise<ReleasedReport> {
    const range = isoWeekRange(period);
    if (!range)
      throw new VowError('VOW_VALIDATION', 'The period must be an ISO week such as 2026-W03', { period });
    if (range.end.getTime() > this.#ctx.clock.now().getTime()) {
      throw new VowError('VOW_REPORT_PERIOD_OPEN', 'The week has not ended yet', { period });
    }
    const { purpose } = this.#authorise(report, recipient);
    const settings = this.settings();
    const budgetMilli = Math.round(settings.budget_per_period * 1000);
    const db = this.#ctx.store.db;

    const released = db.transaction().execute(async (trx) => {
      // One report release at a time (PostgreSQL, several processes): the budget check and the
      // release must not interleave. SQLite transactions are already serialised.
      if (this.#ctx.store.dialect === 'postgres') {
        await sql`select pg_advisory_xact_lock(${REPORT_LOCK_KEY})`.execute(trx);
      }
      const now = this.#ctx.clock.now().toISOString();
      let release = await trx
        .selectFrom('report_releases')
        .selectAll()
        .where('report', '=', report)
        .where('period', '=', period)
        .executeTakeFirst();
      const receipt = release
        ? await trx
            .selectFrom('report_receipts')
            .select('seq')
            .where('release_id', '=', release.id)
            .where('recipient', '=', recipient)
            .executeTakeFirst()
        : undefined;
      const spentRow = await trx
        .selectFrom('report_receipts')
        .select((eb) => eb.fn.sum<number | string | null>('epsilon_milli').as('spent'))
        .where('recipient', '=', recipient)
        .where('period', '=', period)
        .executeTakeFirst();
      let spent = Number(spentRow?.spent ?? 0);
      const cost = release ? Number(release.epsilon_milli) : Math.round(settings.epsilon_per_query * 1000);
      if (!receipt && spent + cost > budgetMilli) {
        throw new VowError(
          'VOW_BUDGET_EXHAUSTED',
          'The privacy budget of this recipient for this period is spent',
          {
            recipient,
            period,
            spent: spent / 1000,
            limit: budgetMilli / 1000,
            cost: cost / 1000,
          },
        );
      }
      if (!release) {
        const cells = await this.#release(trx, report, range, settings);
        release = {
          id: this.#ctx.random.uuid(),
          report,
          period,
          epsilon_milli: cost,
          threshold: settings.threshold,
          contribution_cap: settings.contribution_cap,
          cells: JSON.stringify(cells),
          policy_version: this.#ctx.policy.version,
          released_at: now,
        };
        await trx.insertInto('report_releases').values(release).execute();
      }
      const external = recipient !== INTERNAL_RECIPIENT;
      if (!receipt) {
        await trx
          .insertInto('report_receipts')
          .values({
            release_id: release.id,
            recipient,
            period,
            epsilon_milli: Number(release.epsilon_milli),
            staff_id: actor.type === 'staff' ? (actor.id ?? null) : null,
            at: now,
          })
          .execute();
        spent += Number(release.epsilon_milli);
      }
      await this.#ctx.audit.record(
        {
          actor,
          action: external ? 'disclosure.aggregate_report' : 'report.viewed',
          target: { type: 'report_release', id: release.id },
          reason: external
            ? `Aggregate statistics disclosed to ${recipient} for ${purpose} (P6)`
            : 'Aggregate report viewed for site design (P6)',
          details: {
            report,
            period,
            recipient,
            purpose,
            epsilon: Number(release.epsilon_milli) / 1000,
            charged: !receipt,
          },
        },
        trx,
      );
      return this.#present(release, recipient, range, { spent, limit: budgetMilli });
    });
    try {
      return await released;
    } catch (err) {
      if (isVowError(err) && err.code === 'VOW_BUDGET_EXHAUSTED') {
        // The refusal is a staff action too: the privacy officer sees who asked for what.
        await this.#ctx.audit.record({
          actor,
          action: 'report.refused',
          target: { type: 'report', id: `${report}:${period}` },
          reason: 'Privacy budget of the recipient for this period is spent (P6)',
          details: { report, period, recipient },
        });
      }
      throw err;
    }
  }

  /** The privacy budget a recipient has spent in a period. */
  async budget(
    recipient: string,
    period: string,
  ): Promise<{ spent: number; limit: number; remaining: number }> {
    const row = await this.#ctx.store.db
      .selectFrom('report_receipts')
      .select((eb) => eb.fn.sum<number | string | null>('epsilon_milli').as('spent'))
      .where('recipient', '=', recipient)
      .where('period', '=', period)
      .executeTakeFirst();
    const spent = Number(row?.spent ?? 0);
    const limit = Math.round(this.settings().budget_per_period * 1000);
    return { spent: spent / 1000, limit: limit / 1000, remaining: Math.max(0, limit - spent) / 1000 };
  }

  /** Counts with capped contributions, noised and thresholded: the cells to release. */
  async #release(
    db: Db,
    report: ReportName,
    range: { start: Date; end: Date },
    settings: ReportSettings,
  ): Promise<ReportCell[]> {
    const start = range.start.toISOString();
    const end = range.end.toISOString();
    const sensitivity = report === 'visitors_by_area' ? settings.contribution_cap : 1;
    const noisy = (count: number): number =>
      count + countNoise(this.#ctx.random, settings.epsilon_per_query, sensitivity);

    if (report === 'visitors_by_area') {
      // Counting visitors is opt-in (policy rule visitor-counts, channel cookies.analytics): only
      // visitors whose analytics consent still stands are counted.
      const rows = await sql<{ visitor_id: string; area: string; first_at: string }>`
        select e.visitor_id, e.area, min(e.at) as first_at from analytics_events e
        join consent_state c on c.subject_ref = ${'visitor:'} || e.visitor_id
          and c.channel = ${COUNTING_CONSENT_CHANNEL} and c.state = ${'granted'}
        where e.at >= ${start} and e.at < ${end}
        group by e.visitor_id, e.area`.execute(db);
      const counts = capContributions(
        rows.rows.map((r) => ({ visitorId: r.visitor_id, area: r.area, firstAt: r.first_at })),
        settings.contribution_cap,
      );
      // Areas come from the data: a cell under the threshold is left out entirely (its name
      // would tell that someone visited it).
      const cells: ReportCell[] = [];
      for (const area of [...counts.keys()].sort()) {
        const value = noisy(counts.get(area) as number);
        if (value >= settings.threshold) cells.push({ key: area, count: value });
      }
      return cells;
    }

    const rows = await db
      .selectFrom('registrations')
      .select(['subject_id', 'gender', 'registered_at'])
      .where('registered_at', '>=', start)
      .where('registered_at', '<', end)
      .orderBy('registered_at', 'asc')
      .execute();
    // Left out: people marked under 13 (P14) and people whose processing is restricted (P23) for
    // every purpose or for this counting purpose.
    const excluded = await this.#excludedPeople(db, [...new Set(rows.map((r) => r.subject_id))]);
    // One person counts once (their first registration of the week).
    const seen = new Set<string>(excluded);
    const counts: Record<string, number> = { men: 0, women: 0 };
    for (const r of rows) {
      if (seen.has(r.subject_id)) continue;
      seen.add(r.subject_id);
      const cell = r.gender === null ? undefined : GENDER_CELLS[r.gender];
      if (cell) counts[cell] = (counts[cell] ?? 0) + 1;
    }
    // Fixed cells: always listed, the count withheld (null) under the noisy threshold.
    return ['men', 'women'].map((key) => {
      const value = noisy(counts[key] ?? 0);
      return { key, count: value >= settings.threshold ? value : null };
    });
  }

  async #excludedPeople(db: Db, subjectIds: readonly string[]): Promise<Set<string>> {
    const out = new Set<string>();
    for (let i = 0; i < subjectIds.length; i += 500) {
      const chunk = subjectIds.slice(i, i + 500);
      const young = await db
        .selectFrom('subjects')
        .select('id')
        .where('id', 'in', chunk)
        .where('under13', '=', 1)
        .execute();
      for (const r of young) out.add(r.id);
      const restricted = await db
        .selectFrom('restrictions')
        .select(['subject_id', 'scope', 'purposes'])
        .where('subject_id', 'in', chunk)
        .where('lifted_at', 'is', null)
        .execute();
      for (const r of restricted) {
        const purposes = r.scope === 'all' ? [] : (JSON.parse(r.purposes) as string[]);
        if (r.scope === 'all' || purposes.some((p) => isWithin(COUNTING_PURPOSE, p))) out.add(r.subject_id);
      }
    }
    return out;
  }

  #present(
    release: Database['report_releases'],
    recipient: string,
    range: { start: Date; end: Date },
    budget: { spent: number; limit: number },
  ): ReleasedReport {
    const report = release.report as ReportName;
    const epsilonMilli = Number(release.epsilon_milli);
    const epsilon = epsilonMilli / 1000;
    const cap = Number(release.contribution_cap);
    const threshold = Number(release.threshold);
    const sensitivity = report === 'visitors_by_area' ? cap : 1;
    const { num, den } = epsilonFraction(epsilon);
    // One visitor alone makes a cell of count 1; it is released when 1 + noise ≥ threshold:
    // P(X ≥ T - 1) = q^(T-1) / (1 + q) with q = e^(-ε/Δ), for each of their (at most cap) cells.
    const q = Math.exp(-num / (den * sensitivity));
    const delta =
      report === 'visitors_by_area' ? Math.min(1, (cap * q ** Math.max(0, threshold - 1)) / (1 + q)) : 0;
    return {
      report,
      title: REPORTS[report].title,
      period: release.period,
      periodStart: range.start.toISOString(),
      periodEnd: range.end.toISOString(),
      recipient,
      releaseId: release.id,
      releasedAt: release.released_at,
      mechanism: 'discrete_laplace',
      epsilon,
      threshold,
      contributionCap: cap,
      sensitivity,
      delta,
      cells: JSON.parse(release.cells) as ReportCell[],
      budget: {
        spent: budget.spent / 1000,
        limit: budget.limit / 1000,
        remaining: Math.max(0, budget.limit - budget.spent) / 1000,
      },
      policyVersion: release.policy_version,
    };
  }
}

/** Advisory lock key serialising report releases on PostgreSQL ("VOWRPT" as a number). */
const REPORT_LOCK_KEY = 0x564f57525054;

/** A report as CSV: a header, one row per cell; the protections are repeated on every row. */
export function reportCsv(r: ReleasedReport): string {
  return csvFile(
    ['report', 'period', REPORTS[r.report].cellName, 'count', 'epsilon', 'threshold', 'mechanism'],
    r.cells.map((c) => [
      r.report,
      r.period,
      c.key,
      c.count === null ? 'suppressed' : String(c.count),
      r.epsilon,
      r.threshold,
      r.mechanism,
    ]),
  );
}
