// The console's pictures, over HTTP: each is an SVG that names itself (role="img", <title>,
// <desc>) with the same numbers as a table beside it, no script and nothing from another host.
// The dashboard draws requests by due week and by week received; the audiences page draws the
// banner's choices per week and each channel's consent rate with its interval.
import assert from 'node:assert/strict';
import { before, it } from 'node:test';
import { intervalChart, niceMax, stackedBars } from '../../src/http/console/charts.js';
import { noun } from '../../src/platform/strings.js';
import { staffCaller } from '../helpers/auth.js';
import { describeEachDialect } from '../helpers/env.js';

type StaffCaller = Awaited<ReturnType<typeof staffCaller>>;

/** The figures of a page: each SVG's title, description and whether a data table follows. */
function figures(body: string): { testId: string; title: string; desc: string; table: boolean }[] {
  return [...body.matchAll(/<figure class="chart" data-testid="([^"]+)">([\s\S]*?)<\/figure>/g)].map((m) => ({
    testId: m[1]!,
    title: /<title id="[^"]+">([^<]*)<\/title>/.exec(m[2]!)?.[1] ?? '',
    desc: /<desc id="[^"]+">([^<]*)<\/desc>/.exec(m[2]!)?.[1] ?? '',
    table: /<svg [^>]*role="img" aria-labelledby="[^"]+"/.test(m[2]!) && /<table>/.test(m[2]!),
  }));
}

it('renders stacked bars and intervals as accessible SVG with a data table', () => {
  const bars = String(
    stackedBars({
      title: 'T',
      description: 'D',
      categories: ['w1', 'w2'],
      categoryLabel: 'Week',
      series: [
        { key: 'a', label: 'A' },
        { key: 'b', label: 'B' },
      ],
      values: { w1: { a: 2, b: 1 }, w2: { a: 0, b: 4 } },
      marked: { categories: ['w2'], label: 'late' },
      testId: 'x',
    }),
  );
  assert.equal(figures(bars).length, 1);
  assert.deepEqual(figures(bars)[0], { testId: 'x', title: 'T', desc: 'D', table: true });
  assert.match(bars, /<td>3<\/td>/, 'the total of w1');
  assert.doesNotMatch(bars, /<script|style=|https?:\/\//);
  const intervals = String(
    intervalChart({
      title: 'I',
      description: 'E',
      rows: [
        { label: 'north', value: 10, low: 7, high: 13 },
        { label: 'south', value: null, low: null, high: null },
      ],
      format: (v) => String(Math.round(v)),
      valueLabel: 'Count',
      intervalLabel: '95%',
      reference: 0,
      testId: 'y',
    }),
  );
  assert.deepEqual(figures(intervals)[0], { testId: 'y', title: 'I', desc: 'E', table: true });
  assert.match(intervals, /<td>withheld<\/td>/);
  assert.match(intervals, /<td>7 to 13<\/td>/);
});

it('labels a count axis with whole counts only, and counts in the right number', () => {
  for (let n = 0; n <= 2_000; n++) {
    const top = niceMax(n);
    assert.ok(top >= n && top % 2 === 0, `${n}: top ${top}`);
    assert.ok(top <= Math.max(2, 2 * n), `${n}: top ${top} leaves most of the chart empty`);
  }
  for (const total of [1, 3, 5, 7, 25, 250]) {
    const bars = String(
      stackedBars({
        title: 'T',
        description: 'D',
        categories: ['w1'],
        categoryLabel: 'Week',
        series: [{ key: 'a', label: 'A' }],
        values: { w1: { a: total } },
      }),
    );
    const ticks = [...bars.matchAll(/<text [^>]*text-anchor="end"[^>]*>([^<]*)<\/text>/g)].map((m) => m[1]!);
    assert.equal(ticks.length, 3);
    for (const t of ticks) assert.match(t, /^\d+$/, `a tick of a chart of ${total}: ${t}`);
  }
  assert.deepEqual(
    [0, 1, 2].map((n) => `${n} ${noun(n, 'request')}, ${n} ${noun(n, 'entry', 'entries')}`),
    ['0 requests, 0 entries', '1 request, 1 entry', '2 requests, 2 entries'],
  );
});

describeEachDialect(
  'console charts',
  (env) => {
    let officer: StaffCaller;
    let marketing: StaffCaller;
    before(async () => {
      officer = await staffCaller(env(), ['privacy_officer']);
      marketing = await staffCaller(env(), ['marketing']);
      const { rights, consent } = env().services;
      await rights.submit(
        { type: 'access', jurisdiction: 'eea', email: 'chart.one@example.com' },
        { channel: 'email', staffId: 'demo', receivedOn: '2026-01-05' },
      );
      await rights.submit(
        { type: 'deletion', jurisdiction: 'us-ca', email: 'chart.two@example.com' },
        { channel: 'email', staffId: 'demo', receivedOn: '2026-01-12' },
      );
      for (const [ref, event, type] of [
        ['visitor:one', 'consented', 'cookie_banner'],
        ['visitor:two', 'withdrawn', 'cookie_banner'],
        ['visitor:three', 'withdrawn', 'gpc'],
      ] as const)
        await consent.record(undefined, {
          subjectRef: ref,
          channel: 'cookies.analytics',
          event,
          cause: { type },
        });
      await consent.record(undefined, {
        subjectRef: 'visitor:four',
        channel: 'email_marketing',
        event: 'consented',
        cause: { type: 'api' },
      });
    });

    const get = (url: string, who: StaffCaller) =>
      env().app.inject({ method: 'GET', url, headers: { ...who.headers, accept: 'text/html' } });

    it('draws the dashboard’s request charts, deadlines before the promise table', async () => {
      const res = await get('/staff', officer);
      assert.equal(res.statusCode, 200);
      const figs = figures(res.body);
      assert.deepEqual(
        figs.map((f) => [f.testId, f.table]),
        [
          ['chart-due', true],
          ['chart-received', true],
        ],
      );
      assert.match(figs[0]!.desc, /2 open requests by due week/);
      assert.match(figs[1]!.desc, /2 requests received/);
      assert.ok(res.body.indexOf('chart-due') < res.body.indexOf('promises-h'), 'what is due comes first');
    });

    it('draws the banner’s choices and the consent rate per channel on the audiences page', async () => {
      const res = await get('/staff/audiences', marketing);
      assert.equal(res.statusCode, 200);
      const figs = figures(res.body);
      assert.deepEqual(
        figs.map((f) => f.testId),
        ['chart-banner', 'chart-consent-rate', 'chart-consent-weekly'],
      );
      assert.match(figs[0]!.desc, /^3 choices/);
      assert.match(figs[1]!.desc, /cookies analytics: 33% of 3/);
      assert.match(figs[1]!.desc, /email marketing: 100% of 1/);
      assert.match(figs[2]!.desc, /: 100% of 1$/, 'the marketing channels per week, cookies apart');
    });
  },
  { auth: 'enforced' },
);
