// Layout experiment results that say when they know (P17): readiness from the metric samples
// themselves (exposures without outcomes are not data), no means below the minimum sample,
// CUPED with pre-exposure behaviour, and the power calculation when an experiment is defined.
import assert from 'node:assert/strict';
import { it } from 'node:test';
import { assignVariant } from '../../src/modules/experiments/assignment-hash.js';
import { describeEachDialect, type TestEnv } from '../helpers/env.js';
import {
  type EventRow,
  ensureSourceTables,
  insertEvents,
  setExperimentConsent,
} from './experiments-fixtures.js';

/** Exposes `n` consenting visitors to an experiment at the clock's time; returns cookie, blind index and layout. */
async function exposeMany(
  e: TestEnv,
  experiment: { id: string; variants: { id: string; weight: number }[] },
  prefix: string,
  n: number,
): Promise<{ visitor: string; variant: string; i: number }[]> {
  const out: { visitor: string; variant: string; i: number }[] = [];
  const rows = [];
  for (let i = 0; i < n; i++) {
    const cookie = `${prefix}-${String(i).padStart(5, '0')}`;
    const visitor = await setExperimentConsent(e.ctx, cookie, true);
    const variant = assignVariant(experiment.id, cookie, experiment.variants).id;
    rows.push({
      experiment_id: experiment.id,
      visitor_id: visitor,
      variant,
      at: e.clock.now().toISOString(),
    });
    out.push({ visitor, variant, i });
  }
  for (let i = 0; i < rows.length; i += 200)
    await e.ctx.store.db
      .insertInto('experiment_exposures')
      .values(rows.slice(i, i + 200))
      .execute();
  return out;
}

const twoLayouts = [
  { id: 'control', weight: 1 },
  { id: 'b', weight: 1 },
];

describeEachDialect('experiment results say when they know', (env) => {
  it('says "not enough data" while no visitor has an outcome to compare, however many were exposed', async () => {
    const e = env();
    await ensureSourceTables(e.ctx);
    const def = {
      id: 'no-outcomes',
      name: 'Exposed, never measured',
      variants: twoLayouts,
      minSamplePerArm: 20,
    };
    assert.equal(
      (await e.app.inject({ method: 'POST', url: '/v1/experiments', payload: def })).statusCode,
      201,
    );
    await exposeMany(e, def, 'cookie-none', 80);
    const body = (await e.app.inject({ method: 'GET', url: '/v1/experiments/no-outcomes/results' })).json();
    assert.equal(body.status, 'not_enough_data');
    assert.deepEqual(body.comparisons, []);
    assert.doesNotMatch(body.message, /Enough data/);
    assert.deepEqual(
      body.readiness.map((r: { metric: string; ready: boolean }) => [r.metric, r.ready]),
      [
        ['visit_duration_ms', false],
        ['conversion_rate', false],
        ['revenue_per_visitor_cents', false],
      ],
    );
    assert.match(
      body.readiness[0].reason,
      /needs 20 visitors with a visit after exposure \(control has 0, b has 0\)/,
    );
    assert.match(body.readiness[1].reason, /same value so far \(0\)/);
    for (const v of body.variants) {
      assert.ok(v.visitors >= 20);
      assert.deepEqual(v.metrics.visit_duration_ms, { n: 0, mean: null, sd: null });
    }
  });

  it('shows no mean for a layout below the minimum sample', async () => {
    const e = env();
    const def = { id: 'one-visitor', name: 'One visitor', variants: twoLayouts, minSamplePerArm: 20 };
    await e.app.inject({ method: 'POST', url: '/v1/experiments', payload: def });
    const [only] = await exposeMany(e, def, 'cookie-one', 1);
    const t = e.clock.now().getTime();
    await insertEvents(e.ctx, [
      { visitor: only!.visitor, type: 'page_view', at: new Date(t + 1000).toISOString() },
      {
        visitor: only!.visitor,
        type: 'engagement',
        at: new Date(t + 61_000).toISOString(),
        durationMs: 60_000,
      },
    ]);
    const body = (await e.app.inject({ method: 'GET', url: '/v1/experiments/one-visitor/results' })).json();
    const layout = body.variants.find((v: { id: string }) => v.id === only!.variant);
    assert.deepEqual(layout.metrics.visit_duration_ms, { n: 1, mean: null, sd: null });
    const page = await e.app.inject({ method: 'GET', url: '/staff/experiments/one-visitor' });
    assert.match(page.body, /Not compared yet: visit duration/);
  });

  it('adjusts with pre-exposure behaviour (CUPED): the same difference, a tighter interval', async () => {
    const e = env();
    const def = { id: 'cuped-check', name: 'CUPED', variants: twoLayouts, minSamplePerArm: 50 };
    await e.app.inject({ method: 'POST', url: '/v1/experiments', payload: def });
    const visitors = await exposeMany(e, def, 'cookie-cuped', 400);
    const t = e.clock.now().getTime();
    const events: EventRow[] = [];
    // Each visitor has their own habit (some read long, some short), seen before and after the
    // exposure; layout b adds 5 seconds.
    let seed = 12345;
    const noise = () => {
      seed = (seed * 1103515245 + 12345) % 2 ** 31;
      return (seed / 2 ** 31 - 0.5) * 20_000;
    };
    for (const v of visitors) {
      const habit = 20_000 + (v.i % 40) * 4_000;
      const pre = habit + noise();
      const post = habit + noise() + (v.variant === 'b' ? 5_000 : 0);
      events.push({
        visitor: v.visitor,
        type: 'engagement',
        at: new Date(t - 2 * 86_400_000).toISOString(),
        durationMs: Math.round(pre),
      });
      events.push({
        visitor: v.visitor,
        type: 'engagement',
        at: new Date(t + 3_600_000).toISOString(),
        durationMs: Math.round(post),
      });
    }
    await insertEvents(e.ctx, events);
    const body = (await e.app.inject({ method: 'GET', url: '/v1/experiments/cuped-check/results' })).json();
    assert.equal(body.status, 'ready', body.message);
    const d = body.comparisons.find((c: { metric: string }) => c.metric === 'visit_duration_ms');
    assert.ok(d.cuped, 'pre-exposure visits were used');
    assert.equal(d.cuped.preExposureShare, 1);
    assert.ok(d.cuped.varianceReduction > 0.7, `variance removed ${d.cuped.varianceReduction}`);
    assert.ok(
      Math.abs(d.sequential.difference - 5_000) < 2_000,
      `CUPED difference ${d.sequential.difference}`,
    );
    const seqWidth = d.sequential.ci[1] - d.sequential.ci[0];
    const welchWidth = d.ci95[1] - d.ci95[0];
    assert.ok(
      seqWidth < welchWidth,
      `always valid and adjusted (${seqWidth}) beats raw one-look (${welchWidth})`,
    );
    assert.equal(d.significant, true);
    assert.match(body.message, /CUPED-adjusted/);
  });

  it('sizes an experiment when it is defined, and answers the power calculator', async () => {
    const e = env();
    const res = await e.app.inject({
      method: 'POST',
      url: '/v1/experiments',
      payload: {
        id: 'planned',
        name: 'Planned',
        variants: twoLayouts,
        plan: { metric: 'conversion_rate', baseline: 0.1, mde: 0.02 },
      },
    });
    assert.equal(res.statusCode, 201, res.body);
    const plan = res.json().plan;
    // α = 0.05 split over the 3 comparisons the results adjust together; power 0.8:
    // n = (z_{1-0.05/6} + z_{0.8})² (0.1·0.9 + 0.12·0.88) / 0.02² = 5119.4, so 5120 per layout.
    assert.equal(plan.alphaPerComparison, 0.05 / 3);
    assert.deepEqual(plan.sampleSize, { total: 10_240, perArm: { control: 5120, b: 5120 } });
    assert.deepEqual(
      (await e.app.inject({ method: 'GET', url: '/v1/experiments/planned' })).json().plan,
      plan,
    );
    const results = (await e.app.inject({ method: 'GET', url: '/v1/experiments/planned/results' })).json();
    assert.deepEqual(results.plan, plan);

    const power = (payload: object) =>
      e.app.inject({ method: 'POST', url: '/v1/experiments/power', payload });
    const mde = await power({
      metric: 'visit_duration_ms',
      baseline: 60_000,
      sd: 30_000,
      visitors: 10_240,
      variants: twoLayouts,
    });
    assert.equal(mde.statusCode, 200, mde.body);
    // (z_{1-0.05/6} + z_{0.8}) · 30000 · sqrt(2/5120) = 1918.48 ms
    assert.ok(Math.abs(mde.json().mde - 1918.48) < 0.01, `${mde.json().mde}`);
    const both = await power({
      metric: 'conversion_rate',
      baseline: 0.1,
      mde: 0.01,
      visitors: 100,
      variants: twoLayouts,
    });
    assert.equal(both.json().error.code, 'VOW_EXPERIMENT_INVALID');
    const noSd = await power({
      metric: 'revenue_per_visitor_cents',
      baseline: 500,
      mde: 50,
      variants: twoLayouts,
    });
    assert.equal(noSd.json().error.code, 'VOW_EXPERIMENT_INVALID');
    const badRate = await e.app.inject({
      method: 'POST',
      url: '/v1/experiments',
      payload: {
        id: 'bad-plan',
        name: 'x',
        variants: twoLayouts,
        plan: { metric: 'conversion_rate', baseline: 0.99, mde: 0.05 },
      },
    });
    assert.equal(badRate.json().error.code, 'VOW_EXPERIMENT_INVALID');
  });
});
