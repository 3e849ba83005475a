// The Recipient tasks page as the privacy officer works it, over HTTP with real access control:
// the tasks a request's answer waits on come first however many opt-outs are older (the page shows
// 200, and a deletion's tasks opened after 200 opt-outs were not on it), the counts say how many
// are open and how many hold a request, the list filters by kind and recipient, and closing a task
// redirects (a reload does not post again) to the same filtered list.
import assert from 'node:assert/strict';
import { before, it } from 'node:test';
import { staffCaller } from '../helpers/auth.js';
import { describeEachDialect, testConfig } from '../helpers/env.js';

type StaffCaller = Awaited<ReturnType<typeof staffCaller>>;

describeEachDialect(
  'the Recipient tasks page',
  (env) => {
    let officer: StaffCaller;
    let requestId = '';
    let optOuts = 0;

    before(async () => {
      officer = await staffCaller(env(), ['privacy_officer']);
      const { tasks } = env().services.downstream;
      for (let i = 0; i < 70; i++)
        optOuts += (await tasks.open({ requestId: null, kind: 'opt_out', scope: 'all' })).tasks;
      env().clock.advance(60_000);
      requestId = (
        await env().services.rights.submit(
          { type: 'deletion', jurisdiction: 'eea', email: 'late.deletion@example.com' },
          { channel: 'web' },
        )
      ).requestId;
      const opened = await tasks.open({ requestId, kind: 'deletion', scope: 'all' });
      assert.ok(opened.blocking > 0);
    });

    const get = (url: string) =>
      env().app.inject({ method: 'GET', url, headers: { ...officer.headers, accept: 'text/html' } });
    const rows = (body: string) =>
      [...body.matchAll(/<tr data-task="[^"]+">([\s\S]*?)<\/tr>/g)].map((m) =>
        m[1]!
          .replace(/<form[\s\S]*<\/form>/, '')
          .replace(/<[^>]+>/g, ' ')
          .replace(/\s+/g, ' ')
          .trim(),
      );

    it("lists the tasks a request's answer waits on first, with the counts", async () => {
      assert.ok(optOuts > 200, `${optOuts} opt-out tasks, more than a page`);
      const page = await get('/staff/downstream');
      assert.equal(page.statusCode, 200);
      const shown = rows(page.body);
      assert.equal(shown.length, 200);
      assert.match(shown[0]!, /Deletion .* The request its answer waits for this/);
      assert.match(page.body, new RegExp(`href="/staff/requests/${requestId}"`));
      const total =
        /data-testid="task-counts"><strong>(\d+)<\/strong> open tasks; <strong[^>]*>(\d+)<\/strong> hold/.exec(
          page.body,
        );
      assert.ok(total, 'the counts');
      assert.ok(Number(total[1]) > 200 && Number(total[2]) > 0);
      assert.match(
        page.body,
        /Showing 200 of \d+ open tasks, those a request(&#39;|')s answer waits on first/,
      );
    });

    it('filters by kind and recipient, and closing a task keeps the filter', async () => {
      const deletions = await get('/staff/downstream?kind=deletion');
      const shown = rows(deletions.body);
      assert.ok(shown.length > 0 && shown.every((r) => r.includes('Deletion')), shown.join('\n'));
      const recipient = /<option value="([a-z_]+)">/.exec(
        deletions.body.slice(deletions.body.indexOf('id="t-recipient"')),
      )?.[1];
      assert.ok(recipient);
      const one = await get(`/staff/downstream?kind=deletion&recipient=${recipient}`);
      const taskId = /<tr data-task="([^"]+)">/.exec(one.body)?.[1];
      assert.ok(taskId, one.body);
      const closed = await env().app.inject({
        method: 'POST',
        url: '/staff/downstream/complete',
        headers: { cookie: officer.headers.cookie!, 'content-type': 'application/x-www-form-urlencoded' },
        payload: new URLSearchParams({
          _csrf: officer.writeHeaders['x-csrf-token']!,
          taskId,
          outcome: 'done',
          evidence: 'They confirmed by email on 6 December',
          kind: 'deletion',
          recipient,
        }).toString(),
      });
      assert.equal(closed.statusCode, 303, closed.body);
      assert.equal(
        closed.headers.location,
        `/staff/downstream?kind=deletion&recipient=${recipient}&closed=1`,
      );
      const after = await get(closed.headers.location as string);
      assert.match(after.body, /role="status">The task is closed\./);
      assert.doesNotMatch(after.body, new RegExp(`data-task="${taskId}"`));
      assert.equal((await get('/staff/downstream?kind=nonsense')).statusCode, 400);
    });
  },
  { auth: 'enforced', rateLimits: false, config: testConfig({ VOW_DOWNSTREAM_WAIT: 'all' }) },
);
