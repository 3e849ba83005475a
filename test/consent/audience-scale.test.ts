import assert from 'node:assert/strict';
import { it } from 'node:test';
import { enrolContestants } from '../helpers/audience.js';
import { describeEachDialect } from '../helpers/env.js';

// More people than one page (500): the export walks every page, in order, each person once.
describeEachDialect('a large audience', (env) => {
  it('streams every member across pages, each once, decrypting each address', async () => {
    const n = 1234;
    await enrolContestants(env(), n, 'p');
    const res = await env().app.inject({ method: 'GET', url: '/v1/audiences/email_marketing?format=csv' });
    assert.equal(res.statusCode, 200);
    const rows = res.body.trim().split('\r\n').slice(1);
    assert.equal(rows.length, n);
    const cells = (r: string) => r.split(',').map((c) => c.replace(/^"|"$/g, ''));
    const emails = new Set(rows.map((r) => cells(r)[1]));
    assert.equal(emails.size, n);
    assert.ok(emails.has('p0@example.com') && emails.has(`p${n - 1}@example.com`));
    const subjects = rows.map((r) => cells(r)[0]!);
    assert.deepEqual(
      subjects,
      [...subjects].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0)),
    );
  });
});
