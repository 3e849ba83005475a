// Console pages given an address they cannot use answer with themselves, the value marked where it
// belongs, never a generic page and never silently: the reports page with a report, week or
// recipient it does not know (400, nothing released: a release for a guess would spend a
// recipient's privacy budget), and the Recipient tasks page asked for the drafted email of a task
// that has none (404, the notice where the draft would be, the list and its filters kept).
import assert from 'node:assert/strict';
import { before, it } from 'node:test';
import { consolePageAs } from '../helpers/console-pages.js';
import { describeEachDialect } from '../helpers/env.js';

/** The select or input with this id, marked invalid, and the text of what its aria-describedby names. */
function invalidField(main: string, id: string): { field: string; reason: string } {
  const field = new RegExp(`<(?:select|input)[^>]* id="${id}"[^>]*>`).exec(main)?.[0] ?? '';
  assert.match(field, /aria-invalid="true"/, `${id} is marked invalid`);
  const described = /aria-describedby="([^"]+)"/.exec(field)?.[1] ?? '';
  const reason = new RegExp(`<[^>]+ id="${described}"[^>]*>([\\s\\S]*?)</(?:span|p)>`).exec(main)?.[1] ?? '';
  assert.ok(described && reason, `${id}'s reason is tied to it`);
  return { field, reason };
}

describeEachDialect(
  'console pages refuse an address they cannot use, in place',
  (env) => {
    const get = (url: string, roles: string[]) => consolePageAs(env(), url, roles);
    /** How many times the page asked for a report (each may release one and spend budget). */
    let asked = 0;
    before(() => {
      const reports = env().services.reports;
      const report = reports.report.bind(reports);
      reports.report = (...args: Parameters<typeof report>) => {
        asked++;
        return report(...args);
      };
    });

    it('the reports page shows a report it does not know at its field, and releases nothing', async () => {
      const before = asked;
      const { status, main } = await get('/staff/reports?report=bogus&week=2026-W02&recipient=internal', [
        'marketing',
      ]);
      assert.equal(status, 400);
      assert.doesNotMatch(main, /<h1>Check the address<\/h1>/);
      assert.match(main, /<h1>Aggregate reports<\/h1>/);
      const { field, reason } = invalidField(main, 'r-report');
      assert.match(field, / required/, 'the browser asks for a choice before sending it again');
      assert.match(reason, /Not applied: <bdi>bogus<\/bdi>/);
      assert.match(main, /<option value="" selected>bogus: not valid<\/option>/);
      assert.match(
        main,
        /<li data-name="report"><code>report<\/code> <code><bdi>bogus<\/bdi><\/code>: it takes one of visitors_by_area, registrations_by_gender/,
      );
      assert.match(main, /role="alert"[^>]*data-code="VOW_VALIDATION" data-status="400"/);
      assert.match(main, /no report was released or fetched/);
      // The rest of the address is kept: the week, the recipient, and the link without the report.
      assert.match(main, /<input id="r-week" name="week" value="2026-W02"/);
      assert.match(main, /<option value="internal" selected>internal<\/option>/);
      assert.match(
        main,
        /<a href="\/staff\/reports\?week=2026-W02&amp;recipient=internal" data-testid="address-without">/,
      );
      assert.doesNotMatch(main, /data-testid="report-cells"|data-testid="report-error"/);
      assert.equal(asked, before, 'no release, no budget spent');
    });

    it('a recipient the page does not offer is refused at its field, not shown as the first choice', async () => {
      const { status, main } = await get('/staff/reports?recipient=nobody-we-know&week=2026-W02', [
        'marketing',
      ]);
      assert.equal(status, 400);
      assert.match(invalidField(main, 'r-recipient').reason, /<bdi>nobody-we-know<\/bdi>/);
      assert.match(main, /<option value="" selected>nobody-we-know: not valid<\/option>/);
      assert.doesNotMatch(main, /<option value="internal" selected>/);
      assert.match(main, /<li data-name="recipient"><code>recipient<\/code> .*: it takes one of internal/);
      assert.doesNotMatch(main, /data-testid="report-error"/);
      assert.equal(asked, 0, 'nothing asked of the reports');
    });

    it('a week too long for the address, or one the release refuses, is marked at the week field', async () => {
      const long = await get(`/staff/reports?week=${'9'.repeat(17)}`, ['marketing']);
      assert.equal(long.status, 400);
      assert.match(invalidField(long.main, 'r-week').field, new RegExp(`value="${'9'.repeat(17)}"`));
      const garbage = await get('/staff/reports?week=garbage', ['marketing']);
      assert.equal(garbage.status, 400);
      assert.match(invalidField(garbage.main, 'r-week').reason, /must be an ISO week/);
      // A good address is not marked.
      const fine = await get('/staff/reports', ['marketing']);
      assert.equal(fine.status, 200);
      assert.doesNotMatch(fine.main, /aria-invalid/);
    });

    it('a role without the reports page is refused before the address is read', async () => {
      const { status, main } = await get('/staff/reports?report=bogus', ['customer_service']);
      assert.equal(status, 403);
      assert.doesNotMatch(main, /id="r-report"/);
    });

    describeDrafts();

    function describeDrafts() {
      let emailTask = '';
      let webhookTask = '';
      before(async () => {
        const { tasks, webhooks } = env().services.downstream;
        const recipients = Object.keys(env().ctx.policy.doc.recipients);
        // One recipient reached by webhook, the others by a drafted email.
        const hooked = recipients[0]!;
        await webhooks.create(
          { url: 'https://crm.shop.test/hooks', events: ['deletion.requested'], recipient: hooked },
          null,
        );
        const requestId = (
          await env().services.rights.submit(
            { type: 'deletion', jurisdiction: 'eea', email: 'drafts@example.com' },
            { channel: 'web' },
          )
        ).requestId;
        await tasks.open({ requestId, kind: 'deletion', scope: 'all' });
        const open = await tasks.forRequest(requestId);
        webhookTask = open.find((t) => t.method === 'webhook')?.id ?? '';
        emailTask = open.find((t) => t.method === 'email')?.id ?? '';
        assert.ok(webhookTask && emailTask, JSON.stringify(open.map((t) => [t.recipient, t.method])));
      });

      it('the tasks page answers an unknown draft id with a notice where the draft would be (404)', async () => {
        const { status, main } = await get('/staff/downstream?kind=deletion&draft=no-such-task', [
          'privacy_officer',
        ]);
        assert.equal(status, 404);
        assert.match(main, /<h1>Recipient tasks<\/h1>/);
        const notice = /<section[^>]* id="draft">[\s\S]*?<\/section>/.exec(main)?.[0] ?? '';
        assert.match(notice, /data-testid="draft-error" data-status="404" data-missing="unknown"/);
        assert.match(notice, /task <code><bdi>no-such-task<\/bdi><\/code>\. No task has this id/);
        // The list stays, filtered as asked; the notice closes to the same filtered list.
        assert.match(main, /data-testid="downstream-tasks"/);
        assert.match(main, /<option value="deletion" selected>/);
        assert.match(notice, /<a href="\/staff\/downstream\?kind=deletion" data-testid="draft-back">/);
      });

      it("a webhook task's draft says why there is none; an email task's draft is shown", async () => {
        const hook = await get(`/staff/downstream?draft=${webhookTask}`, ['privacy_officer']);
        assert.equal(hook.status, 404);
        assert.match(hook.main, /data-missing="webhook"/);
        assert.match(hook.main, /passed on by webhook/);
        const mail = await get(`/staff/downstream?draft=${emailTask}`, ['privacy_officer']);
        assert.equal(mail.status, 200);
        assert.match(
          mail.main,
          /<section aria-label="Drafted email" id="draft"><h2>Drafted email<\/h2><p>To: /,
        );
        assert.doesNotMatch(mail.main, /data-testid="draft-error"/);
      });
    }
  },
  { auth: 'enforced', rateLimits: false },
);
