// The audit trail narrowed as an auditor reads it, over HTTP with real access control: thousands
// of consent entries buried the few staff actions 50 to a page; the page now narrows to one family
// of actions and one staff member, newest first, paged by "Older entries", and says what it shows.
import assert from 'node:assert/strict';
import { before, it } from 'node:test';
import { staffCaller } from '../helpers/auth.js';
import { describeEachDialect } from '../helpers/env.js';

type StaffCaller = Awaited<ReturnType<typeof staffCaller>>;

describeEachDialect(
  'the audit trail, narrowed',
  (env) => {
    let auditor: StaffCaller;
    let agent: StaffCaller;

    before(async () => {
      [auditor, agent] = await Promise.all([
        staffCaller(env(), ['auditor']),
        staffCaller(env(), ['customer_service']),
      ]);
      const { audit } = env().ctx;
      for (let i = 0; i < 60; i++)
        await audit.record({
          actor: { type: 'system' },
          action: 'consent.changed',
          target: { type: 'subject', id: `s-${i}` },
        });
      for (let i = 0; i < 55; i++)
        await audit.record({
          actor: { type: 'staff', id: agent.staffId },
          action: 'request.viewed',
          target: { type: 'request', id: `r-${i}` },
        });
      for (let i = 0; i < 40; i++)
        await audit.record({
          actor: { type: 'system' },
          action: 'consent.changed',
          target: { type: 'subject', id: `t-${i}` },
        });
    });

    const get = (url: string) =>
      env().app.inject({ method: 'GET', url, headers: { ...auditor.headers, accept: 'text/html' } });
    const actions = (body: string) =>
      [...body.matchAll(/<td data-label="Action">[^<]*<span class="small">([^<]+)<\/span>/g)].map(
        (m) => m[1],
      );

    it('narrows to one family of actions by one staff member, newest first, 50 a page', async () => {
      const all = await get('/staff/audit');
      assert.ok(actions(all.body).filter((a) => a === 'request.viewed').length < 50, 'buried under consent');
      const page = await get(`/staff/audit?kind=request&who=${agent.username}`);
      assert.equal(page.statusCode, 200);
      assert.deepEqual(new Set(actions(page.body)), new Set(['request.viewed']));
      assert.equal(actions(page.body).length, 50);
      assert.match(page.body, new RegExp(`<caption>Privacy requests by ${agent.username}: 50 entries`));
      assert.match(page.body, /<option value="request" selected>Privacy requests<\/option>/);
      const older = /<a href="\/staff\/audit\?([^"]+)">Older entries<\/a>/.exec(page.body)?.[1];
      assert.ok(older, 'a link to the older entries');
      const rest = await get(`/staff/audit?${older.replaceAll('&amp;', '&')}`);
      assert.equal(actions(rest.body).length, 5, 'the 55th to 51st newest');
      assert.doesNotMatch(rest.body, />Older entries</);
    });

    it('shows nothing for a user name nobody has, and refuses an unknown family', async () => {
      const page = await get('/staff/audit?who=nobody-at-all');
      assert.equal(actions(page.body).length, 0);
      assert.match(page.body, /Everything by nobody-at-all: 0 entries/);
      assert.equal((await get('/staff/audit?kind=nonsense')).statusCode, 400);
    });
  },
  { auth: 'enforced', rateLimits: false },
);
