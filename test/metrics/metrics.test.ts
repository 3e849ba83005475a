import assert from 'node:assert/strict';
import { it } from 'node:test';
import { describeEachDialect } from '../helpers/env.js';

describeEachDialect('metrics', (env) => {
  it('counts requests by route pattern and decisions by outcome, never concrete ids', async () => {
    const { app } = env();
    await app.inject({ method: 'GET', url: '/healthz' });
    await app.inject({
      method: 'POST',
      url: '/v1/decisions',
      payload: {
        subject: { kind: 'gift_recipient' },
        purpose: 'marketing.email',
        categories: ['contact.email'],
      },
    });
    await app.inject({ method: 'GET', url: '/v1/no-such/abc123' });
    const res = await app.inject({ method: 'GET', url: '/metrics' });
    assert.equal(res.statusCode, 200);
    assert.match(res.body, /vow_http_requests_total\{method="GET",route="\/healthz",status="200"\} 1/);
    assert.match(res.body, /vow_decisions_total\{purpose="marketing.email",decision="deny"\} 1/);
    assert.doesNotMatch(res.body, /abc123/);
    // A request that matched no route is counted under no pattern at all.
    assert.match(res.body, /vow_http_requests_total\{method="GET",route="\(unmatched\)",status="404"\} 1/);
  });

  it('counts a streamed answer once it has been sent, with the time it took', async () => {
    const { app } = env();
    const streamed = await app.inject({ method: 'GET', url: '/v1/audiences/email_marketing' });
    assert.equal(streamed.statusCode, 200);
    const res = await app.inject({ method: 'GET', url: '/metrics' });
    const series = 'method="GET",route="/v1/audiences/:channel",status="200"';
    assert.ok(res.body.includes(`vow_http_requests_total{${series}} 1`), res.body);
    assert.ok(res.body.includes('vow_http_request_duration_seconds_count{route="/v1/audiences/:channel"} 1'));
  });
});
