// The monitor as a whole: every promise of the policy checked on live data (only P18 proven by tests),
// each run kept as history, the results over HTTP.
import assert from 'node:assert/strict';
import { it } from 'node:test';
import { describeEachDialect } from '../helpers/env.js';
import { buyer, check } from './support.js';

describeEachDialect('promise monitor', (env) => {
  it('checks 25 of the 26 promises on live data, and names what it checked for each; a clean store keeps them', async () => {
    const results = (await check(env())).results;
    assert.equal(results.length, 26);
    assert.deepEqual(
      results.filter((r) => r.status === 'broken'),
      [],
    );
    const tests = results.filter((r) => r.status === 'not_checkable');
    assert.deepEqual(
      tests.map((r) => r.promise),
      ['P18'],
    );
    assert.ok((tests[0]!.provenBy ?? []).length > 0);
    for (const r of results.filter((x) => x.status === 'kept'))
      assert.ok(r.evidence.note.length > 20, r.promise);
  });

  it('keeps each run as history, full or incremental, with how long it took', async () => {
    const monitor = env().services.promises.monitor;
    await monitor.run('full');
    await monitor.run('incremental');
    const [last, before] = await monitor.history(2);
    assert.equal(last?.mode, 'incremental');
    assert.equal(before?.mode, 'full');
    assert.ok(typeof last?.durationMs === 'number');
    assert.equal((await monitor.latest())?.results.length, 26);
  });

  it('POST /v1/promises/check runs a full check and sets the gauge; GET /v1/promises reads the latest without running', async () => {
    await buyer(env());
    const res = await env().app.inject({ method: 'POST', url: '/v1/promises/check' });
    assert.equal(res.statusCode, 200, res.body);
    const body = res.json() as {
      mode: string;
      results: { promise: string; status: string; evidence: { byRule: object } }[];
    };
    assert.equal(body.mode, 'full');
    assert.equal(body.results.length, 26);
    const metrics = await env().app.inject({ method: 'GET', url: '/metrics' });
    assert.match(metrics.body, /vow_promise_kept\{promise="P13"\} 1/);
    const latest = await env().app.inject({ method: 'GET', url: '/v1/promises' });
    assert.equal(latest.statusCode, 200);
    assert.equal((latest.json() as { results: unknown[] }).results.length, 26);
    const incremental = await env().app.inject({
      method: 'POST',
      url: '/v1/promises/check?mode=incremental',
    });
    assert.equal((incremental.json() as { mode: string }).mode, 'incremental');
  });
});
