// Aggregate reports (P6) with differential privacy: capped contributions, exact discrete Laplace
// noise, cells suppressed under a noisy threshold, the same answer for the same question, a
// privacy budget per recipient and period, CSV export to advertisers recorded as a disclosure.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { loadPolicy } from '../../src/modules/policy/index.js';
import { parsePolicy } from '../../src/modules/policy/load-policy.js';
import {
  capContributions,
  isoWeekOf,
  isoWeekRange,
  type ReleasedReport,
  reportCsv,
} from '../../src/modules/reports/report-service.js';
import { describeEachDialect } from '../helpers/env.js';
import {
  type EventRow,
  ensureSourceTables,
  grantAnalytics,
  insertEvents,
  insertRegistrations,
} from './experiments-fixtures.js';

// The test clock starts on Thursday 2026-01-15 (ISO week 2026-W03): W02 and W01 are finished.
const W02 = '2026-01-05T00:00:00.000Z';
const at = (start: string, hours: number): string =>
  new Date(Date.parse(start) + hours * 3_600_000).toISOString();

describe('report periods, contribution caps and CSV', () => {
  it('maps ISO weeks to their Monday-to-Monday UTC range', () => {
    assert.deepEqual(isoWeekRange('2026-W01'), {
      start: new Date('2025-12-29T00:00:00.000Z'),
      end: new Date('2026-01-05T00:00:00.000Z'),
    });
    assert.equal(isoWeekRange('2020-W53')?.start.toISOString(), '2020-12-28T00:00:00.000Z');
    assert.equal(isoWeekRange('2021-W53'), undefined, '2021 has 52 ISO weeks');
    assert.equal(isoWeekRange('2026-W00'), undefined);
    assert.equal(isoWeekRange('2026-01'), undefined);
    assert.equal(isoWeekOf(new Date('2026-01-15T12:00:00Z')), '2026-W03');
    assert.equal(isoWeekOf(new Date('2027-01-01T00:00:00Z')), '2026-W53');
    assert.equal(isoWeekOf(new Date('2025-12-29T00:00:00Z')), '2026-W01');
  });

  it('counts a visitor once per area and in at most `cap` areas (the first visited)', () => {
    const rows = [
      { visitorId: 'v1', area: 'rings', firstAt: '2026-01-05T10:00:00Z' },
      { visitorId: 'v1', area: 'watches', firstAt: '2026-01-05T09:00:00Z' },
      { visitorId: 'v1', area: 'bridal', firstAt: '2026-01-05T11:00:00Z' },
      { visitorId: 'v1', area: 'sale', firstAt: '2026-01-05T12:00:00Z' },
      { visitorId: 'v2', area: 'rings', firstAt: '2026-01-06T10:00:00Z' },
      { visitorId: 'v2', area: 'rings', firstAt: '2026-01-06T11:00:00Z' },
    ];
    assert.deepEqual(
      Object.fromEntries(capContributions(rows, 2)),
      { watches: 1, rings: 2 },
      'v1 counts in watches and rings only; v2 once in rings',
    );
    const total = [...capContributions(rows, 1).values()].reduce((a, b) => a + b, 0);
    assert.equal(total, 2, 'with cap 1 each visitor counts once');
  });

  it('writes CSV with the protections on every row and defuses spreadsheet formulas', () => {
    const report = {
      report: 'visitors_by_area',
      period: '2026-W02',
      epsilon: 1,
      threshold: 20,
      mechanism: 'discrete_laplace',
      cells: [
        { key: 'rings', count: 301 },
        { key: '=HYPERLINK("x")', count: 25 },
      ],
    } as unknown as ReleasedReport;
    assert.equal(
      reportCsv(report),
      '"report","period","area","count","epsilon","threshold","mechanism"\r\n' +
        '"visitors_by_area","2026-W02","rings","301","1","20","discrete_laplace"\r\n' +
        `"visitors_by_area","2026-W02","'=HYPERLINK(""x"")","25","1","20","discrete_laplace"\r\n`,
    );
  });

  it('accepts a reports section in the policy, with defaults, and refuses a bad one', () => {
    const base = loadPolicy();
    assert.equal(base.doc.reports, undefined, 'the shipped policy relies on the defaults');
    const ok = parsePolicy(`${base.source}\nreports:\n  epsilon_per_query: 0.25\n`);
    assert.ok(ok.ok);
    assert.deepEqual(ok.policy.doc.reports, {
      epsilon_per_query: 0.25,
      threshold: 20,
      contribution_cap: 2,
      budget_per_period: 3,
    });
    const bad = parsePolicy(`${base.source}\nreports:\n  epsilon_per_query: 0.0001\n  threshold: -1\n`);
    assert.equal(bad.ok, false);
    const useless = parsePolicy(`${base.source}\nreports:\n  epsilon_per_query: 2\n  budget_per_period: 1\n`);
    assert.equal(useless.ok, false, 'a budget smaller than one query is refused');
  });
});

async function seedWeek2(env: { ctx: Parameters<typeof insertEvents>[0] }): Promise<void> {
  const { ctx } = env;
  await ensureSourceTables(ctx);
  const events: EventRow[] = [];
  // 300 visitors in rings, 120 in watches; 40 who visit four areas (only two count each);
  // one visitor alone in an area nobody else visits; 30 small areas of 50 visitors each.
  for (let i = 0; i < 300; i++)
    events.push({ visitor: `r${i}`, type: 'page_view', area: 'rings', at: at(W02, 1 + (i % 100)) });
  for (let i = 0; i < 120; i++)
    events.push({ visitor: `w${i}`, type: 'page_view', area: 'watches', at: at(W02, 2 + (i % 100)) });
  for (let i = 0; i < 40; i++) {
    ['bridal', 'sale', 'rings', 'watches'].forEach((area, k) => {
      events.push({ visitor: `m${i}`, type: 'page_view', area, at: at(W02, 10 + k) });
    });
  }
  events.push({ visitor: 'lonely-visitor', type: 'page_view', area: 'private-viewing', at: at(W02, 5) });
  for (let a = 0; a < 30; a++) {
    for (let i = 0; i < 50; i++)
      events.push({ visitor: `s${a}-${i}`, type: 'page_view', area: `area-${a}`, at: at(W02, 20) });
  }
  // Outside the week: not counted.
  events.push({ visitor: 'late', type: 'page_view', area: 'late-area', at: at(W02, 7 * 24 + 1) });
  await grantAnalytics(ctx, [...new Set(events.map((e) => e.visitor))]);
  // 100 visitors whose analytics consent does not stand (never given, or withdrawn): not counted.
  for (let i = 0; i < 100; i++)
    events.push({ visitor: `nc${i}`, type: 'page_view', area: 'no-consent-area', at: at(W02, 3) });
  await insertEvents(ctx, events);
  const regs: { subjectId: string; gender: string | null; at: string }[] = [];
  for (let i = 0; i < 60; i++) regs.push({ subjectId: `men-${i}`, gender: 'male', at: at(W02, 30 + i) });
  for (let i = 0; i < 80; i++) regs.push({ subjectId: `women-${i}`, gender: 'female', at: at(W02, 30 + i) });
  for (let i = 0; i < 10; i++) regs.push({ subjectId: `na-${i}`, gender: 'no_answer', at: at(W02, 40) });
  regs.push({ subjectId: 'men-0', gender: 'male', at: at(W02, 100) }); // the same person again
  // Week 1: three men, plus 40 women marked under 13 (P14) and 40 men whose processing is
  // restricted (P23): neither group is counted, so both cells stay far below the threshold.
  for (let i = 0; i < 3; i++)
    regs.push({ subjectId: `w1-${i}`, gender: 'male', at: '2026-01-01T10:00:00.000Z' });
  const now = ctx.clock.now().toISOString();
  for (let i = 0; i < 40; i++) {
    regs.push({ subjectId: `young-${i}`, gender: 'female', at: '2026-01-02T10:00:00.000Z' });
    regs.push({ subjectId: `restricted-${i}`, gender: 'male', at: '2026-01-02T10:00:00.000Z' });
    await ctx.store.db
      .insertInto('subjects')
      .values({ id: `young-${i}`, created_at: now, updated_at: now, under13: 1 })
      .execute();
    await ctx.store.db
      .insertInto('restrictions')
      .values({
        id: `r-${i}`,
        subject_id: `restricted-${i}`,
        scope: i % 2 === 0 ? 'all' : 'purposes',
        purposes: JSON.stringify(['reporting']),
        started_at: now,
        lifted_at: null,
        request_id: null,
      })
      .execute();
  }
  await insertRegistrations(ctx, regs);
}

describeEachDialect('aggregate reports', (env) => {
  it('refuses a week that has not ended and a malformed week', async () => {
    const { app, ctx } = env();
    await seedWeek2({ ctx });
    const open = await app.inject({ method: 'GET', url: '/v1/reports/visitors-by-area?week=2026-W03' });
    assert.equal(open.statusCode, 409);
    assert.equal(open.json().error.code, 'VOW_REPORT_PERIOD_OPEN');
    const bad = await app.inject({ method: 'GET', url: '/v1/reports/visitors-by-area?week=2021-W53' });
    assert.equal(bad.statusCode, 400);
    const junk = await app.inject({ method: 'GET', url: '/v1/reports/visitors-by-area?week=last' });
    assert.equal(junk.statusCode, 400);
  });

  it('releases noisy visitor counts per area, suppressing small areas, and states its protections', async () => {
    const { app } = env();
    const res = await app.inject({ method: 'GET', url: '/v1/reports/visitors-by-area?week=2026-W02' });
    assert.equal(res.statusCode, 200, res.body);
    const body = res.json();
    assert.equal(body.mechanism, 'discrete_laplace');
    assert.equal(body.epsilon, 1);
    assert.equal(body.threshold, 20);
    assert.equal(body.contributionCap, 2);
    assert.equal(body.sensitivity, 2);
    assert.ok(body.delta > 0 && body.delta < 1e-3, `delta ${body.delta}`);
    const cells = Object.fromEntries(body.cells.map((c: { key: string; count: number }) => [c.key, c.count]));
    // True capped counts: rings 300, watches 120, bridal 40, sale 40 (the 40 four-area visitors
    // count only in the first two areas they visited, bridal and sale; uncapped, rings would be 340).
    assert.ok(Math.abs(cells.rings - 300) <= 30, `rings ${cells.rings}`);
    assert.ok(Math.abs(cells.watches - 120) <= 30, `watches ${cells.watches}`);
    assert.ok(Math.abs(cells.bridal - 40) <= 30, `bridal ${cells.bridal}`);
    assert.equal(cells['private-viewing'], undefined, 'a one-visitor area is not released, not even by name');
    assert.equal(cells['late-area'], undefined, 'events after the week do not count');
    assert.equal(cells['no-consent-area'], undefined, 'visitors without analytics consent are not counted');
    const small = Array.from({ length: 30 }, (_, a) => cells[`area-${a}`] as number);
    assert.ok(
      small.every((c) => c >= 20),
      'released cells are at least the threshold',
    );
    assert.ok(
      small.some((c) => c !== 50),
      'the counts carry noise (30 cells of 50 all exact would have probability ~1e-18)',
    );
  });

  it('answers the same question for the same week with the same numbers, at no further cost', async () => {
    const { app, store } = env();
    const first = (
      await app.inject({ method: 'GET', url: '/v1/reports/visitors-by-area?week=2026-W02' })
    ).json();
    const again = (
      await app.inject({ method: 'GET', url: '/v1/reports/visitors-by-area?week=2026-W02' })
    ).json();
    assert.deepEqual(again.cells, first.cells);
    assert.equal(again.releaseId, first.releaseId);
    assert.deepEqual(again.budget, { spent: 1, limit: 3, remaining: 2 });
    const releases = await store.db.selectFrom('report_releases').selectAll().execute();
    assert.equal(releases.length, 1);
    assert.deepEqual(JSON.parse(releases[0]!.cells), first.cells, 'only the noisy released cells are stored');
  });

  it('counts men and women who registered, each person once, and withholds small cells', async () => {
    const { app } = env();
    const res = await app.inject({ method: 'GET', url: '/v1/reports/registrations-by-gender?week=2026-W02' });
    assert.equal(res.statusCode, 200, res.body);
    const body = res.json();
    assert.deepEqual(
      body.cells.map((c: { key: string }) => c.key),
      ['men', 'women'],
    );
    const [men, women] = body.cells.map((c: { count: number }) => c.count);
    assert.ok(Math.abs(men - 60) <= 15, `men ${men}`);
    assert.ok(Math.abs(women - 80) <= 15, `women ${women}`);
    assert.equal(body.sensitivity, 1);
    assert.equal(body.delta, 0);
    const week1 = (
      await app.inject({ method: 'GET', url: '/v1/reports/registrations-by-gender?week=2026-W01' })
    ).json();
    assert.deepEqual(week1.cells, [
      { key: 'men', count: null },
      { key: 'women', count: null },
    ]);
  });

  it('exports CSV to advertisers, as a disclosure allowed by the policy and audited', async () => {
    const { app, ctx, store } = env();
    const internal = (
      await app.inject({ method: 'GET', url: '/v1/reports/visitors-by-area?week=2026-W02' })
    ).json();
    const res = await app.inject({
      method: 'GET',
      url: '/v1/reports/visitors-by-area?week=2026-W02&recipient=advertisers&format=csv',
    });
    assert.equal(res.statusCode, 200, res.body);
    assert.match(String(res.headers['content-type']), /^text\/csv/);
    assert.match(String(res.headers['content-disposition']), /visitors_by_area-2026-W02\.csv/);
    const lines = res.body.trim().split('\r\n');
    assert.equal(lines[0], '"report","period","area","count","epsilon","threshold","mechanism"');
    const ringsLine = lines.find((l) => l.includes(',"rings",'));
    const rings = internal.cells.find((c: { key: string }) => c.key === 'rings').count;
    assert.equal(
      ringsLine,
      `"visitors_by_area","2026-W02","rings","${rings}","1","20","discrete_laplace"`,
      'the one stored answer',
    );
    assert.equal(lines.length, internal.cells.length + 1);

    const audit = await ctx.audit.list({ targetType: 'report_release', targetId: internal.releaseId });
    const disclosure = audit.find((a) => a.action === 'disclosure.aggregate_report');
    assert.ok(disclosure, 'the disclosure to advertisers is in the audit trail');
    assert.equal(JSON.parse(disclosure.details).recipient, 'advertisers');
    assert.equal(JSON.parse(disclosure.details).purpose, 'advertising.aggregate_reporting');
    const receipts = await store.db
      .selectFrom('report_receipts')
      .selectAll()
      .where('recipient', '=', 'advertisers')
      .execute();
    assert.equal(receipts.length, 1);

    const budget = (
      await app.inject({ method: 'GET', url: '/v1/reports/budget?week=2026-W02&recipient=advertisers' })
    ).json();
    assert.equal(budget.spent, 1);
    assert.equal(budget.remaining, 2);
  });

  it('shows a released report on the staff console page, and why a report is refused', async () => {
    const { app } = env();
    const form = await app.inject({ method: 'GET', url: '/staff/reports' });
    assert.equal(form.statusCode, 200);
    assert.match(form.body, /value="2026-W02"/, 'the last finished week is proposed');
    assert.match(form.body, /<option value="advertisers"/);
    assert.ok(!form.body.includes('value="google_analytics"'), 'only recipients of aggregates are offered');
    const shown = await app.inject({
      method: 'GET',
      url: '/staff/reports?report=visitors_by_area&week=2026-W02',
    });
    assert.equal(shown.statusCode, 200);
    assert.match(shown.body, /data-testid="report-cells"/);
    assert.match(shown.body, /<td>rings<\/td>/);
    assert.match(shown.body, /format=csv/);
    const open = await app.inject({ method: 'GET', url: '/staff/reports?week=2026-W03' });
    assert.equal(open.statusCode, 409);
    assert.match(open.body, /role="alert"[^>]*>[^<]*VOW_REPORT_PERIOD_OPEN/);
  });

  it('refuses recipients the policy does not allow to receive aggregate statistics', async () => {
    const { app, store } = env();
    const ga = await app.inject({
      method: 'GET',
      url: '/v1/reports/visitors-by-area?week=2026-W02&recipient=google_analytics',
    });
    assert.equal(ga.statusCode, 403);
    assert.equal(ga.json().error.code, 'VOW_REPORT_NOT_ALLOWED');
    const unknown = await app.inject({
      method: 'GET',
      url: '/v1/reports/visitors-by-area?week=2026-W02&recipient=nobody',
    });
    assert.equal(unknown.statusCode, 400);
    assert.equal(unknown.json().error.code, 'VOW_UNKNOWN_RECIPIENT');
    const receipts = await store.db
      .selectFrom('report_receipts')
      .selectAll()
      .where('recipient', 'in', ['google_analytics', 'nobody'])
      .execute();
    assert.equal(receipts.length, 0);
  });
});

const base = loadPolicy();
const tight = parsePolicy(`${base.source}\nreports:\n  epsilon_per_query: 1\n  budget_per_period: 1.5\n`);
if (!tight.ok) throw new Error('test policy invalid');

describeEachDialect(
  'privacy budget',
  (env) => {
    it('refuses a release that would overspend the recipient budget for the period', async () => {
      const { app, ctx, store } = env();
      await seedWeek2({ ctx });
      const first = await app.inject({ method: 'GET', url: '/v1/reports/visitors-by-area?week=2026-W02' });
      assert.equal(first.statusCode, 200, first.body);
      assert.deepEqual(first.json().budget, { spent: 1, limit: 1.5, remaining: 0.5 });
      const second = await app.inject({
        method: 'GET',
        url: '/v1/reports/registrations-by-gender?week=2026-W02',
      });
      assert.equal(second.statusCode, 403);
      assert.equal(second.json().error.code, 'VOW_BUDGET_EXHAUSTED');
      const refusals = await ctx.audit.list({
        targetType: 'report',
        targetId: 'registrations_by_gender:2026-W02',
      });
      assert.deepEqual(
        refusals.map((a) => a.action),
        ['report.refused'],
      );
      assert.equal(
        (await store.db.selectFrom('report_releases').selectAll().execute()).length,
        1,
        'nothing was released for the refused question',
      );
      // What was already released stays available; another period and another recipient have their own budgets.
      assert.equal(
        (await app.inject({ method: 'GET', url: '/v1/reports/visitors-by-area?week=2026-W02' })).statusCode,
        200,
      );
      assert.equal(
        (await app.inject({ method: 'GET', url: '/v1/reports/registrations-by-gender?week=2026-W01' }))
          .statusCode,
        200,
      );
      const adv = await app.inject({
        method: 'GET',
        url: '/v1/reports/registrations-by-gender?week=2026-W02&recipient=advertisers',
      });
      assert.equal(adv.statusCode, 200, adv.body);
      // The internal recipient may not get that (now stored) answer either: it would still cost.
      const stillRefused = await app.inject({
        method: 'GET',
        url: '/v1/reports/registrations-by-gender?week=2026-W02',
      });
      assert.equal(stillRefused.json().error.code, 'VOW_BUDGET_EXHAUSTED');
    });

    it('lets only one of two concurrent releases through when the budget holds one', async () => {
      const { services, store } = env();
      const actor = { type: 'staff' as const, id: 'staff-1' };
      const settled = await Promise.allSettled([
        services.reports.report('visitors_by_area', '2026-W01', 'advertisers', actor),
        services.reports.report('registrations_by_gender', '2026-W01', 'advertisers', actor),
      ]);
      assert.deepEqual(settled.map((a) => a.status).sort(), ['fulfilled', 'rejected']);
      const refused = settled.find((a) => a.status === 'rejected') as PromiseRejectedResult;
      assert.equal(refused.reason.code, 'VOW_BUDGET_EXHAUSTED');
      const receipts = await store.db
        .selectFrom('report_receipts')
        .selectAll()
        .where('recipient', '=', 'advertisers')
        .where('period', '=', '2026-W01')
        .execute();
      assert.equal(receipts.length, 1);
    });
  },
  { policy: tight.policy },
);
