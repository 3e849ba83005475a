// When a promise breaks: an error log line per broken promise (ids and counts only), a mail to the
// privacy officers when it becomes broken, an event for listeners, the gauge at 0; a promise kept
// again is logged and sent as an event.
import assert from 'node:assert/strict';
import { Writable } from 'node:stream';
import { it } from 'node:test';
import { sql } from 'kysely';
import pino from 'pino';
import { PromiseAlerts, type PromiseEvent } from '../../src/modules/promises/index.js';
import type { MailMessage } from '../../src/platform/mail/index.js';
import { describeEachDialect, testConfig } from '../helpers/env.js';
import { buyer, check, unsubscribe } from './support.js';

function capture() {
  const lines: Record<string, unknown>[] = [];
  const stream = new Writable({
    write(chunk, _enc, done) {
      for (const l of String(chunk).split('\n'))
        if (l.trim()) lines.push(JSON.parse(l) as Record<string, unknown>);
      done();
    },
  });
  return { lines, logger: pino({ level: 'info' }, stream) };
}

describeEachDialect(
  'promise monitor: alerts',
  (env) => {
    it('a promise broken is logged, mailed to the officers once, sent as an event; kept again, logged and sent', async () => {
      const e = env();
      const { subjectId } = await buyer(e);
      await unsubscribe(e, subjectId);
      await check(e);
      const log = capture();
      const mails: MailMessage[] = [];
      const events: PromiseEvent[] = [];
      const alerts = new PromiseAlerts({
        logger: log.logger,
        mail: async (m) => void mails.push(m),
        officers: () => ['dpo@shop.example', 'privacy@shop.example'],
        consoleUrl: 'https://vow.shop.example/staff',
        listeners: [async (ev) => void events.push(ev)],
      });
      await sql`update consent_state set state = 'enrolled' where subject_ref = ${subjectId}`.execute(
        e.store.db,
      );
      const broken = await check(e);
      await alerts.notify(broken);
      const line = log.lines.find((l) => l.msg === 'promise broken' && l.promise === 'P11');
      assert.ok(line, 'an error line for P11');
      assert.equal(line.level, 50);
      assert.deepEqual(line.tables, ['consent_state']);
      assert.deepEqual(
        mails.map((m) => m.to),
        ['dpo@shop.example', 'privacy@shop.example'],
      );
      assert.match(mails[0]!.subject, /P11/);
      assert.match(mails[0]!.text, /consent\.state_equals_fold ×1/);
      assert.match(mails[0]!.text, /https:\/\/vow\.shop\.example\/staff/);
      assert.doesNotMatch(mails[0]!.text, new RegExp(subjectId), 'no id of the person in the mail either');
      assert.deepEqual(
        events.map((ev) => [ev.type, ev.promise]),
        [['promise.broken', 'P11']],
      );
      // Still broken: logged again, not mailed again.
      await alerts.notify(await check(e));
      assert.equal(mails.length, 2);
      await sql`update consent_state set state = 'withdrawn' where subject_ref = ${subjectId}`.execute(
        e.store.db,
      );
      await alerts.notify(await check(e));
      assert.ok(log.lines.some((l) => l.msg === 'promise kept again' && l.promise === 'P11'));
      assert.deepEqual(events.at(-1)?.type, 'promise.kept');
      assert.doesNotMatch(JSON.stringify(log.lines), /@example\.com/);
    });

    it('the checks as a service: the mail goes to the outbox for the configured officers, the gauge reads 0', async () => {
      const e = env();
      const { subjectId } = await buyer(e);
      await e.services.promises.checks.run('full');
      await sql`update consent_state set state = 'granted' where subject_ref = ${subjectId}`.execute(
        e.store.db,
      );
      const summary = await e.services.promises.checks.run('full');
      assert.ok(summary.newlyBroken.includes('P11'));
      const queued = await e.store.db
        .selectFrom('mail_outbox')
        .selectAll()
        .where('kind', '=', 'promises.broken')
        .execute();
      assert.equal(queued.length, 1, 'one mail per officer (one configured)');
      const metrics = await e.app.inject({ method: 'GET', url: '/metrics' });
      assert.match(metrics.body, /vow_promise_kept\{promise="P11"\} 0/);
      await sql`update consent_state set state = 'withdrawn' where subject_ref = ${subjectId}`.execute(
        e.store.db,
      );
    });
  },
  { config: testConfig({ VOW_PRIVACY_OFFICERS: 'dpo@shop.example' }) },
);
