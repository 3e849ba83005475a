// Shopper and staff log-in pages in Chromium, with real access control: forms carry their CSRF
// tokens, cookies do the rest, and nothing breaks the CSP.
import assert from 'node:assert/strict';
import type { AddressInfo } from 'node:net';
import { after, before, describe, it } from 'node:test';
import type { Browser } from 'playwright-core';
import { launchChromium, pageErrors, SKIP_BROWSER } from '../helpers/browser.js';
import { createTestEnv, type TestEnv } from '../helpers/env.js';

describe('account and staff pages in Chromium', {
  skip: SKIP_BROWSER ? 'no Chromium on this machine' : false,
}, () => {
  let env: TestEnv & { close: () => Promise<void> };
  let browser: Browser;
  let base: string;

  before(async () => {
    env = await createTestEnv('sqlite', { auth: 'enforced', rateLimits: false });
    await env.app.listen({ port: 0, host: '127.0.0.1' });
    base = `http://127.0.0.1:${(env.app.server.address() as AddressInfo).port}`;
    browser = await launchChromium();
  });
  after(async () => {
    await browser?.close();
    await env?.close();
  });

  it('registers, confirms the email, logs in to "my data" and logs out', async () => {
    const page = await browser.newPage();
    const errors = pageErrors(page);
    await page.goto(`${base}/account/my-data`);
    assert.match(page.url(), /\/login$/, 'a browser without a session is sent to log in');
    await page.goto(`${base}/account/register`);
    await page.getByLabel('Email').fill('fay.browser@example.com');
    await page.getByLabel(/Password/).fill('a browser long password');
    await page.getByRole('button', { name: 'Create account' }).click();
    await page.getByRole('heading', { name: 'Check your email' }).waitFor();
    const [mail] = await env.services.mail.list({ kind: 'account.verify' });
    const text = (await env.services.mail.read(mail!.id))!.text;
    const link = /\/account\/verify\/\S+/.exec(text)![0];
    await page.goto(`${base}${link}`);
    // The link alone confirms nothing: the password chosen at registration is asked too.
    await page.getByRole('heading', { name: 'Confirm your email address' }).waitFor();
    await page.getByLabel('Password').fill('a browser long password');
    await page.getByRole('button', { name: 'Confirm' }).click();
    await page.getByRole('heading', { name: 'Email confirmed' }).waitFor();
    await page.goto(`${base}/login`);
    await page.getByLabel('Email').fill('fay.browser@example.com');
    await page.getByLabel('Password').fill('a browser long password');
    await page.getByRole('button', { name: 'Log in' }).click();
    await page.getByRole('heading', { name: 'My data' }).waitFor();
    assert.match((await page.locator('main').textContent()) ?? '', /fay\.browser@example\.com/);
    const cookies = await page.context().cookies();
    const session = cookies.find((c) => c.name === 'vow_session');
    assert.ok(session?.httpOnly);
    assert.equal(session?.sameSite, 'Lax');
    await page.getByRole('button', { name: 'Log out' }).click();
    await page.waitForURL(/\/login$/);
    await page.goto(`${base}/account/my-data`);
    assert.match(page.url(), /\/login$/, 'the session ended on the server');
    assert.deepEqual(errors, []);
  });

  it('takes a new staff member from the one-time password to the console', async () => {
    const { password } = await env.services.identity.staff.add('gil', ['auditor'], null);
    const page = await browser.newPage();
    const errors = pageErrors(page);
    await page.goto(`${base}/staff/login`);
    await page.getByLabel('User name').fill('gil');
    await page.getByLabel('Password').fill(password);
    await page.getByRole('button', { name: 'Log in' }).click();
    await page.getByRole('heading', { name: 'Choose your password' }).waitFor();
    await page.getByLabel(/Current/).fill(password);
    await page.getByLabel('New password').fill('gil has a long passphrase');
    await page.getByRole('button', { name: 'Save' }).click();
    await page.getByRole('heading', { name: 'Staff console' }).waitFor();
    const main = (await page.locator('main').textContent()) ?? '';
    assert.match(main, /Your roles: auditor/);
    assert.match(main, /Audit trail/);
    assert.doesNotMatch(main, /Staff accounts/);
    assert.deepEqual(errors, []);
  });
});
