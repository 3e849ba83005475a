import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { ManualClock } from '../../src/platform/clock.js';
import { isVowError } from '../../src/platform/errors.js';
import { smtpTransport, transportFromConfig } from '../../src/platform/mail/index.js';
import { describeEachDialect, testConfig } from '../helpers/env.js';
import { type SmtpSink, startSmtpSink } from './smtp-sink.js';

describeEachDialect('mail outbox over real SMTP', (env) => {
  let sink: SmtpSink;
  before(async () => {
    sink = await startSmtpSink();
    env().services.mail.useTransport(smtpTransport(sink.url));
  });
  after(async () => {
    await sink?.close();
  });

  it('delivers an enqueued message through the delivery job, as written, then erases its body', async () => {
    const { services, store } = env();
    const id = await services.mail.enqueue({
      to: 'shopper.one@example.org',
      subject: 'Your verification code',
      text: 'Your code is 123456.',
      html: '<p>Your code is <b>123456</b>.</p>',
      headers: { 'X-Vow-Kind': 'rights.code' },
      kind: 'rights.code',
      subjectId: 'subject-1',
    });
    assert.ok(id, 'written: subject-1 has no closed key');
    assert.equal(sink.messages.length, 0, 'nothing leaves before the job runs');
    await services.jobs.drain();
    const [mail] = await sink.waitFor(1);
    assert.equal(mail?.subject, 'Your verification code');
    assert.equal(mail?.to && !Array.isArray(mail.to) ? mail.to.text : '', 'shopper.one@example.org');
    assert.match(mail?.from?.text ?? '', /customerservice@diamondnexus\.com/);
    assert.equal(mail?.text?.trim(), 'Your code is 123456.');
    assert.match(String(mail?.html), /<b>123456<\/b>/);
    assert.equal(mail?.headers.get('x-vow-kind'), 'rights.code');
    assert.equal(mail?.messageId, `<${id}@diamondnexus.com>`);
    const [entry] = await services.mail.list({ subjectId: 'subject-1' });
    assert.equal(entry?.status, 'sent');
    assert.equal(await services.mail.read(id), null, 'the sealed body is erased once sent');
    const rows = JSON.stringify(await store.db.selectFrom('mail_outbox').selectAll().execute());
    assert.ok(!rows.includes('shopper.one@example.org'));
    const jobs = JSON.stringify(await store.db.selectFrom('jobs').selectAll().execute());
    assert.ok(!jobs.includes('shopper.one@example.org'));
  });

  it('stores the address and body sealed while queued, never in plaintext', async () => {
    const { services, store } = env();
    const id = await services.mail.enqueue({
      to: 'sealed.check@example.org',
      subject: 'Sealed',
      text: 'Private body text',
      kind: 'test.sealed',
    });
    const row = await store.db
      .selectFrom('mail_outbox')
      .selectAll()
      .where('id', '=', id)
      .executeTakeFirstOrThrow();
    assert.ok(row.sealed?.startsWith('m1.'));
    assert.ok(!JSON.stringify(row).includes('sealed.check@example.org'));
    assert.ok(!JSON.stringify(row).includes('Private body text'));
    assert.equal((await services.mail.read(id))?.to, 'sealed.check@example.org');
    await services.jobs.drain();
    await sink.waitFor(2);
  });

  it('sends nothing for a message whose transaction rolled back', async () => {
    const { services, store } = env();
    const before = sink.messages.length;
    await assert.rejects(
      store.db.transaction().execute(async (trx) => {
        await services.mail.enqueue(
          { to: 'rolled.back@example.org', subject: 'No', text: 'No', kind: 'test.rollback' },
          trx,
        );
        throw new Error('the change failed');
      }),
    );
    await services.jobs.drain();
    assert.equal(sink.messages.length, before);
    assert.equal((await services.mail.list({ kind: 'test.rollback' })).length, 0);
  });

  it('enqueues inside a caller’s transaction without reading keys from the database (no SQLite self-deadlock)', async () => {
    const { services, store, ctx } = env();
    // Emptying the vault's key cache (a rotation to the same master key) forces any data-key read to
    // go to the database, which on SQLite would wait for the transaction below forever.
    await ctx.vault.rotateMasterKey(Buffer.alloc(32, 7));
    const id = await store.db.transaction().execute(async (trx) => {
      await trx.insertInto('vow_meta').values({ key: 'mail-in-trx', value: '1', updated_at: 'x' }).execute();
      return services.mail.enqueue(
        { to: 'in.trx@example.org', subject: 'In a transaction', text: 'Hi', kind: 'test.trx' },
        trx,
      );
    });
    assert.equal((await services.mail.read(id))?.to, 'in.trx@example.org');
    const count = sink.messages.length;
    await services.jobs.drain();
    await sink.waitFor(count + 1);
  });

  it('refuses a message without a valid address or with a header-injecting subject', async () => {
    const { services } = env();
    for (const bad of [
      { to: 'not-an-address', subject: 'x', text: 'x', kind: 'test.bad' },
      { to: 'a@example.org', subject: 'x\r\nBcc: evil@example.org', text: 'x', kind: 'test.bad' },
      { to: 'a@example.org', subject: '', text: 'x', kind: 'test.bad' },
    ]) {
      await assert.rejects(services.mail.enqueue(bad), (e) => isVowError(e) && e.code === 'VOW_MAIL_INVALID');
    }
    assert.equal((await services.mail.list({ kind: 'test.bad' })).length, 0);
  });

  it('records a notice to a downstream recipient in the outbox without sending it over SMTP', async () => {
    const { services } = env();
    const before = sink.messages.length;
    const id = await services.mail.enqueue({
      to: 'recipient:email_service',
      subject: 'Deletion notice',
      text: 'Please delete the person with reference X.',
      kind: 'rights.deletion_notice',
    });
    await services.jobs.drain();
    assert.equal(sink.messages.length, before);
    const [entry] = await services.mail.list({ audience: 'recipient:email_service' });
    assert.equal(entry?.id, id);
    assert.equal(entry?.status, 'recorded');
  });

  it('keeps a message queued while the SMTP server is down and delivers it after a retry', async () => {
    const { services, clock } = env();
    const down = await startSmtpSink();
    const downUrl = down.url;
    await down.close();
    services.mail.useTransport(smtpTransport(downUrl));
    const id = await services.mail.enqueue({
      to: 'retry.me@example.org',
      subject: 'Retry',
      text: 'Retry',
      kind: 'test.retry',
    });
    await services.jobs.drain();
    const job = await services.jobs.findByKey(`mail:${id}`);
    assert.equal(job?.status, 'pending');
    assert.ok(job?.lastError);
    assert.equal((await services.mail.list({ kind: 'test.retry' }))[0]?.status, 'queued');
    services.mail.useTransport(smtpTransport(sink.url));
    const count = sink.messages.length;
    clock.advance(31_000);
    await services.jobs.drain();
    const all = await sink.waitFor(count + 1);
    assert.equal(all.at(-1)?.subject, 'Retry');
    assert.equal((await services.mail.list({ kind: 'test.retry' }))[0]?.status, 'sent');
  });
});

describe('mail transports chosen by configuration', () => {
  const dir = mkdtempSync(path.join(tmpdir(), 'vow-mail-'));
  after(() => rmSync(dir, { recursive: true, force: true }));

  it('in development without VOW_SMTP_URL, writes each message to mail.jsonl in the data dir', async () => {
    const t = transportFromConfig(
      testConfig({ VOW_DATA_DIR: dir, VOW_ENV: 'development' }),
      new ManualClock(),
    );
    assert.equal(t.name, 'file');
    await t.send({ from: 'a@b.example', to: 'c@d.example', subject: 'Hi', text: 'Body', outboxId: 'o1' });
    const line = JSON.parse(readFileSync(path.join(dir, 'mail.jsonl'), 'utf8').trim());
    assert.equal(line.to, 'c@d.example');
    assert.equal(line.subject, 'Hi');
    assert.equal(line.messageId, '<o1@b.example>');
  });

  it('in production without VOW_SMTP_URL, refuses to deliver with VOW_MAIL_NOT_CONFIGURED', async () => {
    const t = transportFromConfig(
      testConfig({ VOW_DATA_DIR: dir, VOW_ENV: 'production' }),
      new ManualClock(),
    );
    await assert.rejects(
      t.send({ from: 'a@b.example', to: 'c@d.example', subject: 'Hi', text: 'Body', outboxId: 'o2' }),
      (e) => isVowError(e) && e.code === 'VOW_MAIL_NOT_CONFIGURED',
    );
  });

  it('with VOW_SMTP_URL, uses SMTP', () => {
    const t = transportFromConfig(testConfig({ VOW_SMTP_URL: 'smtp://127.0.0.1:2525' }), new ManualClock());
    assert.equal(t.name, 'smtp');
    t.close?.();
  });
});
