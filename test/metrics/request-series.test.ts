import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { Registry } from 'prom-client';
import { Metrics } from '../../src/platform/metrics/metrics.js';
import { RequestSeries } from '../../src/platform/metrics/request-series.js';

function series(buckets = [0.01, 0.1, 1]) {
  const s = new RequestSeries({
    countName: 't_requests_total',
    countHelp: 'requests',
    durationName: 't_duration_seconds',
    durationHelp: 'durations',
    buckets,
  });
  const registry = new Registry();
  for (const m of s.metrics()) registry.registerMetric(m);
  return { s, registry };
}

describe('request series', () => {
  it('counts by method, route and status, and lays durations out as a cumulative histogram by route', async () => {
    const { s, registry } = series();
    const getRoute = {};
    const postRoute = {};
    s.observe(getRoute, 'GET', '/a/:id', 200, 0.005);
    s.observe(getRoute, 'GET', '/a/:id', 200, 0.05);
    s.observe(getRoute, 'GET', '/a/:id', 404, 0.5);
    s.observe(getRoute, 'GET', '/a/:id', 200, 3);
    s.observe(postRoute, 'POST', '/b', 201, 0.01); // on a bound: in that bucket (le is inclusive)
    s.observe(undefined, 'GET', '(unmatched)', 404, 0.001);
    const text = await registry.metrics();
    assert.match(text, /# TYPE t_requests_total counter/);
    assert.match(text, /t_requests_total\{method="GET",route="\/a\/:id",status="200"\} 3/);
    assert.match(text, /t_requests_total\{method="GET",route="\/a\/:id",status="404"\} 1/);
    assert.match(text, /t_requests_total\{method="POST",route="\/b",status="201"\} 1/);
    assert.match(text, /t_requests_total\{method="GET",route="\(unmatched\)",status="404"\} 1/);
    assert.match(text, /# TYPE t_duration_seconds histogram/);
    assert.match(text, /t_duration_seconds_bucket\{route="\/a\/:id",le="0.01"\} 1\n/);
    assert.match(text, /t_duration_seconds_bucket\{route="\/a\/:id",le="0.1"\} 2\n/);
    assert.match(text, /t_duration_seconds_bucket\{route="\/a\/:id",le="1"\} 3\n/);
    assert.match(text, /t_duration_seconds_bucket\{route="\/a\/:id",le="\+Inf"\} 4\n/);
    assert.match(text, /t_duration_seconds_sum\{route="\/a\/:id"\} 3.555\n/);
    assert.match(text, /t_duration_seconds_count\{route="\/a\/:id"\} 4\n/);
    assert.match(text, /t_duration_seconds_bucket\{route="\/b",le="0.01"\} 1\n/);
    const json = await registry.getMetricsAsJSON();
    assert.deepEqual(
      json.map((m) => m.name),
      ['t_requests_total', 't_duration_seconds'],
    );
  });

  it('forgets every count when the registry is reset, and prints nothing for series never seen', async () => {
    const { s, registry } = series();
    const route = {};
    s.observe(route, 'GET', '/a', 200, 0.02);
    registry.resetMetrics();
    const text = await registry.metrics();
    assert.doesNotMatch(text, /t_requests_total\{/);
    assert.doesNotMatch(text, /t_duration_seconds_bucket\{/);
    s.observe(route, 'GET', '/a', 200, 0.02);
    assert.match(await registry.metrics(), /t_requests_total\{method="GET",route="\/a",status="200"\} 1/);
  });

  it('refuses buckets that are not ascending', () => {
    assert.throws(() => series([0.1, 0.01]), /ascending/);
    assert.throws(() => series([]), /ascending/);
  });
});

describe('deferred counters', () => {
  it('adds decisions and measurements counted between scrapes, and keeps the totals across scrapes', async () => {
    const m = new Metrics();
    m.countDecision('marketing.email', 'deny');
    m.countDecision('marketing.email', 'deny');
    m.countDecision('order.fulfilment', 'allow');
    m.countEvent('stored');
    m.countEvent('dropped_no_consent');
    let text = await m.registry.metrics();
    assert.match(text, /vow_decisions_total\{purpose="marketing.email",decision="deny"\} 2/);
    assert.match(text, /vow_decisions_total\{purpose="order.fulfilment",decision="allow"\} 1/);
    assert.match(text, /vow_analytics_events_total\{outcome="stored"\} 1/);
    m.countDecision('marketing.email', 'deny');
    m.countEvent('stored');
    text = await m.registry.metrics();
    assert.match(text, /vow_decisions_total\{purpose="marketing.email",decision="deny"\} 3/);
    assert.match(text, /vow_analytics_events_total\{outcome="stored"\} 2/);
    assert.match(text, /vow_analytics_events_total\{outcome="dropped_no_consent"\} 1/);
  });
});
