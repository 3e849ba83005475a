import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { OutgoingMessage } from '../../src/platform/mail/index.js';
import { pageErrors, SKIP_BROWSER, startServedVow } from '../helpers/browser.js';
import { captureMail } from '../helpers/mail.js';
import { FakeWorld } from '../rights/fakes.js';

describe('privacy requests in Chromium', {
  skip: SKIP_BROWSER ? 'no Chromium on this machine' : false,
}, () => {
  let served: Awaited<ReturnType<typeof startServedVow>>;
  let sent: OutgoingMessage[] = [];
  const world = new FakeWorld();

  before(async () => {
    served = await startServedVow();
    world.addPerson('e2e-subject', { emails: ['browser.user@example.org'] });
    world.rows.push({
      table: 'customers',
      column: 'email',
      category: 'contact.email',
      subjectId: 'e2e-subject',
      value: 'browser.user@example.org',
    });
    served.env.services.rights.connect({ directory: world.directory, walker: world.walker });
    sent = captureMail(served.env);
  });
  after(async () => {
    await served?.close();
  });

  it('a shopper submits the form, confirms with the emailed code and sees the request answered, without the email in any URL', async () => {
    const page = await served.browser.newPage();
    const errors = pageErrors(page);
    const urls: string[] = [];
    page.on('request', (r) => urls.push(r.url()));
    page.on('response', (r) => {
      if (r.status() >= 400)
        errors.push(`${r.status()} ${r.request().method()} ${new URL(r.url()).pathname}`);
    });
    await page.goto(`${served.baseUrl}/privacy/request`);
    assert.equal(await page.title(), 'Make a privacy request — Diamond Nexus');
    await page.selectOption('#type', 'access');
    await page.selectOption('#jurisdiction', 'eea');
    await page.fill('#email', 'browser.user@example.org');
    await Promise.all([page.waitForURL(/\/privacy\/request\/status\//), page.click('button[type=submit]')]);
    assert.equal(
      await page.textContent('[data-testid=request-status]'),
      'Waiting for you to confirm your identity',
    );
    await served.env.services.jobs.drain();
    const mail = sent.find((m) => m.to === 'browser.user@example.org');
    const code = /\b(\d{6})\b/.exec(mail?.text ?? '')?.[1];
    assert.ok(code);
    assert.ok(mail?.text.includes(new URL(page.url()).pathname), 'the email links to this status page');
    await page.fill('#code', code);
    await page.click('[data-testid=code-form] button');
    await page.waitForSelector('p.ok');
    assert.equal(await page.textContent('[data-testid=request-status]'), 'Being answered');
    await served.env.services.jobs.drain();
    await page.reload();
    assert.equal(await page.textContent('[data-testid=request-status]'), 'Answered');
    // The answer mail's download link opens the readable summary.
    const answer = sent.find((m) => m.to === 'browser.user@example.org' && /ready/.test(m.subject));
    const link = /(\/privacy\/request\/export\/[A-Za-z0-9_-]+)/.exec(answer?.text ?? '')?.[1];
    assert.ok(link);
    await page.goto(`${served.baseUrl}${link}`);
    assert.match((await page.textContent('[data-testid=export-values]')) ?? '', /browser\.user@example\.org/);
    assert.ok(!urls.some((u) => u.includes('browser.user') || u.includes('%40')), 'no email in any URL');
    assert.deepEqual(errors, []);
    await page.close();
  });

  it('a wrong code shows an error and leaves the request waiting', async () => {
    const page = await served.browser.newPage();
    const errors = pageErrors(page);
    await page.goto(`${served.baseUrl}/privacy/request`);
    await page.selectOption('#jurisdiction', 'eea');
    await page.fill('#email', 'nobody.known@example.org');
    await Promise.all([page.waitForURL(/\/privacy\/request\/status\//), page.click('button[type=submit]')]);
    await page.fill('#code', '000000');
    await page.click('[data-testid=code-form] button');
    await page.waitForSelector('p.error');
    assert.match((await page.textContent('p.error')) ?? '', /not valid/);
    assert.equal(
      await page.textContent('[data-testid=request-status]'),
      'Waiting for you to confirm your identity',
    );
    assert.deepEqual(errors, []);
    await page.close();
  });

  it('staff work the queue: soonest first, overdue flagged, and an extension from the request page', async () => {
    const env = served.env;
    env.clock.set('2026-03-05T10:00:00Z');
    const overdue = await env.services.rights.submit(
      { type: 'deletion', jurisdiction: 'eea' },
      { channel: 'postal', receivedOn: '2026-01-31', staffId: 'staff-1' },
    );
    const fresh = await env.services.rights.submit(
      { type: 'access', jurisdiction: 'us-ca', email: 'fresh@example.org' },
      { channel: 'email', receivedOn: '2026-03-04', staffId: 'staff-1' },
    );
    const page = await served.browser.newPage();
    const errors = pageErrors(page);
    await page.goto(`${served.baseUrl}/staff/requests`);
    const rows = page.locator('[data-testid=request-queue] tbody tr');
    const ids = await rows.evaluateAll((trs) => trs.map((tr) => tr.getAttribute('data-request')));
    assert.ok(ids.indexOf(overdue.requestId) < ids.indexOf(fresh.requestId), 'soonest deadline first');
    const overdueRow = page.locator(`tr[data-request="${overdue.requestId}"]`);
    assert.match((await overdueRow.textContent()) ?? '', /overdue/);
    await page.click(`tr[data-request="${fresh.requestId}"] a`);
    await page.fill('form[data-action=extend] input[name=reason]', 'Many systems to search');
    await page.click('form[data-action=extend] button');
    // The confirmation step names what will happen; confirming redirects to the request's page.
    await page.waitForSelector('[data-testid=confirmation]');
    assert.match((await page.textContent('[data-testid=confirmation]')) ?? '', /cannot be recalled/);
    await Promise.all([page.waitForURL(/\?done=extend$/), page.click('[data-testid=confirm-button]')]);
    assert.match((await page.textContent('.flash.ok')) ?? '', /extended/);
    assert.equal((await env.services.rights.get(fresh.requestId)).dueOn, '2026-06-02');
    assert.deepEqual(errors, []);
    await page.close();
  });

  it('a shopper complains through the form and sees where to escalate; staff answer from the complaint page', async () => {
    const page = await served.browser.newPage();
    const errors = pageErrors(page);
    await page.goto(`${served.baseUrl}/privacy/complaint`);
    await page.selectOption('#c-jurisdiction', 'us-ca');
    await page.fill('#c-email', 'unhappy@example.org');
    await page.fill('#c-message', 'Nobody answered my request.');
    await Promise.all([
      page.waitForURL(/\/privacy\/complaint\/status\//),
      page.click('[data-testid=complaint-form] button'),
    ]);
    assert.equal(await page.textContent('[data-testid=regulator]'), 'California Attorney General');
    assert.equal(await page.getAttribute('[data-testid=complaint-status]', 'data-status'), 'open');
    const statusUrl = page.url();
    await page.goto(`${served.baseUrl}/staff/complaints`);
    await Promise.all([
      page.waitForURL(/\/staff\/complaints\/[0-9a-f-]+$/),
      page.click('[data-testid=complaint-queue] tbody tr:last-child a[href^="/staff/complaints/"]'),
    ]);
    assert.equal(await page.textContent('[data-testid=complaint-message]'), 'Nobody answered my request.');
    await page.fill('#reply-text', 'We are sorry; your data is attached.');
    await page.click('form[data-action=reply] button');
    await page.waitForSelector('.flash.ok');
    assert.equal(await page.textContent('[data-testid=complaint-status]'), 'Answered');
    await page.goto(statusUrl);
    assert.equal(await page.getAttribute('[data-testid=complaint-status]', 'data-status'), 'answered');
    assert.deepEqual(errors, []);
    await page.close();
  });
});
