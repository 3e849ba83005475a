// A console tab left open learns that its session was ended elsewhere, without a click (security.md
// #54): console-idle.js asks GET /staff/session/state once a minute while the tab is visible, and goes
// to the log-in page when the session has ended (a log-out in another tab, the single sign-on
// provider's back-channel log-out, a refused re-check: all end the session's row, as here). Before,
// the tab went on showing the page until the idle warning's check, 28 minutes on, which then said the
// session had ended "for want of activity". A hidden tab does not ask; it asks once shown again.
// Both clocks are moved by hand (Vow's ManualClock and the page's, page.clock): nothing sleeps.
import assert from 'node:assert/strict';
import type { AddressInfo } from 'node:net';
import { after, before, describe, it } from 'node:test';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { launchChromium, pageErrors, SKIP_BROWSER } from '../helpers/browser.js';
import { createTestEnv, type TestEnv } from '../helpers/env.js';

const MINUTE = 60_000;
const PASSWORD = 'a long console passphrase';

describe('an open console tab whose session was ended elsewhere goes to the log-in', {
  skip: SKIP_BROWSER ? 'no Chromium on this machine' : false,
}, () => {
  let env: TestEnv & { close: () => Promise<void> };
  let browser: Browser;
  let base = '';
  const contexts: BrowserContext[] = [];
  let counter = 0;

  before(async () => {
    env = await createTestEnv('sqlite', { auth: 'enforced', rateLimits: false });
    await env.app.listen({ port: 0, host: '127.0.0.1' });
    base = `http://127.0.0.1:${(env.app.server.address() as AddressInfo).port}`;
    browser = await launchChromium();
  });
  after(async () => {
    for (const c of contexts) await c.close();
    await browser?.close();
    await env?.close();
  });

  const polls = (page: Page) =>
    page.evaluate(() => Number(document.getElementById('idle-warning')?.getAttribute('data-polls') ?? 0));

  const loggedIn = async (): Promise<{ page: Page; id: string }> => {
    const username = `ended${++counter}`;
    const { staff } = env.services.identity;
    const { id, password } = await staff.add(username, ['auditor'], null);
    await staff.changePassword(id, password, PASSWORD);
    const context = await browser.newContext({ viewport: { width: 1280, height: 844 } });
    contexts.push(context);
    await context.clock.install({ time: env.clock.now() });
    const page = await context.newPage();
    await page.goto(`${base}/staff/login`);
    await page.getByLabel('User name').fill(username);
    await page.getByLabel('Password').fill(PASSWORD);
    await page.getByRole('button', { name: 'Log in' }).click();
    await page.getByRole('heading', { name: 'Staff console' }).waitFor();
    return { page, id };
  };

  it('within a minute of the session ending, the tab shows the log-in page', async () => {
    const { page, id } = await loggedIn();
    const errors = pageErrors(page);
    await page.goto(`${base}/staff/audit`);
    // A minute on with the session live: the tab asks, and stays.
    await page.clock.runFor(MINUTE);
    await page.waitForFunction(
      () => Number(document.getElementById('idle-warning')?.getAttribute('data-polls')) >= 1,
    );
    assert.match(page.url(), /\/staff\/audit$/);
    // Ended elsewhere (what a back-channel log-out or a refused re-check does to the session).
    await env.services.identity.sessions.endAll('staff', id);
    await page.clock.runFor(MINUTE);
    await page.getByRole('heading', { name: 'Staff log in' }).waitFor();
    assert.match(page.url(), /\/staff\/login\?next=%2Fstaff%2Faudit$/);
    assert.equal(await page.getByRole('alertdialog').count(), 0, 'no idle warning: the log-in itself');
    assert.deepEqual(errors, []);
  });

  it('a hidden tab does not ask; shown again, it asks at once', async () => {
    const { page, id } = await loggedIn();
    await page.clock.runFor(MINUTE);
    await page.waitForFunction(
      () => Number(document.getElementById('idle-warning')?.getAttribute('data-polls')) >= 1,
    );
    const before = await polls(page);
    await page.evaluate(() => {
      Object.defineProperty(document, 'visibilityState', { value: 'hidden', configurable: true });
      document.dispatchEvent(new Event('visibilitychange'));
    });
    await env.services.identity.sessions.endAll('staff', id);
    await page.clock.runFor(5 * MINUTE);
    assert.equal(await polls(page), before, 'no question while hidden');
    assert.match(page.url(), /\/staff$/);
    await page.evaluate(() => {
      Object.defineProperty(document, 'visibilityState', { value: 'visible', configurable: true });
      document.dispatchEvent(new Event('visibilitychange'));
    });
    await page.getByRole('heading', { name: 'Staff log in' }).waitFor();
  });

  it('the answer is one word, and asking does not keep an idle session signed in', async () => {
    const { page } = await loggedIn();
    const answer = await page.evaluate(async () => {
      const res = await fetch('/staff/session/state', { headers: { accept: 'application/json' } });
      return { body: await res.text(), cacheControl: res.headers.get('cache-control') };
    });
    assert.deepEqual(JSON.parse(answer.body), { session: 'live' });
    assert.equal(answer.cacheControl, 'no-store');
    // Polled every minute for 31 minutes: the idle limit (30) still ends the session, and the
    // tab gets the warning's "signed out" (what was typed stays), not a jump to the log-in.
    for (let m = 0; m < 31; m++) {
      env.clock.advance(MINUTE);
      await page.clock.runFor(MINUTE);
    }
    await page.getByRole('alertdialog', { name: 'You have been signed out' }).waitFor();
    assert.match(page.url(), /\/staff$/);
  });
});
