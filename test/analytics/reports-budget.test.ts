// The privacy budget of the aggregate reports (P6): a recipient's first receipt of a release costs
// its ε, charged per calendar week of receipt and over a rolling lifetime window, and refused
// beyond either; repeats are free; concurrent receipts cannot overspend; and a request draws no
// noise (the release job did).
import assert from 'node:assert/strict';
import { it } from 'node:test';
import { seededRandom } from '../../src/platform/clock.js';
import { describeEachDialect, type TestEnv } from '../helpers/env.js';
import { ask, policyWithReports, seedWeek2 } from './reports-fixtures.js';

const DAY = 86_400_000;

/** Releases the given weeks (the job's work) so requests find them. */
async function releaseWeeks(e: TestEnv, periods: readonly string[]): Promise<void> {
  for (const p of periods) await e.services.reports.releaseWeek(p);
}

const WEEKS = ['2026-W02', '2026-W01', '2025-W52', '2025-W51', '2025-W50', '2025-W49'];

describeEachDialect(
  'privacy budget',
  (env) => {
    it('caps what a recipient receives per calendar week of receipt, whichever weeks it asks about', async () => {
      const e = env();
      await seedWeek2({ ctx: e.ctx });
      await releaseWeeks(e, WEEKS);
      // Three past weeks of one report in one week of receipt: 3 ε, the weekly budget.
      for (const w of WEEKS.slice(0, 3)) {
        const res = await ask(e, `visitors-by-area?week=${w}&recipient=advertisers`);
        assert.equal(res.statusCode, 200, `${w}: ${res.body}`);
      }
      const fourth = await ask(e, `visitors-by-area?week=${WEEKS[3]}&recipient=advertisers`);
      assert.equal(fourth.statusCode, 403);
      assert.equal(fourth.json().error.code, 'VOW_BUDGET_EXHAUSTED');
      assert.deepEqual(fourth.json().error.details.week, { period: '2026-W03', spent: 3, limit: 3 });
      const refusals = await e.ctx.audit.list({
        targetType: 'report',
        targetId: `visitors_by_area:${WEEKS[3]}`,
      });
      assert.deepEqual(
        refusals.map((a) => a.action),
        ['report.refused'],
      );
      // What was received stays available at no cost; another recipient has its own budget.
      const again = await ask(e, `visitors-by-area?week=${WEEKS[0]}&recipient=advertisers`);
      assert.equal(again.statusCode, 200);
      assert.equal(again.json().charged, false);
      assert.equal((await ask(e, `visitors-by-area?week=${WEEKS[3]}`)).statusCode, 200, 'internal');
      // The next calendar week, the recipient may receive again.
      e.clock.advance(7 * DAY);
      const nextWeek = await ask(e, `visitors-by-area?week=${WEEKS[3]}&recipient=advertisers`);
      assert.equal(nextWeek.statusCode, 200, nextWeek.body);
      assert.equal(nextWeek.json().budget.week, '2026-W04');
      assert.equal(nextWeek.json().budget.spent, 1);
      assert.equal(nextWeek.json().budget.lifetime.spent, 4);
    });

    it('caps what a recipient receives over the rolling lifetime window, then frees it as receipts age out', async () => {
      const e = env();
      // 4 ε so far for advertisers (3 in 2026-W03, 1 in W04); the lifetime budget is 5.
      const fifth = await ask(e, `visitors-by-area?week=${WEEKS[4]}&recipient=advertisers`);
      assert.equal(fifth.statusCode, 200, fifth.body);
      assert.equal(fifth.json().budget.lifetime.remaining, 0);
      e.clock.advance(7 * DAY); // a fresh calendar week: only the lifetime window stops it
      const sixth = await ask(e, `visitors-by-area?week=${WEEKS[5]}&recipient=advertisers`);
      assert.equal(sixth.statusCode, 403);
      assert.equal(sixth.json().error.code, 'VOW_BUDGET_EXHAUSTED');
      assert.deepEqual(sixth.json().error.details.lifetime, { days: 365, spent: 5, limit: 5 });
      assert.equal(sixth.json().error.details.week.spent, 0);
      const budget = (
        await e.app.inject({ method: 'GET', url: '/v1/reports/budget?recipient=advertisers' })
      ).json();
      assert.equal(budget.remaining, 0);
      assert.equal(budget.lifetime.spent, 5);
      // A year after the first receipts they leave the window.
      e.clock.advance(365 * DAY - 7 * DAY);
      const later = await ask(e, `visitors-by-area?week=${WEEKS[5]}&recipient=advertisers`);
      assert.equal(later.statusCode, 200, later.body);
      const receipts = await e.store.db
        .selectFrom('report_receipts')
        .select((eb) => eb.fn.sum<number>('epsilon_milli').as('milli'))
        .where('recipient', '=', 'advertisers')
        .executeTakeFirstOrThrow();
      assert.equal(Number(receipts.milli), 6000, 'six receipts in all, never more than 5 ε in 365 days');
    });

    it('lets only one of two concurrent receipts through when the budget holds one more', async () => {
      const { services, store } = env();
      const actor = { type: 'staff' as const, id: 'staff-1' };
      // internal receives two reports in this week of receipt; then two more are asked for at once.
      await services.reports.report('visitors_by_area', '2025-W49', 'internal', actor);
      await services.reports.report('registrations_by_gender', '2025-W49', 'internal', actor);
      const settled = await Promise.allSettled([
        services.reports.report('registrations_by_gender', '2025-W50', 'internal', actor),
        services.reports.report('registrations_by_gender', '2025-W51', 'internal', actor),
      ]);
      assert.deepEqual(settled.map((a) => a.status).sort(), ['fulfilled', 'rejected']);
      const refused = settled.find((a) => a.status === 'rejected') as PromiseRejectedResult;
      assert.equal(refused.reason.code, 'VOW_BUDGET_EXHAUSTED');
      const week = await services.reports.budget('internal');
      assert.equal(week.spent, 3);
      const receipts = await store.db
        .selectFrom('report_receipts')
        .selectAll()
        .where('recipient', '=', 'internal')
        .execute();
      assert.ok(receipts.length <= 5);
    });
  },
  { policy: policyWithReports('  budget_per_week: 3\n  budget_lifetime: 5\n') },
);

describeEachDialect(
  'a report request draws no noise',
  (env) => {
    it('takes no random bytes: the noise was drawn by the release job', async () => {
      const e = env();
      await seedWeek2({ ctx: e.ctx });
      await e.services.reports.releaseWeek('2026-W02');
      drawn.count = 0;
      for (const recipient of ['internal', 'advertisers']) {
        const res = await ask(e, `visitors-by-area?week=2026-W02&recipient=${recipient}`);
        assert.equal(res.statusCode, 200, res.body);
      }
      assert.equal(drawn.count, 0);
    });
  },
  { random: countingRandom() },
);

/** Random bytes drawn through the context, counted. */
const drawn = { count: 0 };
function countingRandom() {
  const inner = seededRandom(42);
  return {
    uuid: () => inner.uuid(),
    bytes: (n: number) => {
      drawn.count++;
      return inner.bytes(n);
    },
  };
}
