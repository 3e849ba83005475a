// "Who is affected" (GDPR Art. 33(3)(a)): the people and records Vow holds with data of the incident's
// categories, collected in a time window (to the time it became known by default), counted through the
// subjects module; counts only, never an id or a value.
import assert from 'node:assert/strict';
import { it } from 'node:test';
import { orderBody, post } from '../collection/fixtures.js';
import { describeEachDialect } from '../helpers/env.js';

const HOUR = 3_600_000;

describeEachDialect('incidents: who is affected', (env) => {
  it('counts the people with data of the categories in the window, by default up to when the breach became known', async () => {
    const e = env();
    const t0 = e.clock.now().getTime();
    for (const n of ['aff-1', 'aff-2'])
      assert.equal((await post(e, '/v1/orders', orderBody(n))).statusCode, 201);
    e.clock.advance(HOUR);
    assert.equal((await post(e, '/v1/orders', orderBody('aff-3'))).statusCode, 201);
    const aware = new Date(t0 + HOUR / 2).toISOString();
    const inc = (
      await e.app.inject({
        method: 'POST',
        url: '/v1/incidents',
        payload: {
          summary: 'The address export of the first half hour leaked.',
          dataCategories: ['contact.postal_address'],
          subjectKinds: ['customer'],
          awareAt: aware,
        },
      })
    ).json();
    const count = async (qs = '') => e.app.inject({ url: `/v1/incidents/${inc.id}/affected${qs}` });
    const before = (await count()).json();
    assert.equal(before.people, 2);
    assert.ok(before.records >= 2);
    assert.equal(before.to, aware);
    assert.deepEqual(before.categories, ['contact.postal_address']);
    const now = e.clock.now().toISOString();
    assert.equal((await count(`?to=${now}`)).json().people, 3);
    assert.equal((await count(`?from=${aware}&to=${now}`)).json().people, 1);
    const text = JSON.stringify((await count(`?to=${now}`)).json());
    assert.ok(!/example\.com|Buyer/.test(text), 'counts only');

    const wrong = await count(`?from=${now}&to=${aware}`);
    assert.equal(wrong.statusCode, 400);
    assert.equal(wrong.json().error.code, 'VOW_INCIDENT_INVALID');

    const page = await e.app.inject({
      url: `/staff/incidents/${inc.id}?count=1&to=${encodeURIComponent(now.slice(0, 16))}`,
      headers: { accept: 'text/html' },
    });
    assert.match(page.body, /data-testid="affected-count"><strong>3<\/strong> people/);
  });
});
