// The development mailbox (mail.jsonl, where mail goes without VOW_SMTP_URL) keeps each sent mail in
// plain text: the person's address and what Vow told them. Their erasure (the under-13 purge, a
// deletion of everything, a deletion of their email address) takes their lines out of it through the
// erasure registry (the mail outbox's eraser): the file is written anew without them, owner-only as
// before; other people's lines stay.
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { after, it } from 'node:test';
import { fileTransport, type OutgoingMessage } from '../../src/platform/mail/index.js';
import { markUnder13, orderBody, post } from '../collection/fixtures.js';
import { describeEachDialect, type TestEnv } from '../helpers/env.js';
import { verifiedRequest } from '../rights/real-flow.js';

const dir = mkdtempSync(path.join(tmpdir(), 'vow-dev-mailbox-'));
after(() => rmSync(dir, { recursive: true, force: true }));

/** The file transport, each message also kept in memory (the flows read their codes there). */
function devMailbox(e: TestEnv, name: string): { file: string; sent: OutgoingMessage[] } {
  const file = path.join(dir, `${name}-${e.dialect}.jsonl`);
  const inner = fileTransport(file, e.clock);
  const sent: OutgoingMessage[] = [];
  e.services.mail.useTransport({
    ...inner,
    send: async (m) => {
      sent.push(m);
      return inner.send(m);
    },
  });
  return { file, sent };
}

/** The lines of the mailbox, parsed. */
function lines(file: string): { to: string; messageId: string; subject: string; text: string }[] {
  return readFileSync(file, 'utf8')
    .split('\n')
    .filter((l) => l !== '')
    .map((l) => JSON.parse(l));
}

async function buyer(e: TestEnv, n: string): Promise<{ subjectId: string; email: string }> {
  const r = await post(e, '/v1/orders', orderBody(`mbox-${n}`));
  assert.equal(r.statusCode, 201, r.body);
  const email = `ann.buyermbox-${n}@example.com`;
  const subjectId = await e.services.subjects.findByEmail(email);
  assert.ok(subjectId, 'the buyer is found by the order’s email');
  return { subjectId, email };
}

/** A mail about the person (their id on it) and one to them without it, both delivered. */
async function mailTo(e: TestEnv, p: { subjectId: string; email: string }, about: string): Promise<void> {
  await e.services.mail.enqueue({
    to: p.email,
    subject: `Your order ${about}`,
    text: `Dear ${p.email}, your ring is on its way.`,
    kind: 'test.order',
    subjectId: p.subjectId,
  });
  await e.services.mail.enqueue({
    to: p.email.toUpperCase(),
    subject: `A note ${about}`,
    text: 'Written to the address in capitals, with no person on it.',
    kind: 'test.note',
  });
  await e.services.jobs.drain();
}

const mentions = (file: string, email: string) =>
  lines(file).filter((l) => l.to.toLowerCase() === email || l.text.includes(email));

describeEachDialect('the development mailbox at an erasure', (env) => {
  it('the under-13 purge takes the child’s mail out of mail.jsonl; others’ stays; the file stays 0600', async () => {
    const e = env();
    const { file } = devMailbox(e, 'purge');
    const child = await buyer(e, 'child');
    const other = await buyer(e, 'other');
    await mailTo(e, child, 'child');
    await mailTo(e, other, 'other');
    assert.equal(mentions(file, child.email).length, 2, 'the probe sees the child’s lines');
    const purged = await markUnder13(e, child.subjectId);
    assert.equal(purged.statusCode, 200);
    assert.deepEqual(mentions(file, child.email), []);
    assert.equal(mentions(file, other.email).length, 2, 'another person’s mail stays');
    assert.equal(statSync(file).mode & 0o777, 0o600);
  });

  it('a completed deletion of everything leaves none of the mail sent to the person before it', async () => {
    const e = env();
    const { file, sent } = devMailbox(e, 'delete');
    const p = await buyer(e, 'deleted');
    const other = await buyer(e, 'stays');
    await mailTo(e, p, 'deleted');
    await mailTo(e, other, 'stays');
    await verifiedRequest(e, sent, { type: 'deletion', jurisdiction: 'eea', email: p.email });
    const request = (await e.services.rights.queue({ includeClosed: true })).find(
      (r) => r.subjectId === p.subjectId && r.type === 'deletion',
    );
    assert.equal(request?.status, 'completed');
    const answer = sent.filter((m) => m.to === p.email).at(-1);
    assert.ok(answer, 'the answer was sent');
    // What was sent before the erasure (the order mail, the note, the request's code) is gone; the
    // answer, sent after it to the address the request came with, is the one line left (as in the
    // person's own inbox).
    const left = mentions(file, p.email);
    assert.deepEqual(
      left.map((l) => l.messageId.startsWith(`<${answer.outboxId}@`)),
      [true],
      left.map((l) => l.subject).join(', '),
    );
    assert.equal(mentions(file, other.email).length, 2);
  });

  it('a deletion of the email address takes the mail to that address, and only that', async () => {
    const e = env();
    const { file } = devMailbox(e, 'partial');
    const p = await buyer(e, 'partial');
    const other = await buyer(e, 'bystander');
    await mailTo(e, p, 'partial');
    await mailTo(e, other, 'bystander');
    const actor = { type: 'system' as const };
    await e.services.datasets.delete({ subjectIds: [p.subjectId] }, { categories: ['contact.email'] }, actor);
    await e.store.db.transaction().execute((trx) =>
      e.services.erasure.erase(trx, {
        subjectId: p.subjectId,
        mode: 'delete',
        categories: ['contact.email'],
        at: e.clock.now().toISOString(),
      }),
    );
    assert.deepEqual(mentions(file, p.email), []);
    assert.equal(mentions(file, other.email).length, 2);
  });

  it('a deletion of other categories leaves the mailbox as it is', async () => {
    const e = env();
    const { file } = devMailbox(e, 'other-categories');
    const p = await buyer(e, 'phone-only');
    await mailTo(e, p, 'phone-only');
    const before = readFileSync(file, 'utf8');
    await e.store.db.transaction().execute((trx) =>
      e.services.erasure.erase(trx, {
        subjectId: p.subjectId,
        mode: 'delete',
        categories: ['contact.phone'],
        at: e.clock.now().toISOString(),
      }),
    );
    assert.equal(readFileSync(file, 'utf8'), before);
  });
});
