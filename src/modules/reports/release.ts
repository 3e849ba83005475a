// Releasing a finished week, off the request path: a job counts, adds the noise and stores each
// report's cells once per canonical week; a request only reads what is stored. So how long a
// request takes cannot tell anything about the noise (the sampler's running time grows with |noise|)
// or about the data (how many areas were suppressed, how many events the week held).
//
// The job `reports.release_closed_weeks` runs at the start of every ISO week (UTC) and releases
// the week that just closed, catching up on up to three weeks it missed; a request for an older
// week that was never released queues `reports.release_week` for it.
import { z } from 'zod';
import { defineJob, type JobRunner } from '../../platform/jobs/index.js';
import type { ReportSettings, VowContext } from '../policy/index.js';
import { REPORT_NAMES, type ReportName, type StoredCell, sensitivityOf } from './catalog.js';
import { countRegistrationsByGender, countVisitorsByArea, GENDER_KEYS } from './counting.js';
import { countNoise } from './dp/discrete-laplace.js';
import { canonicalWeek, previousWeek, type Week, weekOf } from './periods.js';

export const RELEASE_WEEK_JOB = 'reports.release_week';
export const RELEASE_CLOSED_WEEKS_JOB = 'reports.release_closed_weeks';
/** Weeks the weekly job catches up on when it did not run (the server was down). */
const CATCH_UP_WEEKS = 4;
const FIRST_DAY = Date.UTC(2000, 0, 3); // Monday of 2000-W01

/** The first week a policy's reports may cover: the week holding its effective date (2000 at the earliest). */
export function firstReportableWeek(effectiveDate: string): Week {
  return weekOf(new Date(Math.max(Date.parse(`${effectiveDate}T00:00:00.000Z`), FIRST_DAY)));
}

export class ReleaseWriter {
  readonly #ctx: VowContext;
  readonly #settings: () => ReportSettings;

  constructor(ctx: VowContext, settings: () => ReportSettings) {
    this.#ctx = ctx;
    this.#settings = settings;
  }

  /** Releases each report of a finished week that is not released yet; returns those released now. */
  async releaseWeek(week: Week): Promise<ReportName[]> {
    if (week.end.getTime() > this.#ctx.clock.now().getTime()) return [];
    const made: ReportName[] = [];
    for (const report of REPORT_NAMES) {
      if (await this.#release(report, week)) made.push(report);
    }
    return made;
  }

  async #release(report: ReportName, week: Week): Promise<boolean> {
    const settings = this.#settings();
    return this.#ctx.store.db.transaction().execute(async (trx) => {
      const exists = await trx
        .selectFrom('report_releases')
        .select('id')
        .where('report', '=', report)
        .where('period', '=', week.period)
        .executeTakeFirst();
      if (exists) return false;
      const sensitivity = sensitivityOf(report, settings.contribution_cap);
      const noisy = (count: number): number =>
        count + countNoise(this.#ctx.random, settings.epsilon_per_query, sensitivity);
      let cells: StoredCell[];
      if (report === 'visitors_by_area') {
        const counts = await countVisitorsByArea(trx, week, settings.contribution_cap);
        // Areas come from the data: a cell under the threshold is left out entirely (its name
        // would tell that someone visited it).
        cells = [];
        for (const area of [...counts.keys()].sort()) {
          const value = noisy(counts.get(area) as number);
          if (value >= settings.threshold) cells.push({ key: area, count: value });
        }
      } else {
        const counts = await countRegistrationsByGender(trx, week);
        // Fixed cells: always listed, the count withheld (null) under the noisy threshold.
        cells = GENDER_KEYS.map((key) => {
          const value = noisy(counts[key]);
          return { key, count: value >= settings.threshold ? value : null };
        });
      }
      const inserted = await trx
        .insertInto('report_releases')
        .values({
          id: this.#ctx.random.uuid(),
          report,
          period: week.period,
          epsilon_milli: Math.round(settings.epsilon_per_query * 1000),
          threshold: settings.threshold,
          contribution_cap: settings.contribution_cap,
          cells: JSON.stringify(cells),
          policy_version: this.#ctx.policy.version,
          released_at: this.#ctx.clock.now().toISOString(),
        })
        .onConflict((oc) => oc.columns(['report', 'period']).doNothing())
        .executeTakeFirst();
      return Number(inserted.numInsertedOrUpdatedRows ?? 0) > 0;
    });
  }
}

export interface ReleaseJobs {
  /** Queues the weekly release (idempotent; `vow serve` calls it). */
  schedule(): Promise<void>;
  /** Queues the release of one finished week (idempotent) and nudges the runner. */
  request(week: Week): Promise<void>;
}

export function registerReleaseJobs(ctx: VowContext, jobs: JobRunner, writer: ReleaseWriter): ReleaseJobs {
  const scheduleAt = async (at: Date) => {
    // Keyed by the week that closes at `at`: one weekly job per week.
    const closing = previousWeek(weekOf(at)).period;
    await jobs.enqueue({
      name: RELEASE_CLOSED_WEEKS_JOB,
      payload: {},
      idempotencyKey: `${RELEASE_CLOSED_WEEKS_JOB}:${closing}`,
      runAt: at,
    });
  };
  jobs.register(
    defineJob({
      id: RELEASE_WEEK_JOB,
      version: 1,
      schema: z.object({ period: z.string() }),
      handler: async ({ period }) => {
        const week = canonicalWeek(period);
        return { released: week ? await writer.releaseWeek(week) : [] };
      },
    }),
  );
  jobs.register(
    defineJob({
      id: RELEASE_CLOSED_WEEKS_JOB,
      version: 1,
      schema: z.object({}),
      handler: async () => {
        const now = ctx.clock.now();
        const first = firstReportableWeek(ctx.policy.effectiveDate);
        let week = previousWeek(weekOf(now));
        const released: string[] = [];
        for (let i = 0; i < CATCH_UP_WEEKS && week.start >= first.start; i++) {
          if ((await writer.releaseWeek(week)).length > 0) released.push(week.period);
          week = previousWeek(week);
        }
        await scheduleAt(weekOf(now).end);
        return { released };
      },
    }),
  );
  return {
    schedule: async () => {
      const now = ctx.clock.now();
      // The week that closed last, now (in case it was never released), then every week's start.
      await scheduleAt(weekOf(now).start);
    },
    request: async (week) => {
      await jobs.enqueue({
        name: RELEASE_WEEK_JOB,
        payload: { period: week.period },
        idempotencyKey: `${RELEASE_WEEK_JOB}:${week.period}`,
      });
      jobs.wake();
    },
  };
}
