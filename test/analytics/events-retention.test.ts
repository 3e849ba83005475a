import assert from 'node:assert/strict';
import { it } from 'node:test';
import {
  measurementCutoff,
  minusDuration,
  PURGE_JOB,
} from '../../src/modules/site-analytics/events-retention.js';
import { describeEachDialect } from '../helpers/env.js';

describeEachDialect('retention of site measurements', (env) => {
  it('takes the shortest retention among what a measurement holds (device id 13 months, behaviour 14)', () => {
    const now = new Date('2026-01-15T12:00:00.000Z');
    assert.equal(minusDuration(now, 'P14M').toISOString(), '2024-11-15T12:00:00.000Z');
    assert.equal(measurementCutoff(env().ctx.policy, now)?.toISOString(), '2024-12-15T12:00:00.000Z');
  });

  it('purges measurements and GA forward records past retention in a daily job, keeping the rest', async () => {
    const { app, clock, ctx, services, store } = env();
    services.siteAnalytics.ga.useSender(async () => {});
    clock.set('2025-01-10T08:00:00.000Z');
    const visitor = (
      await app.inject({
        method: 'POST',
        url: '/v1/consent/choices',
        payload: {
          categories: { analytics: true, layout_experiments: false, advertising: false },
          source: 'choose',
          consentVersion: ctx.policy.consentVersion,
        },
      })
    ).json().visitor;
    const beacon = (path: string) =>
      app.inject({ method: 'POST', url: '/v1/collect', payload: { visitor, type: 'page_view', path } });
    await beacon('/old');
    clock.set('2025-12-01T08:00:00.000Z');
    await beacon('/recent');
    clock.set('2026-02-20T09:00:00.000Z');
    await services.siteAnalytics.schedulePurge();
    const outcome = await services.jobs.runOnce();
    assert.equal(outcome?.name, PURGE_JOB);
    assert.equal(outcome?.status, 'done');
    const index = services.cookieConsent.visitorIndex(visitor);
    const paths = await store.db
      .selectFrom('analytics_events')
      .select('path')
      .where('visitor_id', '=', index)
      .execute();
    assert.deepEqual(
      paths.map((p) => p.path),
      ['/recent'],
    );
    const forwards = await store.db
      .selectFrom('ga_forwards')
      .select('at')
      .where('visitor_id', '=', index)
      .execute();
    assert.deepEqual(
      forwards.map((f) => f.at),
      ['2025-12-01T08:00:00.000Z'],
    );
    const audit = await ctx.audit.list({ targetType: 'table', targetId: 'analytics_events' });
    assert.ok(audit.some((a) => a.action === 'retention.purged' && JSON.parse(a.details).events >= 1));
    const next = await services.jobs.findByKey(`${PURGE_JOB}:2026-02-21`);
    assert.ok(next, 'the next purge is queued for the next day');
  });
});
