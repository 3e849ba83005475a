// Layout experiments over HTTP (P17): definition with a power calculation, deterministic
// assignment, exposures only under consent, results with always-valid tests (CUPED-adjusted),
// Welch for reference, Holm's correction, the sample-ratio check and "not enough data" read from
// the metric samples themselves.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { assignVariant } from '../../src/modules/experiments/assignment-hash.js';
import { VISIT_GAP_MS, visitorOutcome } from '../../src/modules/experiments/outcomes.js';
import { summarise, welchTTest } from '../../src/modules/experiments/stats/tests.js';
import { createTestEnv, describeEachDialect, testConfig } from '../helpers/env.js';
import {
  type EventRow,
  ensureSourceTables,
  insertEvents,
  setExperimentConsent,
} from './experiments-fixtures.js';

describe('visit duration per visitor', () => {
  const t0 = Date.parse('2026-01-15T12:00:00.000Z');
  const at = (ms: number): string => new Date(t0 + ms).toISOString();
  const ev = (type: string, ms: number, durationMs: number | null = null) => ({
    type,
    at: at(ms),
    durationMs,
    valueCents: null,
    currency: null,
  });

  it('counts the engaged time of a single-page visit (not zero seconds)', () => {
    const o = visitorOutcome([ev('page_view', 0), ev('engagement', 45_000, 45_000)], 'USD');
    assert.equal(o.visits, 1);
    assert.equal(o.meanVisitDurationMs, 45_000);
  });

  it('includes the last page of a visit and splits visits after 30 minutes of inactivity', () => {
    const o = visitorOutcome(
      [
        ev('page_view', 0),
        ev('engagement', 20_000, 20_000),
        ev('page_view', 21_000),
        ev('engagement', 61_000, 40_000), // time on the last page of visit 1
        ev('page_view', 61_000 + VISIT_GAP_MS + 1), // a new visit
        ev('engagement', 61_000 + VISIT_GAP_MS + 10_001, 10_000),
      ],
      'USD',
    );
    assert.equal(o.visits, 2);
    assert.equal(o.meanVisitDurationMs, (60_000 + 10_000) / 2);
    const joined = visitorOutcome([ev('page_view', 0), ev('engagement', VISIT_GAP_MS - 1, 5_000)], 'USD');
    assert.equal(joined.visits, 1);
  });

  it('counts orders in the experiment currency as sales', () => {
    const o = visitorOutcome(
      [
        { type: 'order_completed', at: at(0), durationMs: null, valueCents: 12_500, currency: 'USD' },
        { type: 'order_completed', at: at(1000), durationMs: null, valueCents: 9_900, currency: 'EUR' },
        { type: 'add_to_cart', at: at(500), durationMs: null, valueCents: 50_000, currency: 'USD' },
      ],
      'USD',
    );
    assert.equal(o.converted, true);
    assert.equal(o.revenueCents, 12_500);
  });
});

describeEachDialect('layout experiments', (env) => {
  const def = {
    id: 'checkout-layout',
    name: 'Checkout: one page or two',
    variants: [
      { id: 'control', weight: 1 },
      { id: 'one-page', weight: 1 },
    ],
    minSamplePerArm: 30,
  };

  it('defines an experiment (audited) and refuses duplicates and inconsistent definitions', async () => {
    const { app, ctx } = env();
    await ensureSourceTables(ctx);
    const res = await app.inject({ method: 'POST', url: '/v1/experiments', payload: def });
    assert.equal(res.statusCode, 201, res.body);
    assert.equal(res.json().status, 'running');
    assert.deepEqual(
      res.json().variants.map((v: { id: string }) => v.id),
      ['control', 'one-page'],
    );
    const again = await app.inject({ method: 'POST', url: '/v1/experiments', payload: def });
    assert.equal(again.statusCode, 409);
    assert.equal(again.json().error.code, 'VOW_EXPERIMENT_EXISTS');
    const dup = await app.inject({
      method: 'POST',
      url: '/v1/experiments',
      payload: { ...def, id: 'dup', variants: [def.variants[0], def.variants[0]] },
    });
    assert.equal(dup.json().error.code, 'VOW_EXPERIMENT_INVALID');
    const one = await app.inject({
      method: 'POST',
      url: '/v1/experiments',
      payload: { ...def, id: 'single', variants: [def.variants[0]] },
    });
    assert.equal(one.json().error.code, 'VOW_VALIDATION');
    const extra = await app.inject({
      method: 'POST',
      url: '/v1/experiments',
      payload: { ...def, id: 'x-1', owner: 'me' },
    });
    assert.equal(extra.json().error.code, 'VOW_VALIDATION');
    const badWeight = await app.inject({
      method: 'POST',
      url: '/v1/experiments',
      payload: {
        ...def,
        id: 'x-2',
        variants: [
          { id: 'a', weight: 0.5 },
          { id: 'b', weight: 1 },
        ],
      },
    });
    assert.equal(badWeight.statusCode, 400);
    const list = await app.inject({ method: 'GET', url: '/v1/experiments' });
    assert.deepEqual(
      list.json().experiments.map((e: { id: string }) => e.id),
      ['checkout-layout'],
    );
    const audit = await ctx.audit.list({ targetType: 'experiment', targetId: 'checkout-layout' });
    assert.equal(audit.length, 1);
    assert.equal(audit[0]?.action, 'experiment.created');
  });

  it('assigns the same layout to the same cookie id, as the documented algorithm computes it', async () => {
    const { app } = env();
    for (const cookie of ['c0ffee00-0000-4000-8000-000000000001', 'visitor_abc123', 'Zz-9_long-cookie-id']) {
      const expected = assignVariant('checkout-layout', cookie, def.variants).id;
      for (let i = 0; i < 3; i++) {
        const res = await app.inject({
          method: 'POST',
          url: '/v1/experiments/checkout-layout/assignment',
          payload: { visitorId: cookie },
        });
        assert.equal(res.statusCode, 200, res.body);
        assert.equal(res.json().variant, expected);
        assert.ok(res.json().position >= 0 && res.json().position < 1);
      }
    }
    // Without layout-experiment consent the visitor is shown the control, whatever the hash says;
    // with it, the assigned layout.
    const cookie = 'cookie-assign-layout-02';
    const variant = assignVariant('checkout-layout', cookie, def.variants).id;
    assert.equal(variant, 'one-page', 'a cookie the hash puts in the non-control layout');
    const ask = async () =>
      (
        await app.inject({
          method: 'POST',
          url: '/v1/experiments/checkout-layout/assignment',
          payload: { visitorId: cookie },
        })
      ).json();
    const before = await ask();
    assert.equal(before.variant, variant);
    assert.equal(before.consented, false);
    assert.equal(before.layout, 'control');
    await setExperimentConsent(env().ctx, cookie, true);
    const after = await ask();
    assert.equal(after.consented, true);
    assert.equal(after.layout, variant);
    await setExperimentConsent(env().ctx, cookie, false);
    const email = await app.inject({
      method: 'POST',
      url: '/v1/experiments/checkout-layout/assignment',
      payload: { visitorId: 'jane@example.com' },
    });
    assert.equal(email.statusCode, 400, 'an email address is not a cookie id');
    const missing = await app.inject({
      method: 'POST',
      url: '/v1/experiments/nope/assignment',
      payload: { visitorId: 'visitor_abc123' },
    });
    assert.equal(missing.statusCode, 404);
    assert.equal(missing.json().error.code, 'VOW_EXPERIMENT_NOT_FOUND');
  });

  it('logs an exposure only with layout-experiment consent, once, under the blind index', async () => {
    const { app, ctx } = env();
    const cookie = 'cookie-consent-test-0001';
    const expose = () =>
      app.inject({
        method: 'POST',
        url: '/v1/experiments/checkout-layout/exposures',
        payload: { visitorId: cookie },
      });
    const before = await expose();
    assert.equal(before.statusCode, 200);
    assert.deepEqual(before.json().recorded, false);
    assert.equal(before.json().reason, 'no_consent');
    const count = async () =>
      Number(
        (
          await ctx.store.db
            .selectFrom('experiment_exposures')
            .select((eb) => eb.fn.countAll<number>().as('n'))
            .where('experiment_id', '=', 'checkout-layout')
            .executeTakeFirstOrThrow()
        ).n,
      );
    assert.equal(await count(), 0);

    const visitorId = await setExperimentConsent(ctx, cookie, true);
    const first = await expose();
    assert.deepEqual(first.json(), {
      recorded: true,
      firstExposure: true,
      variant: assignVariant('checkout-layout', cookie, def.variants).id,
    });
    const second = await expose();
    assert.equal(second.json().firstExposure, false);
    assert.equal(await count(), 1);
    const row = await ctx.store.db.selectFrom('experiment_exposures').selectAll().executeTakeFirstOrThrow();
    assert.equal(row.visitor_id, visitorId);
    assert.notEqual(row.visitor_id, cookie, 'the cookie id itself is never stored');

    await setExperimentConsent(ctx, cookie, false);
    const withdrawn = await expose();
    assert.equal(withdrawn.json().recorded, false);
    // A grant given under an older version of what visitors consent to has lapsed.
    await setExperimentConsent(ctx, 'cookie-stale-grant-0001', true, 'an-older-consent-version');
    const stale = await app.inject({
      method: 'POST',
      url: '/v1/experiments/checkout-layout/exposures',
      payload: { visitorId: 'cookie-stale-grant-0001' },
    });
    assert.equal(stale.json().recorded, false);
    // Clean up so the results below start from nothing.
    await ctx.store.db.deleteFrom('experiment_exposures').execute();
  });

  it('says "not enough data yet" below the minimum sample per layout', async () => {
    const { app } = env();
    const res = await app.inject({ method: 'GET', url: '/v1/experiments/checkout-layout/results' });
    assert.equal(res.statusCode, 200, res.body);
    const body = res.json();
    assert.equal(body.status, 'not_enough_data');
    assert.match(body.message, /needs 30/);
    assert.deepEqual(body.comparisons, []);
    const audit = await env().ctx.audit.list({ targetType: 'experiment', targetId: 'checkout-layout' });
    assert.equal(audit.at(-1)?.action, 'experiment.results_viewed');
  });

  it('compares visit duration, conversion and revenue per visitor with Welch tests and Holm', async () => {
    const { app, ctx, clock } = env();
    const exposedAt = clock.now().getTime();
    const events: EventRow[] = [];
    const truth: Record<string, { duration: number[]; conversion: number[]; revenue: number[] }> = {
      control: { duration: [], conversion: [], revenue: [] },
      'one-page': { duration: [], conversion: [], revenue: [] },
    };
    for (let i = 0; i < 160; i++) {
      const cookie = `cookie-results-${String(i).padStart(4, '0')}`;
      const visitor = await setExperimentConsent(ctx, cookie, true);
      const res = await app.inject({
        method: 'POST',
        url: '/v1/experiments/checkout-layout/exposures',
        payload: { visitorId: cookie },
      });
      const variant = res.json().variant as string;
      assert.equal(res.json().recorded, true);
      const iso = (ms: number) => new Date(exposedAt + ms).toISOString();
      // Before exposure: must not count.
      events.push({
        visitor,
        type: 'engagement',
        at: new Date(exposedAt - 3_600_000).toISOString(),
        durationMs: 9_999_999,
      });
      // One visit: two pages; the second page's engaged time comes with the leave event.
      const base = variant === 'one-page' ? 90_000 : 60_000;
      const d1 = base / 2 + (i % 7) * 1_000;
      const d2 = base / 2 + (i % 5) * 2_000;
      events.push({ visitor, type: 'page_view', at: iso(60_000) });
      events.push({ visitor, type: 'engagement', at: iso(60_000 + d1), durationMs: d1 });
      events.push({ visitor, type: 'page_view', at: iso(60_000 + d1 + 1) });
      events.push({ visitor, type: 'engagement', at: iso(60_000 + d1 + d2), durationMs: d2 });
      const buys = i % 5 === 0;
      if (buys)
        events.push({
          visitor,
          type: 'order_completed',
          at: iso(200_000),
          valueCents: 10_000 + (i % 3) * 500,
          currency: 'USD',
        });
      truth[variant]!.duration.push(d1 + d2);
      truth[variant]!.conversion.push(buys ? 1 : 0);
      truth[variant]!.revenue.push(buys ? 10_000 + (i % 3) * 500 : 0);
    }
    await insertEvents(ctx, events);

    const res = await app.inject({ method: 'GET', url: '/v1/experiments/checkout-layout/results' });
    assert.equal(res.statusCode, 200, res.body);
    const body = res.json();
    assert.equal(body.status, 'ready', body.message);
    for (const v of body.variants) {
      assert.equal(v.visitors, truth[v.id]!.conversion.length);
      assert.equal(v.visits, v.visitors, 'one visit each; the pre-exposure event is not counted');
      assert.ok(Math.abs(v.metrics.visit_duration_ms.mean - summarise(truth[v.id]!.duration).mean) < 1e-6);
      assert.ok(Math.abs(v.metrics.conversion_rate.mean - summarise(truth[v.id]!.conversion).mean) < 1e-12);
    }
    assert.equal(body.comparisons.length, 3);
    const byMetric = Object.fromEntries(body.comparisons.map((c: { metric: string }) => [c.metric, c]));
    const expected = welchTTest(summarise(truth.control!.duration), summarise(truth['one-page']!.duration));
    assert.ok(Math.abs(byMetric.visit_duration_ms.t - (expected.t as number)) < 1e-9);
    assert.ok(Math.abs(byMetric.visit_duration_ms.difference - 30_000) < 3_000);
    assert.equal(byMetric.visit_duration_ms.significant, true, 'always valid, and still clear');
    assert.ok(byMetric.visit_duration_ms.ci95[0] > 0);
    const seq = byMetric.visit_duration_ms.sequential;
    assert.ok(
      seq.ci[0] > 0 && seq.ci[0] < byMetric.visit_duration_ms.ci95[0],
      'wider than the one-look interval',
    );
    assert.ok(seq.adjustedPValue < 0.05);
    assert.equal(seq.tuningVisitors, 5000);
    assert.equal(
      byMetric.visit_duration_ms.cuped,
      null,
      'the same pre-exposure value for everyone: no covariate',
    );
    for (const c of body.comparisons) {
      if (c.pValue !== null) assert.ok(c.adjustedPValue >= c.pValue, 'Holm never lowers a p-value');
    }
    // The smallest p-value is multiplied by the number of comparisons (3).
    const ps = body.comparisons
      .map((c: { pValue: number }) => c.pValue)
      .sort((a: number, b: number) => a - b);
    const smallest = body.comparisons.find((c: { pValue: number }) => c.pValue === ps[0]);
    assert.ok(Math.abs(smallest.adjustedPValue - Math.min(1, 3 * ps[0])) < 1e-15);
    assert.equal(typeof body.sampleRatio.pValue, 'number');

    // A visitor who withdraws layout-experiment consent leaves the results.
    await setExperimentConsent(ctx, 'cookie-results-0000', false);
    const after = (
      await app.inject({ method: 'GET', url: '/v1/experiments/checkout-layout/results' })
    ).json();
    const total = (b: { variants: { visitors: number }[] }) => b.variants.reduce((n, v) => n + v.visitors, 0);
    assert.equal(total(after), total(body) - 1);
  });

  it('shows the experiments and their results in the staff console, escaped', async () => {
    const { app } = env();
    await app.inject({
      method: 'POST',
      url: '/v1/experiments',
      payload: { ...def, id: 'escaping', name: 'Hero <script>alert(1)</script>' },
    });
    const list = await app.inject({ method: 'GET', url: '/staff/experiments' });
    assert.equal(list.statusCode, 200);
    assert.match(String(list.headers['content-type']), /^text\/html/);
    assert.match(list.body, /href="\/staff\/experiments\/checkout-layout"/);
    assert.ok(!list.body.includes('<script>alert(1)'), 'names are escaped');
    assert.ok(list.body.includes('Hero &lt;script&gt;'));
    const page = await app.inject({ method: 'GET', url: '/staff/experiments/checkout-layout' });
    assert.equal(page.statusCode, 200);
    assert.match(page.body, /data-status="ready"/);
    assert.match(page.body, /data-metric="visit_duration_ms" data-variant="one-page"/);
    // The picture: each difference with its interval, as SVG with a table, and the SRM verdict first.
    assert.match(page.body, /data-testid="experiment-chart"[\s\S]*<svg [^>]*role="img"[\s\S]*<desc /);
    assert.match(page.body, /data-testid="srm-verdict" data-srm="(ok|mismatch)"/);
    assert.ok(page.body.indexOf('srm-verdict') < page.body.indexOf('experiment-chart'));
    const missing = await app.inject({ method: 'GET', url: '/staff/experiments/nope' });
    assert.equal(missing.statusCode, 404);
  });

  it('flags a sample-ratio mismatch (p < 0.001) and stops taking exposures once stopped', async () => {
    const { app, ctx } = env();
    await app.inject({
      method: 'POST',
      url: '/v1/experiments',
      payload: { ...def, id: 'srm-check', minSamplePerArm: 10 },
    });
    const rows = [];
    for (let i = 0; i < 200; i++) {
      const visitorId = await setExperimentConsent(ctx, `cookie-srm-${String(i).padStart(4, '0')}`, true);
      rows.push({
        experiment_id: 'srm-check',
        visitor_id: visitorId,
        variant: i < 150 ? 'control' : 'one-page',
        at: ctx.clock.now().toISOString(),
      });
    }
    await ctx.store.db.insertInto('experiment_exposures').values(rows).execute();
    const res = await app.inject({ method: 'GET', url: '/v1/experiments/srm-check/results' });
    const body = res.json();
    assert.equal(body.sampleRatio.mismatch, true);
    assert.ok(Math.abs(body.sampleRatio.chiSquare - 50) < 1e-9);
    assert.match(body.message, /Sample ratio mismatch/);

    const stop = await app.inject({ method: 'POST', url: '/v1/experiments/srm-check/stop' });
    assert.equal(stop.json().status, 'stopped');
    await setExperimentConsent(ctx, 'cookie-after-stop', true);
    const late = await app.inject({
      method: 'POST',
      url: '/v1/experiments/srm-check/exposures',
      payload: { visitorId: 'cookie-after-stop' },
    });
    assert.equal(late.statusCode, 409);
    assert.equal(late.json().error.code, 'VOW_EXPERIMENT_STOPPED');
  });
});

describe("assignment from the shop's pages", () => {
  it('answers cross-origin calls from the allowed shop origin only (CORS)', async () => {
    const env = await createTestEnv('sqlite', {
      config: testConfig({ VOW_ALLOWED_ORIGINS: 'https://shop.example' }),
    });
    try {
      await env.services.experiments.create(
        {
          id: 'cors-check',
          name: 'CORS',
          variants: [
            { id: 'a', weight: 1 },
            { id: 'b', weight: 1 },
          ],
        },
        { type: 'staff', id: 't' },
      );
      const call = (origin: string) =>
        env.app.inject({
          method: 'POST',
          url: '/v1/experiments/cors-check/assignment',
          headers: { origin },
          payload: { visitorId: 'cookie-cors-000001' },
        });
      const shop = await call('https://shop.example');
      assert.equal(shop.statusCode, 200);
      assert.equal(shop.headers['access-control-allow-origin'], 'https://shop.example');
      const other = await call('https://evil.example');
      assert.equal(other.headers['access-control-allow-origin'], undefined);
    } finally {
      await env.close();
    }
  });
});
