// The console's idle limit in Chromium (security.md #45, WCAG 2.2.1 Timing Adjustable): two minutes
// before it, a dialog (role=alertdialog, focus on "Stay signed in", axe clean) warns; "Stay signed
// in" extends the session without a reload; activity in another tab counts (the page asks the server
// before warning); after the limit the dialog says so and the next request goes to the log-in; and a
// form sent after the limit is shown back, filled in, after logging in again; a filtered list opened
// after the limit comes back with its filters. Both clocks are moved by hand (Vow's ManualClock and
// the page's, page.clock): nothing sleeps.
import assert from 'node:assert/strict';
import type { AddressInfo } from 'node:net';
import { after, before, describe, it } from 'node:test';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { axeViolations } from '../helpers/axe-check.js';
import { launchChromium, pageErrors, SKIP_BROWSER } from '../helpers/browser.js';
import { createTestEnv, type TestEnv } from '../helpers/env.js';

const MINUTE = 60_000;
const PASSWORD = 'a long console passphrase';

describe('the console warns before its idle limit', {
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

  /** Moves Vow's clock and the page's (its timers fire) by the same time. */
  const advance = async (page: Page, ms: number) => {
    env.clock.advance(ms);
    await page.clock.runFor(ms);
  };
  /** Waits until the page's script has had `n` answers about its session in all. */
  const checks = (page: Page, n: number) =>
    page.waitForFunction(
      (want) => Number(document.getElementById('idle-warning')?.getAttribute('data-checks')) >= want,
      n,
    );
  const fillLogIn = async (page: Page, username: string) => {
    await page.getByLabel('User name').fill(username);
    await page.getByLabel('Password').fill(PASSWORD);
    await page.getByRole('button', { name: 'Log in' }).click();
  };
  /** A new staff member logged in, in a fresh context whose clock is the page's to move. */
  const loggedIn = async (roles: string[]): Promise<{ page: Page; username: string }> => {
    const username = `idle${++counter}`;
    const { staff } = env.services.identity;
    const { id, password } = await staff.add(username, roles, null);
    await staff.changePassword(id, password, PASSWORD);
    const context = await browser.newContext({ viewport: { width: 1280, height: 844 } });
    contexts.push(context);
    await context.clock.install({ time: env.clock.now() });
    const page = await context.newPage();
    await page.goto(`${base}/staff/login`);
    await fillLogIn(page, username);
    await page.getByRole('heading', { name: 'Staff console' }).waitFor();
    return { page, username };
  };

  it('warns two minutes before, "Stay signed in" extends, and after the limit the next request logs in', async () => {
    const { page } = await loggedIn(['auditor']);
    const errors = pageErrors(page);
    await checks(page, 1);
    const dialog = page.getByRole('alertdialog', { name: 'You will be signed out soon' });
    assert.equal(await dialog.isVisible(), false, 'no warning while time is left');

    await advance(page, 28 * MINUTE + 1000);
    await dialog.waitFor();
    assert.match((await dialog.textContent()) ?? '', /signed out in 2 minutes/);
    assert.equal(
      await page.evaluate(() => document.activeElement?.textContent),
      'Stay signed in',
      'focus moved to the dialog’s button',
    );
    assert.deepEqual(await axeViolations(page), [], 'axe on the page with the warning open');

    // "Stay signed in": the session is extended, the page not reloaded.
    const stay = page.waitForResponse(
      (r) => r.url().endsWith('/staff/session') && r.request().method() === 'POST',
    );
    await page.keyboard.press('Enter');
    assert.equal((await stay).status(), 200);
    await dialog.waitFor({ state: 'hidden' });
    const session = await env.store.db
      .selectFrom('sessions')
      .select('last_seen_at')
      .where('kind', '=', 'staff')
      .orderBy('created_at', 'desc')
      .executeTakeFirstOrThrow();
    assert.equal(session.last_seen_at, env.clock.now().toISOString());

    // Another 28 minutes on: the warning again; then the limit passes without an answer.
    await advance(page, 28 * MINUTE + 1000);
    await dialog.waitFor();
    await advance(page, 2 * MINUTE);
    const ended = page.getByRole('alertdialog', { name: 'You have been signed out' });
    await ended.waitFor();
    assert.equal(await page.getByRole('button', { name: 'Stay signed in' }).isVisible(), false);
    assert.deepEqual(await axeViolations(page), [], 'axe on the signed-out dialog');
    await page.getByRole('button', { name: 'Close' }).click();
    await page.getByRole('link', { name: 'Dashboard' }).click();
    await page.getByRole('heading', { name: 'Staff log in' }).waitFor();
    assert.match(page.url(), /\/staff\/login$/);
    // The ended session's check answered 401 (Chromium logs the failed load), nothing else.
    assert.deepEqual(
      errors.filter((e) => !/status of 401/.test(e)),
      [],
    );
  });

  it('counts activity in another tab: the page asks before warning', async () => {
    const { page } = await loggedIn(['auditor']);
    const other = await page.context().newPage();
    await other.goto(`${base}/staff`);
    await checks(page, 1);
    await checks(other, 1);
    // 20 minutes on, the other tab is used (a page opened): the session's last request.
    env.clock.advance(20 * MINUTE);
    await other.goto(`${base}/staff/audit`);
    await page.clock.runFor(20 * MINUTE);
    // This tab's timer comes at 28 minutes: it asks, learns of 22 minutes left, and does not warn.
    const before = Number(await page.getByTestId('idle-warning').getAttribute('data-checks'));
    await advance(page, 8 * MINUTE + 1000);
    await checks(page, before + 1);
    assert.equal(await page.getByRole('alertdialog').isVisible(), false);
    // It warns at 48 minutes, two before the end the other tab set.
    await advance(page, 20 * MINUTE);
    await page.getByRole('alertdialog', { name: 'You will be signed out soon' }).waitFor();
  });

  it('shows a form sent after the limit back, filled in, after logging in again', async () => {
    const { page, username } = await loggedIn(['customer_service']);
    await page.goto(`${base}/staff/incidents`);
    await page.getByLabel('What happened').fill('A courier lost a box of returned orders');
    await page.getByLabel('Likely consequences').fill('Names and addresses\non the labels');
    // The page's clock stands still (a laptop asleep): no warning; Vow's passes the limit.
    env.clock.advance(31 * MINUTE);
    await page.getByRole('button', { name: 'Record the incident' }).click();
    await page.getByRole('heading', { name: 'Staff log in' }).waitFor();
    assert.match((await page.getByTestId('form-kept').textContent()) ?? '', /What you typed is kept/);
    assert.deepEqual(await axeViolations(page), [], 'axe on the log-in page that kept the form');
    await fillLogIn(page, username);
    await page.getByRole('heading', { name: 'Send your form' }).waitFor();
    // Under the page's own labels (noted by console-idle.js as the form was sent), not the names.
    assert.equal(
      await page.getByLabel('What happened').inputValue(),
      'A courier lost a box of returned orders',
    );
    assert.equal(
      await page.getByLabel('Likely consequences').inputValue(),
      'Names and addresses\non the labels',
    );
    assert.equal(await page.getByLabel('summary', { exact: true }).count(), 0);
    assert.match((await page.locator('[data-kept-page]').textContent()) ?? '', /From the page “Incidents/);
    assert.deepEqual(await axeViolations(page), [], 'axe on the form shown back');
    await page.getByRole('button', { name: 'Send' }).click();
    await page.waitForURL(/\/staff\/incidents\/[^/?]+/);
    const recorded = await env.store.db.selectFrom('incidents').select('id').execute();
    assert.equal(recorded.length, 1);
  });

  it('opens the page asked for after logging in again, not the dashboard', async () => {
    const { page, username } = await loggedIn(['customer_service']);
    env.clock.advance(31 * MINUTE);
    // A bookmark or the address bar, after the limit: the log-in, then that very page.
    await page.goto(`${base}/staff/incidents`);
    await page.getByRole('heading', { name: 'Staff log in' }).waitFor();
    assert.match(page.url(), /\/staff\/login\?next=%2Fstaff%2Fincidents$/);
    assert.deepEqual(await axeViolations(page), [], 'axe on the log-in page with its way back');
    await fillLogIn(page, username);
    await page.waitForURL(`${base}/staff/incidents`);
    await page.getByRole('button', { name: 'Record the incident' }).waitFor();
  });

  it('opens a filtered list again with its filters after logging in, the query in no new address', async () => {
    const { page, username } = await loggedIn(['auditor']);
    await page.goto(`${base}/staff/audit`);
    await page.getByLabel('What').selectOption('person');
    await page.getByLabel('Staff member').selectOption(username);
    await page.getByRole('button', { name: 'Show' }).click();
    await page.waitForURL(/\/staff\/audit\?kind=person&who=/);
    const list = page.url();
    env.clock.advance(31 * MINUTE);
    // The list reloaded after the limit: the log-in in its place, at the list's own address.
    const seen: string[] = [];
    page.on('request', (r) => seen.push(r.url()));
    await page.reload();
    await page.getByRole('heading', { name: 'Staff log in' }).waitFor();
    assert.equal(page.url(), list);
    assert.deepEqual(await axeViolations(page), [], 'axe on the log-in in the list’s place');
    await fillLogIn(page, username);
    await page.waitForURL(list);
    assert.equal(await page.getByLabel('What').inputValue(), 'person');
    assert.equal(await page.getByLabel('Staff member').inputValue(), username);
    // No address on the way held the query but the list's own (the log-in's post carries the key).
    const query = new URL(list).search;
    assert.deepEqual(
      seen.filter((u) => u.includes(query.slice(1)) && !u.startsWith(`${base}/staff/audit?`)),
      [],
    );
  });
});
