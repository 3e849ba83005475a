// Mail feedback over real SMTP: delivery status notifications (RFC 3464) and ARF complaints (RFC
// 5965), built with nodemailer and sent through Vow's listener (smtp-server): a hard bounce
// suppresses, soft bounces past VOW_SOFT_BOUNCE_LIMIT suppress, a complaint withdraws email
// marketing; each change is in the consent ledger with the report as its cause. Each report returns
// the headers of a campaign email Vow rendered for the person (its one-click token is the proof a
// report is genuine: test/security/forged-bounces.test.ts).
import assert from 'node:assert/strict';
import { after, before, it } from 'node:test';
import nodemailer from 'nodemailer';
import { type FeedbackListener, startFeedbackListener } from '../../src/platform/mail/index.js';
import { describeEachDialect, type TestEnv, testConfig } from '../helpers/env.js';
import { arf, dsn, renderedHeaders } from './reports.js';

describeEachDialect(
  'mail feedback over SMTP',
  (env) => {
    let listener: FeedbackListener;
    const send = async (raw: string) => {
      const transport = nodemailer.createTransport({
        host: '127.0.0.1',
        port: listener.port,
        secure: false,
        ignoreTLS: true,
      });
      await transport.sendMail({
        envelope: { from: 'mailer-daemon@mx.example.net', to: ['bounces@shop.example'] },
        raw,
      });
      transport.close();
    };
    const enrol = async (e: TestEnv, email: string): Promise<string> => {
      const r = await e.app.inject({ method: 'POST', url: '/v1/contest-entries', payload: { email } });
      assert.equal(r.statusCode, 201, r.body);
      return r.json().subjectId as string;
    };
    const state = async (e: TestEnv, s: string) => (await e.services.consent.storedStates(s)).email_marketing;

    before(async () => {
      const e = env();
      listener = await startFeedbackListener({
        host: '127.0.0.1',
        port: 0,
        onMessage: (raw) => e.services.mailFeedback.handle(raw),
      });
    });
    after(() => listener.close());

    it('a hard bounce suppresses the address, with the DSN status as evidence', async () => {
      const e = env();
      const s = await enrol(e, 'gone@example.org');
      await send(await dsn('gone@example.org', 'failed', '5.1.1', await renderedHeaders(e, s)));
      assert.equal((await state(e, s))?.lastEvent, 'suppressed');
      const last = (await e.services.consent.history(s)).at(-1)!;
      assert.deepEqual(
        [last.event, last.cause_type, last.cause_ref],
        ['suppressed', 'mail_feedback', 'hard_bounce:5.1.1'],
      );
      const idx = e.ctx.vault.blindIndex('email', 'gone@example.org');
      assert.ok(await e.services.consent.isIdentifierSuppressed('email', idx, 'email_marketing'));
    });

    it('soft bounces suppress only once they reach the limit', async () => {
      const e = env();
      const s = await enrol(e, 'full@example.org');
      const headers = await renderedHeaders(e, s);
      await send(await dsn('full@example.org', 'failed', '4.2.2', headers));
      await send(await dsn('full@example.org', 'delayed', '4.4.1', headers));
      assert.equal((await state(e, s))?.state, 'enrolled', 'two soft bounces change nothing');
      await send(await dsn('full@example.org', 'failed', '4.2.2', headers));
      const last = (await e.services.consent.history(s)).at(-1)!;
      assert.deepEqual(
        [last.event, last.cause_type, last.cause_ref],
        ['suppressed', 'mail_feedback', 'soft_bounces:3'],
      );
    });

    it('a spam complaint (ARF) withdraws email marketing', async () => {
      const e = env();
      const s = await enrol(e, 'angry@example.org');
      await send(await arf('angry@example.org', await renderedHeaders(e, s)));
      assert.equal((await state(e, s))?.state, 'withdrawn');
      const last = (await e.services.consent.history(s)).at(-1)!;
      assert.deepEqual(
        [last.event, last.cause_type, last.cause_ref],
        ['withdrawn', 'mail_feedback', 'complaint:abuse'],
      );
    });

    it('a report can also be posted raw; a message that is no report changes nothing', async () => {
      const e = env();
      const s = await enrol(e, 'posted@example.org');
      const res = await e.app.inject({
        method: 'POST',
        url: '/v1/mail/feedback',
        headers: { 'content-type': 'message/rfc822' },
        payload: await dsn('posted@example.org', 'failed', '5.7.1', await renderedHeaders(e, s)),
      });
      assert.equal(res.statusCode, 200, res.body);
      assert.deepEqual(res.json().outcomes, [{ kind: 'hard_bounce', suppressed: 1, withdrawn: 0 }]);
      assert.equal((await state(e, s))?.lastEvent, 'suppressed');
      const plain = await e.app.inject({
        method: 'POST',
        url: '/v1/mail/feedback',
        headers: { 'content-type': 'message/rfc822' },
        payload: 'From: a@example.org\nSubject: hi\n\nhello',
      });
      assert.deepEqual(plain.json().outcomes, [{ kind: 'ignored', suppressed: 0, withdrawn: 0 }]);
    });
  },
  { config: testConfig({ VOW_SOFT_BOUNCE_LIMIT: '3' }) },
);
