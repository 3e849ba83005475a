// P18, "the site works with cookies refused": in Chromium set to block every cookie, a shopper makes
// a privacy request, confirms it with the emailed code and makes a complaint; the forms carry a
// signed token and need no cookie. A page on another site posting the complaint form, even with a
// valid token, is refused (Sec-Fetch-Site / Origin) and nothing is stored.
// One dialect (BROWSER_DIALECT, SQLite): what is tested here is what Chromium does with cookies
// refused; the forms' token and Sec-Fetch-Site checks and what they store run on every dialect
// without a browser in test/security/public-forms.test.ts.
import assert from 'node:assert/strict';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { after, before, describe, it } from 'node:test';
import type { BrowserContext } from 'playwright-core';
import type { OutgoingMessage } from '../../src/platform/mail/index.js';
import { BROWSER_DIALECT, launchChromiumWithoutCookies, SKIP_BROWSER } from '../helpers/browser.js';
import { createTestEnv, type TestEnv } from '../helpers/env.js';
import { captureMail } from '../helpers/mail.js';

const dialect = BROWSER_DIALECT;
describe(`public forms with cookies refused, in Chromium [${dialect}]`, {
  skip: SKIP_BROWSER ? 'no Chromium on this machine' : false,
}, () => {
  let env: TestEnv & { close: () => Promise<void> };
  let browser: BrowserContext;
  let closeBrowser: (() => Promise<void>) | undefined;
  let baseUrl: string;
  let attacker: http.Server;
  let attackerUrl: string;
  let attackPage = '';
  let sent: OutgoingMessage[] = [];

  before(async () => {
    // Real access control (the CSRF checks do not run for the test principal).
    env = await createTestEnv(dialect, { auth: 'enforced', rateLimits: false });
    sent = captureMail(env);
    await env.app.listen({ port: 0, host: '127.0.0.1' });
    baseUrl = `http://127.0.0.1:${(env.app.server.address() as AddressInfo).port}`;
    // Another site (localhost is not the same site as 127.0.0.1): serves whatever page the test sets.
    attacker = http.createServer((_req, res) => {
      res.setHeader('content-type', 'text/html; charset=utf-8');
      res.end(attackPage);
    });
    await new Promise<void>((resolve) => attacker.listen(0, '127.0.0.1', resolve));
    attackerUrl = `http://localhost:${(attacker.address() as AddressInfo).port}`;
    const chromium = await launchChromiumWithoutCookies();
    browser = chromium.context;
    closeBrowser = chromium.close;
  });
  after(async () => {
    await closeBrowser?.();
    await new Promise((resolve) => attacker?.close(resolve));
    await env?.close();
  });

  it('refuses to keep any cookie (the browser really blocks them)', async () => {
    const page = await browser.newPage();
    await page.goto(`${baseUrl}/privacy/request`);
    assert.equal(
      await page.evaluate(() => {
        // biome-ignore lint/suspicious/noDocumentCookie: the probe of whether the browser keeps cookies
        document.cookie = 'probe=1; path=/';
        return document.cookie;
      }),
      '',
    );
    await page.close();
  });

  it('takes a privacy request and its emailed code, without cookies', async () => {
    await env.services.collection.contestEntry({ email: 'no.cookies@example.com', name: 'Nora' });
    const page = await browser.newPage();
    await page.goto(`${baseUrl}/privacy/request`);
    await page.getByLabel('What would you like us to do?').selectOption('access');
    await page.getByLabel('Where do you live?').selectOption('eea');
    await page.getByLabel('Your email address').fill('no.cookies@example.com');
    await page.getByRole('button', { name: 'Send request' }).click();
    await page.waitForURL(/\/privacy\/request\/status\//);
    assert.equal(await page.getByRole('heading', { name: 'Your privacy request' }).count(), 1);
    await env.services.jobs.drain();
    const mail = sent.filter((m) => m.to === 'no.cookies@example.com' && /code/i.test(m.subject)).at(-1);
    const code = /\b(\d{6})\b/.exec(mail?.text ?? '')?.[1];
    assert.ok(code, 'the code was mailed');
    await page.getByLabel('Code').fill(code);
    await page.getByRole('button', { name: 'Confirm' }).click();
    await page.waitForURL(/\?m=ok$/);
    assert.match((await page.getByRole('status').textContent()) ?? '', /we confirmed it is you/);
    assert.deepEqual(await browser.cookies(), [], 'no cookie was set or kept');
    await page.close();
  });

  it('takes a complaint, without cookies', async () => {
    const page = await browser.newPage();
    await page.goto(`${baseUrl}/privacy/complaint`);
    await page.getByLabel('Where do you live?').selectOption('us-ca');
    await page.getByLabel('Your email address (for our answer)').fill('no.cookies.2@example.com');
    await page.getByLabel('Your complaint').fill('You sent me a catalog I never asked for.');
    await page.getByRole('button', { name: 'Send complaint' }).click();
    await page.waitForURL(/\/privacy\/complaint\/status\//);
    assert.equal(
      (await env.services.complaints.list({ includeClosed: true })).length,
      1,
      'the complaint is stored',
    );
    assert.deepEqual(await browser.cookies(), []);
    await page.close();
  });

  it('refuses the complaint form posted from another site, even with a valid token', async () => {
    const form = await fetch(`${baseUrl}/privacy/complaint`).then((r) => r.text());
    const token = /name="_csrf" value="([^"]+)"/.exec(form)?.[1];
    assert.ok(token, 'the attacker can fetch a valid token');
    attackPage = `<!doctype html><form id="f" method="post" action="${baseUrl}/privacy/complaint">
        <input name="_csrf" value="${token}"><input name="jurisdiction" value="other">
        <input name="email" value="victim@example.com"><input name="message" value="forged">
        </form><script>document.getElementById('f').submit()</script>`;
    const before = (await env.services.complaints.list({ includeClosed: true })).length;
    const page = await browser.newPage();
    const answer = page.waitForResponse((r) => r.url() === `${baseUrl}/privacy/complaint`);
    await page.goto(`${attackerUrl}/`);
    const res = await answer;
    assert.equal(res.status(), 403);
    assert.equal(await res.request().headerValue('sec-fetch-site'), 'cross-site');
    await page.waitForLoadState();
    assert.equal(await page.locator('[data-code="VOW_CSRF"]').count(), 1, 'a page, not JSON');
    assert.equal((await env.services.complaints.list({ includeClosed: true })).length, before);
    await env.services.jobs.drain();
    assert.equal(sent.filter((m) => m.to === 'victim@example.com').length, 0, 'no mail to the victim');
    await page.close();
  });
});
