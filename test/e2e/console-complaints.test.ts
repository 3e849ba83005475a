// The complaints list as customer service works it, over HTTP with real access control: each reply
// deadline with the days left (or overdue, or answered), where the person lives, and the closed
// complaints one link away (they left the list for good once closed).
import assert from 'node:assert/strict';
import { before, it } from 'node:test';
import { staffCaller } from '../helpers/auth.js';
import { describeEachDialect } from '../helpers/env.js';

type StaffCaller = Awaited<ReturnType<typeof staffCaller>>;

describeEachDialect(
  'the complaints list',
  (env) => {
    let agent: StaffCaller;
    const ids: Record<string, string> = {};

    before(async () => {
      const { complaints } = env().services;
      env().clock.set('2026-03-02T09:00:00.000Z');
      const file = async (key: string, jurisdiction: 'eea' | 'us-ca') =>
        (ids[key] = (
          await complaints.submit(
            { jurisdiction, email: `${key}@example.com`, message: `About ${key}` },
            { channel: 'web' },
          )
        ).view.id);
      await file('waiting', 'us-ca');
      await file('closed', 'eea');
      await complaints.close(ids.closed!, 'setup');
      env().clock.set('2026-03-12T09:00:00.000Z');
      // Logged in now: a session lasts 12 hours.
      agent = await staffCaller(env(), ['customer_service']);
    });

    const list = (url: string) =>
      env().app.inject({ method: 'GET', url, headers: { ...agent.headers, accept: 'text/html' } });
    const row = (body: string, id: string) =>
      (new RegExp(`<tr data-complaint="${id}"[^>]*>([\\s\\S]*?)</tr>`).exec(body)?.[1] ?? '')
        .replace(/<[^>]+>/g, ' ')
        .replace(/\s+/g, ' ')
        .trim();

    it('shows the days left to each reply and where the person lives', async () => {
      const page = await list('/staff/complaints');
      assert.equal(page.statusCode, 200);
      const due = (await env().services.complaints.list()).find((c) => c.id === ids.waiting)!.replyDueOn;
      const days = Math.round((Date.parse(due) - Date.parse('2026-03-12')) / 86_400_000);
      assert.equal(
        row(page.body, ids.waiting!).split(' California')[0],
        `${due} (${days} days) 2026-03-02 by web`,
      );
      assert.doesNotMatch(
        page.body,
        new RegExp(ids.closed!),
        'a closed complaint is not in the default list',
      );
    });

    it('finds a closed complaint one link away', async () => {
      const page = await list('/staff/complaints');
      assert.match(
        page.body,
        /Closed complaints: <a href="\/staff\/complaints\?show=all">show them too<\/a>/,
      );
      const all = await list('/staff/complaints?show=all');
      assert.match(row(all.body, ids.closed!), /European Economic Area Closed/);
      assert.match(all.body, /<strong>2<\/strong> complaints/);
    });
  },
  { auth: 'enforced', rateLimits: false },
);
