// Aggregate reports (P6): "visitors to each area of the site" and "men and women who filled in the
// registration form", per ISO week, released with differential privacy:
// - each visitor's (person's) contribution is capped (at most `contribution_cap` cells);
// - each count gets exact discrete Laplace noise of scale sensitivity/ε (dp/discrete-laplace.ts);
// - a cell is released only when its noisy count reaches the threshold (a noisy threshold);
// - a job releases each finished week once (release.ts), so a request never draws noise and asking
//   again returns the same numbers (no averaging away);
// - each recipient's receipts are charged to its budget per calendar week of receipt and over a
//   rolling window (budget.ts); a receipt beyond either is refused;
// - each count is shown with the interval its noise stays in at the policy's level (dp/accuracy.ts).
import type { Kysely, Transaction } from 'kysely';
import type { AuditEntry } from '../../platform/audit/index.js';
import { isVowError, VowError } from '../../platform/errors.js';
import type { JobRunner } from '../../platform/jobs/index.js';
import type { Database } from '../../platform/store/index.js';
import { decide } from '../decisions/index.js';
import { type ReportSettings, reportsSchema, type VowContext } from '../policy/index.js';
import { BudgetLedger, type BudgetStatus } from './budget.js';
import { INTERNAL_RECIPIENT, REPORTS, type ReportName } from './catalog.js';
import { canonicalWeek, type Week } from './periods.js';
import { presentRelease, type ReleasedReport } from './present.js';
import { firstReportableWeek, type ReleaseJobs, ReleaseWriter, registerReleaseJobs } from './release.js';

type Db = Kysely<Database> | Transaction<Database>;

/** What a request for a release not made yet is told: the job makes it within moments. */
const RETRY_AFTER_SECONDS = 5;

export class ReportService {
  readonly #ctx: VowContext;
  readonly #ledger: BudgetLedger;
  readonly #writer: ReleaseWriter;
  readonly #jobs: ReleaseJobs;

  constructor(ctx: VowContext, jobs: JobRunner) {
    this.#ctx = ctx;
    this.#ledger = new BudgetLedger(ctx.store);
    this.#writer = new ReleaseWriter(ctx, () => this.settings());
    this.#jobs = registerReleaseJobs(ctx, jobs, this.#writer);
  }

  /** The policy's report protections, with the defaults filled in. */
  settings(): ReportSettings {
    return reportsSchema.parse(this.#ctx.policy.doc.reports ?? {});
  }

  /** Queues the weekly release of the week that closed (`vow serve` calls it; idempotent). */
  scheduleReleases(): Promise<void> {
    return this.#jobs.schedule();
  }

  /** Releases the reports of a finished week now, if not released yet (the jobs' work; for the CLI and tests). */
  async releaseWeek(period: string): Promise<ReportName[]> {
    return this.#writer.releaseWeek(this.#week(period));
  }

  /** The canonical week a period names, refused when malformed or before the policy took effect. */
  #week(period: string): Week {
    const week = canonicalWeek(period);
    if (!week) {
      throw new VowError('VOW_VALIDATION', 'The period must be an ISO week from 2000 on, such as 2026-W03', {
        period,
      });
    }
    const first = firstReportableWeek(this.#ctx.policy.effectiveDate);
    if (week.start < first.start) {
      throw new VowError('VOW_VALIDATION', 'The week is before the policy took effect', {
        period: week.period,
        earliest: first.period,
      });
    }
    return week;
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
   * The report for one finished ISO week, for one recipient: the stored release (made by a job
   * once the week closed; a week never released is queued, and the answer is
   * VOW_REPORT_NOT_READY until it is). A recipient's first receipt of a release is charged to its
   * budget; a repeat is free; a receipt beyond the weekly or the lifetime budget is refused.
   */
  async report(
    report: ReportName,
    period: string,
    recipient: string,
    actor: AuditEntry['actor'],
  ): Promise<ReleasedReport> {
    const week = this.#week(period);
    if (week.end.getTime() > this.#ctx.clock.now().getTime()) {
      throw new VowError('VOW_REPORT_PERIOD_OPEN', 'The week has not ended yet', { period: week.period });
    }
    const { purpose } = this.#authorise(report, recipient);
    const settings = this.settings();
    const db = this.#ctx.store.db;
    const release = await db
      .selectFrom('report_releases')
      .selectAll()
      .where('report', '=', report)
      .where('period', '=', week.period)
      .executeTakeFirst();
    if (!release) {
      await this.#jobs.request(week);
      throw new VowError(
        'VOW_REPORT_NOT_READY',
        'The release of this week is being prepared; ask again shortly',
        {
          period: week.period,
          retryAfterSeconds: RETRY_AFTER_SECONDS,
        },
      );
    }
    const audit = (charged: boolean): AuditEntry => {
      const external = recipient !== INTERNAL_RECIPIENT;
      return {
        actor,
        action: external ? 'disclosure.aggregate_report' : 'report.viewed',
        target: { type: 'report_release', id: release.id },
        reason: external
          ? `Aggregate statistics disclosed to ${recipient} for ${purpose} (P6)`
          : 'Aggregate report viewed for site design (P6)',
        details: {
          report,
          period: week.period,
          recipient,
          purpose,
          epsilon: Number(release.epsilon_milli) / 1000,
          charged,
        },
      };
    };
    const present = (outcome: { charged: boolean; budget: BudgetStatus }) =>
      presentRelease(release, week, recipient, settings.accuracy_alpha, outcome);

    // A repeat costs nothing and takes no lock.
    if (await this.#received(db, release.id, recipient)) {
      await this.#ctx.audit.record(audit(false));
      const now = this.#ctx.clock.now();
      return present({ charged: false, budget: await this.#ledger.status(db, recipient, now, settings) });
    }
    const cost = Number(release.epsilon_milli);
    try {
      // Refused without a lock when the budget is already spent (receipts only add up within a
      // week; the lifetime window can only free budget as time passes).
      const early = await this.#ledger.check(db, recipient, cost, this.#ctx.clock.now(), settings);
      if (!early.fits) throw this.#exhausted(recipient, week, cost, early.status);
      return await db.transaction().execute(async (trx) => {
        await this.#ledger.lockRecipient(trx, recipient);
        if (await this.#received(trx, release.id, recipient)) {
          await this.#ctx.audit.record(audit(false), trx);
          const now = this.#ctx.clock.now();
          return present({
            charged: false,
            budget: await this.#ledger.status(trx, recipient, now, settings),
          });
        }
        const now = this.#ctx.clock.now();
        const check = await this.#ledger.check(trx, recipient, cost, now, settings);
        if (!check.fits) throw this.#exhausted(recipient, week, cost, check.status);
        await trx
          .insertInto('report_receipts')
          .values({
            release_id: release.id,
            recipient,
            period: week.period,
            epsilon_milli: cost,
            staff_id: actor.type === 'staff' ? (actor.id ?? null) : null,
            at: now.toISOString(),
          })
          .execute();
        await this.#ctx.audit.record(audit(true), trx);
        return present({ charged: true, budget: check.after });
      });
    } catch (err) {
      if (isVowError(err) && err.code === 'VOW_BUDGET_EXHAUSTED') {
        // The refusal is a staff action too: the privacy officer sees who asked for what.
        await this.#ctx.audit.record({
          actor,
          action: 'report.refused',
          target: { type: 'report', id: `${report}:${week.period}` },
          reason: 'Privacy budget of the recipient is spent (P6)',
          details: { report, period: week.period, recipient },
        });
      }
      throw err;
    }
  }

  async #received(db: Db, releaseId: string, recipient: string): Promise<boolean> {
    const row = await db
      .selectFrom('report_receipts')
      .select('seq')
      .where('release_id', '=', releaseId)
      .where('recipient', '=', recipient)
      .executeTakeFirst();
    return row !== undefined;
  }

  #exhausted(recipient: string, week: Week, costMilli: number, status: BudgetStatus): VowError {
    return new VowError('VOW_BUDGET_EXHAUSTED', "The recipient's privacy budget is spent", {
      recipient,
      period: week.period,
      cost: costMilli / 1000,
      week: { period: status.week, spent: status.spent, limit: status.limit },
      lifetime: {
        days: status.lifetime.days,
        spent: status.lifetime.spent,
        limit: status.lifetime.limit,
      },
    });
  }

  /** Where a recipient's privacy budget stands now (the current week of receipt and the window). */
  async budget(recipient: string): Promise<BudgetStatus> {
    return this.#ledger.status(this.#ctx.store.db, recipient, this.#ctx.clock.now(), this.settings());
  }
}
