// The dashboard's Incidents section says how long is left on the 72-hour clock that runs out first,
// linking to that breach: a privacy officer opening the console sees the deadline, not only a count
// (it said "1 open breach" and nothing of the time).
import assert from 'node:assert/strict';
import { it } from 'node:test';
import { staffCaller } from '../helpers/auth.js';
import { describeEachDialect } from '../helpers/env.js';

describeEachDialect(
  'the dashboard: the next incident deadline',
  (env) => {
    it('names the running clock that ends first, with its time left and a link', async () => {
      const officer = await staffCaller(env(), ['privacy_officer']);
      const record = (summary: string) =>
        env().services.incidents.record(
          {
            summary,
            dataCategories: ['identity.name'],
            subjectKinds: ['customer'],
            approxSubjects: 10,
            consequences: 'Letters could be sent in the shop’s name.',
            measures: 'The courier was changed.',
            authority: 'eea',
          },
          { staffId: officer.staffId, privacyOfficer: true },
        );
      const first = await record('A box of packing slips was lost on the way to the depot.');
      env().clock.advance(5 * 3_600_000);
      await record('A second box went missing five hours later.');
      // A fresh session each time: the clock moves past the idle limit.
      const dashboard = async () =>
        env().app.inject({
          method: 'GET',
          url: '/staff',
          headers: { ...(await staffCaller(env(), ['privacy_officer'])).headers, accept: 'text/html' },
        });
      const page = await dashboard();
      assert.equal(page.statusCode, 200);
      const next = /<p data-testid="dashboard-incident-next">([\s\S]*?)<\/p>/.exec(page.body)?.[1] ?? '';
      assert.match(next, /^Next 72-hour deadline: 2 days 19 hours left/, next);
      assert.match(next, new RegExp(`<a href="/staff/incidents/${first.id}">A box of packing slips`));
      // Past the first deadline: the overdue count says so, the next running clock is the second one.
      env().clock.advance(68 * 3_600_000);
      const later = await dashboard();
      assert.match(later.body, /<strong class="bad-text">1 overdue<\/strong>/);
      assert.match(
        /<p data-testid="dashboard-incident-next">([\s\S]*?)<\/p>/.exec(later.body)?.[1] ?? '',
        /^Next 72-hour deadline: 4 hours left .*A second box/,
      );
    });
  },
  { auth: 'enforced', rateLimits: false },
);
