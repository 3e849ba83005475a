// Aggregate reports (P6) with differential privacy: capped contributions, exact discrete Laplace
// noise, cells suppressed under a noisy threshold, one release per canonical week made by a job
// (never on the request path), each count with its accuracy interval, CSV export to advertisers
// recorded as a disclosure. The privacy budget: reports-budget.test.ts.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { loadPolicy } from '../../src/modules/policy/index.js';
import { parsePolicy } from '../../src/modules/policy/load-policy.js';
import { capContributions } from '../../src/modules/reports/counting.js';
import { canonicalWeek, isoWeekOf, isoWeekRange } from '../../src/modules/reports/periods.js';
import { type ReleasedReport, reportCsv } from '../../src/modules/reports/present.js';
import { describeEachDialect } from '../helpers/env.js';
import { ask, policyWithReports, seedWeek2, withoutReports } from './reports-fixtures.js';

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

  it('names each week one way: other spellings read as it, years before 2000 name no week', () => {
    for (const spelling of ['2026-W03', '2026W03', '2026-w03', '2026w03']) {
      assert.equal(canonicalWeek(spelling)?.period, '2026-W03', spelling);
    }
    // Date.UTC reads the years 0-99 as 1900-1999: 0026-W03 and 1926-W03 would be the same days.
    assert.equal(canonicalWeek('0026-W03'), undefined);
    assert.equal(canonicalWeek('1926-W03'), undefined);
    assert.equal(canonicalWeek('1999-W52'), undefined);
    assert.equal(canonicalWeek('2000-W01')?.start.toISOString(), '2000-01-03T00:00:00.000Z');
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

  it('writes CSV with the accuracy and the protections on every row and defuses spreadsheet formulas', () => {
    const report = {
      report: 'visitors_by_area',
      period: '2026-W02',
      epsilon: 1,
      threshold: 20,
      mechanism: 'discrete_laplace',
      accuracy: { alpha: 0.05, confidence: 0.95, halfWidth: 6, coverage: 0.962_34 },
      cells: [
        { key: 'rings', count: 301, interval: [295, 307] },
        { key: '=HYPERLINK("x")', count: 25, interval: [19, 31] },
      ],
    } as unknown as ReleasedReport;
    assert.equal(
      reportCsv(report),
      '"report","period","area","count","interval_low","interval_high","coverage","epsilon","threshold","mechanism"\r\n' +
        '"visitors_by_area","2026-W02","rings","301","295","307","0.9623","1","20","discrete_laplace"\r\n' +
        `"visitors_by_area","2026-W02","'=HYPERLINK(""x"")","25","19","31","0.9623","1","20","discrete_laplace"\r\n`,
    );
  });

  it('reads the reports section of the policy, with defaults, and refuses a bad one', () => {
    const base = loadPolicy();
    assert.deepEqual(base.doc.reports, {
      epsilon_per_query: 1,
      threshold: 20,
      contribution_cap: 2,
      budget_per_week: 3,
      budget_lifetime: 52,
      lifetime_days: 365,
      accuracy_alpha: 0.05,
    });
    assert.deepEqual(policyWithReports('  epsilon_per_query: 0.25\n').doc.reports, {
      epsilon_per_query: 0.25,
      threshold: 20,
      contribution_cap: 2,
      budget_per_week: 3,
      budget_lifetime: 52,
      lifetime_days: 365,
      accuracy_alpha: 0.05,
    });
    const without = withoutReports();
    const bad = (section: string) => parsePolicy(`${without}\nreports:\n${section}`).ok;
    assert.equal(bad('  epsilon_per_query: 0.0001\n  threshold: -1\n'), false);
    assert.equal(
      bad('  epsilon_per_query: 2\n  budget_per_week: 1\n'),
      false,
      'a week smaller than one query',
    );
    assert.equal(
      bad('  budget_per_week: 3\n  budget_lifetime: 2\n'),
      false,
      'a lifetime smaller than a week',
    );
    assert.equal(bad('  budget_per_period: 3\n'), false, 'the old per-period key is gone');
    assert.equal(bad('  accuracy_alpha: 0\n'), false);
  });
});

describeEachDialect('aggregate reports', (env) => {
  it('refuses a week that has not ended, a malformed week, and weeks before 2000 or the policy', async () => {
    const e = env();
    await seedWeek2({ ctx: e.ctx });
    const open = await ask(e, 'visitors-by-area?week=2026-W03');
    assert.equal(open.statusCode, 409);
    assert.equal(open.json().error.code, 'VOW_REPORT_PERIOD_OPEN');
    for (const week of ['2021-W53', 'last', '0026-W03', '1926-W03', '1999-W01']) {
      const bad = await ask(e, `visitors-by-area?week=${week}`);
      assert.equal(bad.statusCode, 400, week);
      assert.equal(bad.json().error.code, 'VOW_VALIDATION', week);
    }
    // The default policy took effect on 2023-02-01 (2023-W05): nothing before it is reported.
    const before = await ask(e, 'visitors-by-area?week=2023-W04');
    assert.equal(before.statusCode, 400);
    assert.equal(before.json().error.details.earliest, '2023-W05');
    assert.equal(
      (await e.store.db.selectFrom('jobs').selectAll().execute()).length,
      0,
      'no release was even queued',
    );
  });

  it('releases a finished week by a job, never on the request, and answers only what it stored', async () => {
    const e = env();
    const first = await ask(e, 'visitors-by-area?week=2026-W02');
    assert.equal(first.statusCode, 409, first.body);
    assert.equal(first.json().error.code, 'VOW_REPORT_NOT_READY');
    assert.equal(first.json().error.details.period, '2026-W02');
    assert.equal((await e.store.db.selectFrom('report_releases').selectAll().execute()).length, 0);
    const queued = await e.store.db.selectFrom('jobs').select(['name', 'idempotency_key']).execute();
    assert.deepEqual(queued, [
      { name: 'reports.release_week', idempotency_key: 'reports.release_week:2026-W02' },
    ]);
    // Asking again (in any spelling) queues nothing more; the job releases both reports of the week.
    assert.equal((await ask(e, 'visitors-by-area?week=2026W02')).statusCode, 409);
    assert.equal((await e.store.db.selectFrom('jobs').selectAll().execute()).length, 1);
    assert.equal(await e.services.jobs.drain(), 1);
    const releases = await e.store.db.selectFrom('report_releases').select(['report', 'period']).execute();
    assert.deepEqual(releases.map((r) => `${r.report} ${r.period}`).sort(), [
      'registrations_by_gender 2026-W02',
      'visitors_by_area 2026-W02',
    ]);
  });

  it('gives one release per week, whichever way the week is spelled', async () => {
    const e = env();
    const a = await ask(e, 'visitors-by-area?week=2026-W02');
    const b = await ask(e, 'visitors-by-area?week=2026w02');
    assert.equal(a.statusCode, 200, a.body);
    assert.equal(b.statusCode, 200, b.body);
    assert.equal(b.json().period, '2026-W02');
    assert.equal(b.json().releaseId, a.json().releaseId);
    assert.deepEqual(b.json().cells, a.json().cells);
    assert.equal(a.json().charged, true);
    assert.equal(b.json().charged, false, 'the same release, received before');
    const rows = await e.store.db
      .selectFrom('report_releases')
      .select('id')
      .where('report', '=', 'visitors_by_area')
      .execute();
    assert.equal(rows.length, 1);
  });

  it('releases noisy visitor counts per area, suppressing small areas, with protections and accuracy', async () => {
    const res = await ask(env(), 'visitors-by-area?week=2026-W02');
    assert.equal(res.statusCode, 200, res.body);
    const body = res.json();
    assert.equal(body.mechanism, 'discrete_laplace');
    assert.equal(body.epsilon, 1);
    assert.equal(body.threshold, 20);
    assert.equal(body.contributionCap, 2);
    assert.equal(body.sensitivity, 2);
    assert.ok(body.delta > 0 && body.delta < 1e-3, `delta ${body.delta}`);
    // Lap_Z(2/1): P(|X| > 6) = 2e^-3.5 / (1 + e^-0.5) = 0.0377, the smallest k with a tail under 5%.
    assert.equal(body.accuracy.halfWidth, 6);
    assert.equal(body.accuracy.alpha, 0.05);
    assert.ok(Math.abs(body.accuracy.coverage - 0.962_407) < 1e-6, `${body.accuracy.coverage}`);
    for (const c of body.cells) assert.deepEqual(c.interval, [Math.max(0, c.count - 6), c.count + 6]);
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
    assert.equal(again.charged, false);
    assert.equal(again.budget.spent, 1);
    assert.equal(again.budget.week, '2026-W03', 'the week of receipt, not the week reported');
    assert.equal(again.budget.remaining, 2);
    const releases = await store.db
      .selectFrom('report_releases')
      .selectAll()
      .where('report', '=', 'visitors_by_area')
      .execute();
    assert.equal(releases.length, 1);
    assert.deepEqual(
      JSON.parse(releases[0]!.cells),
      first.cells.map((c: { key: string; count: number }) => ({ key: c.key, count: c.count })),
      'only the noisy released cells are stored',
    );
  });

  it('counts men and women who registered, each person once, and withholds small cells', async () => {
    const e = env();
    const res = await ask(e, 'registrations-by-gender?week=2026-W02');
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
    assert.equal(body.accuracy.halfWidth, 3, 'Lap_Z(1): P(|X| > 3) = 2e^-4 / (1 + e^-1) = 0.027');
    await e.services.reports.releaseWeek('2026-W01');
    const week1 = (await ask(e, 'registrations-by-gender?week=2026-W01')).json();
    assert.deepEqual(week1.cells, [
      { key: 'men', count: null, interval: null },
      { key: 'women', count: null, interval: null },
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
    assert.equal(
      lines[0],
      '"report","period","area","count","interval_low","interval_high","coverage","epsilon","threshold","mechanism"',
    );
    const ringsLine = lines.find((l) => l.includes(',"rings",'));
    const rings = internal.cells.find((c: { key: string }) => c.key === 'rings').count;
    assert.equal(
      ringsLine,
      `"visitors_by_area","2026-W02","rings","${rings}","${rings - 6}","${rings + 6}","0.9624","1","20","discrete_laplace"`,
      'the one stored answer, with its interval',
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
      await app.inject({ method: 'GET', url: '/v1/reports/budget?recipient=advertisers' })
    ).json();
    assert.equal(budget.week, '2026-W03');
    assert.equal(budget.spent, 1);
    assert.equal(budget.remaining, 2);
    assert.deepEqual(
      { ...budget.lifetime, since: undefined },
      { days: 365, since: undefined, spent: 1, limit: 52, remaining: 51 },
    );
  });

  it('shows a released report on the staff console page, with its intervals, and why a report is refused', async () => {
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
    assert.match(
      shown.body,
      /<th scope="row">rings<\/th><td data-label="Count \(noisy\)">\d+<\/td><td data-label="[\d.]+% interval">\d+ to \d+<\/td>/,
    );
    assert.match(shown.body, /95% interval/);
    // The picture: each count with its noise interval, as accessible SVG with the same numbers.
    assert.match(
      shown.body,
      /data-testid="report-chart"[\s\S]*<svg [^>]*role="img"[\s\S]*<th scope="row">rings<\/th>/,
    );
    assert.match(shown.body, /within ±6 of the true count with probability 96\.2%/);
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
