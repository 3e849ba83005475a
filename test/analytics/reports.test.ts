// Aggregate reports (P6) with differential privacy: capped contributions, exact discrete Laplace
// noise, cells suppressed under a noisy threshold, one release per canonical week made by a job
// (never on the request path), each count with its accuracy interval, a privacy budget per
// recipient per calendar week of receipt and over a rolling window, CSV export to advertisers
// recorded as a disclosure.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { loadPolicy } from '../../src/modules/policy/index.js';
import { parsePolicy } from '../../src/modules/policy/load-policy.js';
import { capContributions } from '../../src/modules/reports/counting.js';
import { canonicalWeek, isoWeekOf, isoWeekRange } from '../../src/modules/reports/periods.js';
import { type ReleasedReport, reportCsv } from '../../src/modules/reports/present.js';
import { seededRandom } from '../../src/platform/clock.js';
import { describeEachDialect, type TestEnv } from '../helpers/env.js';
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
const DAY = 86_400_000;

/** The default policy with its `reports` section replaced. */
export function policyWithReports(section: string): ReturnType<typeof loadPolicy> {
  const base = loadPolicy();
  const source = base.source.replace(/\nreports:\n(?: {2}.*\n?)*/, '\n');
  const parsed = parsePolicy(`${source}\nreports:\n${section}`);
  if (!parsed.ok) throw new Error(`test policy invalid: ${JSON.stringify(parsed)}`);
  return parsed.policy;
}

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
      'report,period,area,count,interval_low,interval_high,coverage,epsilon,threshold,mechanism\r\n' +
        'visitors_by_area,2026-W02,rings,301,295,307,0.9623,1,20,discrete_laplace\r\n' +
        `visitors_by_area,2026-W02,"'=HYPERLINK(""x"")",25,19,31,0.9623,1,20,discrete_laplace\r\n`,
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
    const without = base.source.replace(/\nreports:\n(?: {2}.*\n?)*/, '\n');
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

/** Asks for a report over HTTP, the way staff do. */
function ask(env: TestEnv, path: string) {
  return env.app.inject({ method: 'GET', url: `/v1/reports/${path}` });
}

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
      'report,period,area,count,interval_low,interval_high,coverage,epsilon,threshold,mechanism',
    );
    const ringsLine = lines.find((l) => l.includes(',rings,'));
    const rings = internal.cells.find((c: { key: string }) => c.key === 'rings').count;
    assert.equal(
      ringsLine,
      `visitors_by_area,2026-W02,rings,${rings},${rings - 6},${rings + 6},0.9624,1,20,discrete_laplace`,
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
    assert.match(shown.body, /<td>rings<\/td><td>\d+<\/td><td>\d+ to \d+<\/td>/);
    assert.match(shown.body, /95% interval/);
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
