// The US state breach deadlines remind the privacy officers and show on the console's dashboard: the
// hourly job (incidents.state_reminders) mails once when a notice comes within 7 days of its deadline
// and once when it passes unrecorded, never for a notice recorded, below its threshold or on a closed
// incident; the dashboard lists the notices due within 7 days and those overdue (in words, marked),
// each linking its incident, to the roles that read the register (privacy officer, customer service,
// auditor), not to marketing, and /metrics counts them (vow_state_breach_notices). Time moves by the
// injected clock; nothing sleeps.
import assert from 'node:assert/strict';
import { it } from 'node:test';
import { STATE_REMINDER_MAIL_KIND, STATE_REMINDERS_JOB } from '../../src/modules/incidents/index.js';
import type { OutgoingMessage } from '../../src/platform/mail/index.js';
import { callAs, serviceCaller, staffCaller } from '../helpers/auth.js';
import { describeEachDialect, type TestEnv, testConfig } from '../helpers/env.js';
import { EN, recordIncident } from '../helpers/incidents.js';
import { captureMail } from '../helpers/mail.js';

const DAY = 86_400_000;
const MINUTE = 60_000;
const HTML = { accept: 'text/html' };

/** A privacy officer logged in now: a session does not outlive the days the clock moves. */
const officer = (e: TestEnv) => staffCaller(e, ['privacy_officer']);

async function reminders(e: TestEnv, id: string) {
  return e.store.db
    .selectFrom('incident_state_reminders')
    .select(['state', 'kind', 'stage'])
    .where('incident_id', '=', id)
    .orderBy('state')
    .orderBy('kind')
    .orderBy('stage')
    .execute();
}

/** The reminder mails delivered since `from` (an index into the captured mail) that name incident `id`. */
async function mailsFor(e: TestEnv, sent: OutgoingMessage[], from: number, id: string) {
  await e.services.jobs.drain(50, ['mail.deliver']);
  return sent.slice(from).filter((m) => m.text.includes(`/staff/incidents/${id}`));
}

/** The console's dashboard as a privacy officer sees it. */
async function dashboard(e: TestEnv): Promise<string> {
  const who = await staffCaller(e, ['privacy_officer']);
  return (await e.app.inject({ url: '/staff', headers: { cookie: who.headers.cookie!, ...HTML } })).body;
}

describeEachDialect(
  'incidents: US state deadlines remind and show on the dashboard',
  (env) => {
    it('reminds once within 7 days of a deadline and once when it passes; a recorded notice gets none', async () => {
      const e = env();
      const sent = captureMail(e);
      const id = await recordIncident(e, await officer(e));
      // Colorado 600: residents 30 days, attorney general (500 or more) 30 days; Wisconsin 10: 45 days;
      // Texas 100: residents 60 days, its attorney general (250 or more) not required.
      const set = await callAs(e, await officer(e), 'PUT', `/v1/incidents/${id}/residents`, {
        residents: { 'us-co': 600, 'us-wi': 10, 'us-tx': 100 },
      });
      assert.equal(set.status, 200, JSON.stringify(set.body));

      let mark = sent.length;
      let run = await e.services.stateReminders.run();
      assert.deepEqual(await reminders(e, id), [], 'every deadline more than 7 days away: no reminder');
      assert.deepEqual(await mailsFor(e, sent, mark, id), []);

      // 23 days on: Colorado's two notices are due within 7 days.
      e.clock.advance(23 * DAY + MINUTE);
      mark = sent.length;
      run = await e.services.stateReminders.run();
      assert.ok(run.before >= 2, JSON.stringify(run));
      assert.deepEqual(await reminders(e, id), [
        { state: 'us-co', kind: 'regulator', stage: 'before' },
        { state: 'us-co', kind: 'residents', stage: 'before' },
      ]);
      const before = await mailsFor(e, sent, mark, id);
      assert.ok(before.length >= 1, 'the privacy officers are mailed');
      const mail = before[0]!;
      assert.match(mail.subject, /US state breach notices? due within 7 days/);
      assert.match(
        mail.text,
        /Colorado: notice to Colorado residents, due \d{4}-\d\d-\d\d \d\d:\d\d UTC, in 6 days 23 hours/,
      );
      assert.match(mail.text, /Colorado: notice to Attorney General/);
      assert.match(mail.text, /Colo\. Rev\. Stat\. § 6-1-716\(2\)\(a\)/);
      assert.doesNotMatch(mail.text, /Wisconsin|Texas/, 'the others are not near');
      assert.ok(!mail.text.includes(EN.whatHappened), 'no summary, no counts');
      assert.doesNotMatch(mail.text, /\b600\b/);

      // Once: a second run (or a second process) sends nothing more.
      mark = sent.length;
      await e.services.stateReminders.run();
      assert.equal((await reminders(e, id)).length, 2);
      assert.deepEqual(await mailsFor(e, sent, mark, id), []);

      // The residents are told and it is recorded; then the 30 days pass.
      const told = await callAs(e, await officer(e), 'POST', `/v1/incidents/${id}/state-notices`, {
        state: 'us-co',
        kind: 'residents',
        to: 'Letters by post',
      });
      assert.equal(told.status, 200, JSON.stringify(told.body));
      e.clock.advance(7 * DAY);
      mark = sent.length;
      await e.services.stateReminders.run();
      assert.deepEqual(await reminders(e, id), [
        { state: 'us-co', kind: 'regulator', stage: 'before' },
        { state: 'us-co', kind: 'regulator', stage: 'overdue' },
        { state: 'us-co', kind: 'residents', stage: 'before' },
      ]);
      const overdue = await mailsFor(e, sent, mark, id);
      assert.ok(overdue.length >= 1);
      assert.match(overdue[0]!.subject, /1 US state breach notice overdue/);
      assert.match(overdue[0]!.text, /Colorado: notice to Attorney General, OVERDUE by 1 minute/);
      assert.doesNotMatch(overdue[0]!.text, /Colorado residents/, 'the notice recorded is not reminded');

      // Wisconsin's 45 days: reminded 7 days before; Texas's attorney general (below 250) never.
      e.clock.advance(8 * DAY);
      await e.services.stateReminders.run();
      const rows = await reminders(e, id);
      assert.ok(rows.some((r) => r.state === 'us-wi' && r.stage === 'before'));
      assert.ok(!rows.some((r) => r.state === 'us-tx'));
      e.clock.advance(30 * DAY);
      await e.services.stateReminders.run();
      const later = await reminders(e, id);
      assert.ok(later.some((r) => r.state === 'us-tx' && r.kind === 'residents' && r.stage === 'overdue'));
      assert.ok(!later.some((r) => r.state === 'us-tx' && r.kind === 'regulator'), 'below its threshold');
    });

    it('a deadline counted from the residents’ notice moves when it is recorded, and the new one is reminded', async () => {
      const e = env();
      const id = await recordIncident(e, await officer(e));
      // California 600 (a breach known in 2026): residents 30 days; the attorney general 15 days after them.
      await callAs(e, await officer(e), 'PUT', `/v1/incidents/${id}/residents`, {
        residents: { 'us-ca': 600 },
      });
      e.clock.advance(2 * DAY);
      const told = await callAs(e, await officer(e), 'POST', `/v1/incidents/${id}/state-notices`, {
        state: 'us-ca',
        kind: 'residents',
        to: 'Letters by post',
      });
      assert.equal(told.status, 200, JSON.stringify(told.body));
      // The attorney general's copy is now due 15 days after the letters (day 17), not day 45.
      e.clock.advance(9 * DAY);
      await e.services.stateReminders.run();
      assert.deepEqual(await reminders(e, id), [{ state: 'us-ca', kind: 'regulator', stage: 'before' }]);
    });

    it('a closed incident is not reminded', async () => {
      const e = env();
      const id = await recordIncident(e, await officer(e));
      await callAs(e, await officer(e), 'PUT', `/v1/incidents/${id}/residents`, {
        residents: { 'us-wa': 3 },
      });
      const decided = await callAs(e, await officer(e), 'POST', `/v1/incidents/${id}/risk`, {
        level: 'none',
        reason: 'Encrypted, the key is safe.',
      });
      assert.equal(decided.status, 200, JSON.stringify(decided.body));
      const closed = await callAs(e, await officer(e), 'POST', `/v1/incidents/${id}/close`, {});
      assert.equal(closed.status, 200, JSON.stringify(closed.body));
      e.clock.advance(40 * DAY);
      await e.services.stateReminders.run();
      assert.deepEqual(await reminders(e, id), []);
    });

    it('runs as the hourly job: scheduled once an hour however often, each run queueing the next', async () => {
      const e = env();
      const id = await recordIncident(e, await officer(e));
      await callAs(e, await officer(e), 'PUT', `/v1/incidents/${id}/residents`, {
        residents: { 'us-fl': 7 },
      });
      e.clock.advance(24 * DAY);
      await e.store.db.deleteFrom('jobs').where('name', '=', STATE_REMINDERS_JOB).execute();
      await e.services.stateReminders.schedule();
      await e.services.stateReminders.schedule();
      const queued = () =>
        e.store.db.selectFrom('jobs').select(['run_at']).where('name', '=', STATE_REMINDERS_JOB).execute();
      assert.equal((await queued()).length, 1);
      await e.services.jobs.drain(10, [STATE_REMINDERS_JOB]);
      assert.deepEqual(await reminders(e, id), [{ state: 'us-fl', kind: 'residents', stage: 'before' }]);
      assert.equal((await queued()).length, 2, 'the run queued the next hour’s');
      const outbox = await e.store.db
        .selectFrom('mail_outbox')
        .select('kind')
        .where('kind', '=', STATE_REMINDER_MAIL_KIND)
        .execute();
      assert.ok(outbox.length >= 1);
    });

    it('the dashboard lists the notices due within 7 days and the overdue ones, to the roles of the register', async () => {
      const e = env();
      const id = await recordIncident(e, await officer(e));
      await callAs(e, await officer(e), 'PUT', `/v1/incidents/${id}/residents`, {
        residents: { 'us-de': 501, 'us-md': 20, 'us-tn': 4 },
      });
      // Logged in at the time of reading (a session does not outlive the days the clock moves).
      const page = async (roles: string[]) => {
        const who = await staffCaller(e, roles);
        return (await e.app.inject({ url: '/staff', headers: { cookie: who.headers.cookie!, ...HTML } }))
          .body;
      };
      const row = (body: string, state: string, kind: string) =>
        new RegExp(`<tr[^>]*data-state="${state}" data-kind="${kind}"[^>]*>.*?</tr>`).exec(body)?.[0];

      // Day 40: Maryland (45 days) and its attorney general (before the residents) within 7 days;
      // Tennessee's 45 days too; Delaware's 60 days not yet.
      e.clock.advance(40 * DAY);
      let body = await page(['privacy_officer']);
      const md = row(body, 'us-md', 'residents');
      assert.ok(md, body.slice(0, 300));
      assert.match(md, /5 days left/);
      assert.match(md, new RegExp(`href="/staff/incidents/${id}"`));
      const mdAg = row(body, 'us-md', 'regulator') ?? '';
      assert.match(mdAg, /Office of the Attorney General/);
      assert.match(mdAg, /\(estimated\)/, 'before the residents: estimated from their deadline');
      assert.ok(row(body, 'us-tn', 'residents'));
      assert.equal(row(body, 'us-de', 'residents'), undefined, 'Delaware: 20 days left');

      // Day 46: Maryland and Tennessee overdue, marked and said in words; Delaware's still 14 days off.
      e.clock.advance(6 * DAY);
      body = await page(['privacy_officer']);
      assert.match(body, /data-testid="dashboard-state-notices"/);
      assert.match(
        row(body, 'us-md', 'residents') ?? '',
        /class="overdue".*<strong class="bad-text">Overdue<\/strong> by 1 day/,
      );
      assert.match(
        body,
        /<strong class="bad-text">\d+ overdue<\/strong>: past the state's deadline and not recorded/,
      );

      // /metrics counts them as it counts the 72-hour clock: at least Maryland's two and Tennessee's.
      const metrics = (await e.app.inject({ url: '/metrics', headers: (await serviceCaller(e)).headers }))
        .body;
      const overdueCount = Number(/^vow_state_breach_notices\{status="overdue"\} (\d+)$/m.exec(metrics)?.[1]);
      assert.ok(overdueCount >= 3, metrics.slice(0, 200));
      assert.match(metrics, /^vow_state_breach_notices\{status="soon"\} \d+$/m);

      for (const role of ['customer_service', 'auditor']) {
        const read = await page([role]);
        assert.match(read, new RegExp(`Your roles: ${role.replace('_', ' ')}\\.`));
        assert.ok(row(read, 'us-md', 'residents'), 'customer service and the auditor read the register');
      }
      const other = await page(['marketing']);
      assert.match(other, /Your roles: marketing/);
      assert.doesNotMatch(other, /dashboard-state-notices/, 'marketing does not read the register');

      // Recorded: it leaves the dashboard.
      await callAs(e, await officer(e), 'POST', `/v1/incidents/${id}/state-notices`, {
        state: 'us-md',
        kind: 'residents',
        to: 'Letters by post',
      });
      body = await page(['privacy_officer']);
      assert.equal(row(body, 'us-md', 'residents'), undefined);
    });
  },
  { auth: 'enforced' },
);

describeEachDialect(
  'incidents: US state deadlines remind as many days before as VOW_BREACH_REMINDER_DAYS says',
  (env) => {
    it('reminds 14 days before, and /metrics counts the notice as due soon from then', async () => {
      const e = env();
      const sent = captureMail(e);
      const id = await recordIncident(e, await officer(e));
      // Wisconsin 10: residents, 45 days.
      const set = await callAs(e, await officer(e), 'PUT', `/v1/incidents/${id}/residents`, {
        residents: { 'us-wi': 10 },
      });
      assert.equal(set.status, 200, JSON.stringify(set.body));
      const soon = async () => {
        const metrics = (await e.app.inject({ url: '/metrics', headers: (await serviceCaller(e)).headers }))
          .body;
        return Number(/^vow_state_breach_notices\{status="soon"\} (\d+)$/m.exec(metrics)?.[1]);
      };
      // Day 30: 15 days left, more than 14: nothing yet (with the default 7, nothing until day 38).
      e.clock.advance(30 * DAY);
      await e.services.stateReminders.run();
      assert.deepEqual(await reminders(e, id), []);
      assert.equal(await soon(), 0);
      // A minute past day 31: 13 days 23 hours left.
      e.clock.advance(DAY + MINUTE);
      const mark = sent.length;
      await e.services.stateReminders.run();
      assert.deepEqual(await reminders(e, id), [{ state: 'us-wi', kind: 'residents', stage: 'before' }]);
      const [mail] = await mailsFor(e, sent, mark, id);
      assert.ok(mail, 'the privacy officers are mailed');
      assert.match(mail.subject, /1 US state breach notice due within 14 days/);
      assert.match(mail.text, /comes due within 14 days/);
      assert.match(mail.text, /Wisconsin: notice to Wisconsin residents, due .*, in 13 days 23 hours/);
      assert.equal(await soon(), 1);
      assert.match(await dashboard(e), /<strong>1<\/strong> notice due within 14 days/);
    });
  },
  { auth: 'enforced', config: testConfig({ VOW_BREACH_REMINDER_DAYS: '14' }) },
);

describeEachDialect(
  'incidents: US state deadlines reminded one day before (VOW_BREACH_REMINDER_DAYS=1)',
  (env) => {
    it('says "within 1 day" in the mail and on the dashboard', async () => {
      const e = env();
      const sent = captureMail(e);
      const id = await recordIncident(e, await officer(e));
      await callAs(e, await officer(e), 'PUT', `/v1/incidents/${id}/residents`, {
        residents: { 'us-wi': 10 },
      });
      e.clock.advance(43 * DAY);
      await e.services.stateReminders.run();
      assert.deepEqual(await reminders(e, id), [], 'two days left');
      e.clock.advance(DAY + MINUTE);
      const mark = sent.length;
      await e.services.stateReminders.run();
      const [mail] = await mailsFor(e, sent, mark, id);
      assert.match(mail?.subject ?? '', /1 US state breach notice due within 1 day$/);
      assert.match(await dashboard(e), /<strong>1<\/strong> notice due within 1 day\./);
    });
  },
  { auth: 'enforced', config: testConfig({ VOW_BREACH_REMINDER_DAYS: '1' }) },
);
