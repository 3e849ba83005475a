// The incidents list opened with a `show` it does not take (a hand-edited /staff/incidents?show=bogus)
// answers the list itself, still 400, as the other console lists do (filter-refusal.ts): the open
// incidents, an alert naming the parameter and its value, links to the list without it. Marketing,
// which may not read the register, is refused as before.
import assert from 'node:assert/strict';
import { it } from 'node:test';
import { consolePageAs } from '../helpers/console-pages.js';
import { describeEachDialect } from '../helpers/env.js';

describeEachDialect(
  'incidents: the list with a refused filter',
  (env) => {
    const get = (url: string, roles: string[]) => consolePageAs(env(), url, roles);

    it('shows the open incidents with the refused `show` named, not the "Check the address" page', async () => {
      for (const roles of [['privacy_officer'], ['customer_service'], ['auditor']]) {
        const { status, main } = await get('/staff/incidents?show=bogus', roles);
        assert.equal(status, 400, roles[0]);
        assert.doesNotMatch(main, /<h1>Check the address<\/h1>/);
        assert.match(main, /<h1>Incidents<\/h1>/);
        assert.match(main, /data-testid="incident-count"><strong>\d+<\/strong> open incident/);
        assert.match(main, /role="alert"[^>]*data-code="VOW_VALIDATION" data-status="400"/);
        assert.match(
          main,
          /<li data-name="show"><code>show<\/code> <code><bdi>bogus<\/bdi><\/code>: it takes one of open, all/,
        );
        assert.match(main, /<a href="\/staff\/incidents" data-testid="address-without">/);
      }
      // The form to record one is still there for those who may.
      assert.match(
        (await get('/staff/incidents?show=bogus', ['customer_service'])).main,
        /Record the incident/,
      );
      assert.equal((await get('/staff/incidents?show=all', ['auditor'])).status, 200);
    });

    it('a role that may not read the register is refused, not shown the list', async () => {
      const { status, main } = await get('/staff/incidents?show=bogus', ['marketing']);
      assert.equal(status, 403, main.slice(0, 3000));
      assert.doesNotMatch(main, /data-testid="incident-count"/);
    });
  },
  { auth: 'enforced', rateLimits: false },
);
