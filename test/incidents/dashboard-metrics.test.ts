// An incident past its 72 hours without a notification or a documented decision shows on the console's
// dashboard (in words) and in /metrics as vow_open_incidents{clock="overdue"}; a decision of no risk
// settles it. Time moves by the injected clock.
import assert from 'node:assert/strict';
import { it } from 'node:test';
import { describeEachDialect, type TestEnv } from '../helpers/env.js';

const HOUR = 3_600_000;

async function gauge(e: TestEnv, clock: string): Promise<number> {
  const text = (await e.app.inject({ method: 'GET', url: '/metrics' })).body;
  const m = new RegExp(`^vow_open_incidents\\{clock="${clock}"\\} (\\d+)$`, 'm').exec(text);
  return m ? Number(m[1]) : Number.NaN;
}

describeEachDialect('incidents on the dashboard and in /metrics', (env) => {
  it('counts an incident running, then overdue past 72 hours, then settled by a decision of no risk', async () => {
    const e = env();
    const r = await e.app.inject({
      method: 'POST',
      url: '/v1/incidents',
      payload: {
        summary: 'A backup tape went missing.',
        dataCategories: ['commerce.order_history'],
        subjectKinds: ['customer'],
      },
    });
    const id = r.json().id as string;
    assert.equal(await gauge(e, 'running'), 1);
    assert.equal(await gauge(e, 'overdue'), 0);
    let dash = await e.app.inject({ url: '/staff', headers: { accept: 'text/html' } });
    assert.match(dash.body, /data-testid="dashboard-incidents"/);
    assert.doesNotMatch(dash.body, /\d+ overdue<\/strong>: past 72 hours/);

    e.clock.advance(72 * HOUR + 60_000);
    assert.equal(await gauge(e, 'overdue'), 1);
    assert.equal(await gauge(e, 'running'), 0);
    dash = await e.app.inject({ url: '/staff', headers: { accept: 'text/html' } });
    assert.match(
      dash.body,
      /<strong class="bad-text">1 overdue<\/strong>: past 72 hours with neither a notification/,
    );

    await e.app.inject({
      method: 'POST',
      url: `/v1/incidents/${id}/risk`,
      payload: { level: 'none', reason: 'The tape was encrypted; the key is safe.' },
    });
    assert.equal(await gauge(e, 'overdue'), 0);
    assert.equal(await gauge(e, 'settled'), 1);
  });
});
