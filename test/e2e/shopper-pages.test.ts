// The shopper's pages in Chromium, with real access control: axe-core finds nothing on any of them
// (signed out, signed in, error pages, the banner open); none scrolls sideways at 390 px, and no
// table cell breaks a word across lines (a column squeezed below its longest word); the
// banner's Accept and Reject stay reachable with "Choose" open on small screens; a keyboard alone
// goes through the banner, the request form and My data, and confirms a deletion; the demo shop's
// forms are recorded.
import assert from 'node:assert/strict';
import type { AddressInfo } from 'node:net';
import { after, before, describe, it } from 'node:test';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { SESSION_COOKIE } from '../../src/modules/identity/sessions.js';
import { serviceCaller, shopperCaller } from '../helpers/auth.js';
import {
  axeViolations,
  brokenWordsInTables,
  horizontalOverflow,
  smallTapTargets,
} from '../helpers/axe-check.js';
import { launchChromium, SKIP_BROWSER } from '../helpers/browser.js';
import { createTestEnv, type TestEnv } from '../helpers/env.js';
import { captureMail } from '../helpers/mail.js';
import { accessExportPath, marketingUnsubscribePath, placeOrder } from '../helpers/shopper.js';

const EMAIL = 'robin.pages@example.com';

function watch(page: Page): string[] {
  const errors: string[] = [];
  page.on('pageerror', (e) => errors.push(e.message));
  return errors;
}

/** Presses Tab until the focused element matches `selector` (at most `max` times). */
async function tabTo(page: Page, selector: string, max = 60): Promise<void> {
  for (let i = 0; i < max; i++) {
    if (await page.evaluate((s) => document.activeElement?.matches(s) ?? false, selector)) return;
    await page.keyboard.press('Tab');
  }
  assert.fail(`Tab never reached ${selector}`);
}

const inBanner = (page: Page) =>
  page.evaluate(() => !!document.activeElement?.closest('[data-testid=vow-banner]'));

describe('shopper pages in Chromium', { skip: SKIP_BROWSER ? 'no Chromium on this machine' : false }, () => {
  let env: TestEnv & { close: () => Promise<void> };
  let browser: Browser;
  let base: string;
  let shopperToken = '';
  let statusPath = '';
  let exportPath = '';
  let complaintPath = '';
  let unsubscribePath = '';

  before(async () => {
    env = await createTestEnv('sqlite', { auth: 'enforced', rateLimits: false });
    await env.app.listen({ port: 0, host: '127.0.0.1' });
    base = `http://127.0.0.1:${(env.app.server.address() as AddressInfo).port}`;
    browser = await launchChromium();
    const sent = captureMail(env);
    const service = await serviceCaller(env);
    await placeOrder(env, service.headers, { shopOrderId: 'SO-ROBIN-1', name: 'Robin Pages', email: EMAIL });
    const shopper = await shopperCaller(env, EMAIL);
    shopperToken = shopper.token;
    // An access request from the account: its answer is the export page.
    exportPath = await accessExportPath(env, shopper.writeHeaders, sent);
    unsubscribePath = await marketingUnsubscribePath(env, service.headers, 'contest.pages@example.com', {
      subject: 'Spring',
      text: 'New rings.',
    });
  });
  after(async () => {
    await browser?.close();
    await env?.close();
  });

  async function signedIn(context: BrowserContext): Promise<void> {
    await context.addCookies([
      { name: SESSION_COOKIE.shopper, value: encodeURIComponent(shopperToken), url: base },
    ]);
  }

  /** A fresh context whose consent choice is made (the banner closed), unless `banner` is asked for. */
  async function contextAt(width: number, height: number): Promise<BrowserContext> {
    return browser.newContext({ viewport: { width, height } });
  }

  it('makes a request and a complaint through the forms (the status pages the next tests visit)', async () => {
    const context = await contextAt(1280, 900);
    const page = await context.newPage();
    await page.goto(`${base}/privacy/request`);
    await page.selectOption('#type', 'deletion');
    await page.selectOption('#jurisdiction', 'us-ca');
    await page.fill('#email', 'someone.else@example.com');
    // A deletion is shown for confirmation first, with what is kept and why.
    await page.click('[data-testid=request-form] button');
    await page.getByRole('heading', { name: 'Check your request' }).waitFor();
    assert.match((await page.getByTestId('exemptions').textContent()) ?? '', /order history/);
    assert.equal(
      await env.store.db
        .selectFrom('rights_requests')
        .select('id')
        .execute()
        .then((r) => r.length),
      1,
      'nothing sent yet (the account access request only)',
    );
    await Promise.all([
      page.waitForURL(/\/privacy\/request\/status\//),
      page.getByTestId('confirm-request').click(),
    ]);
    statusPath = new URL(page.url()).pathname;
    await page.goto(`${base}/privacy/complaint`);
    await page.selectOption('#c-jurisdiction', 'us-ca');
    await page.fill('#c-message', 'A test complaint.');
    await Promise.all([
      page.waitForURL(/\/privacy\/complaint\/status\//),
      page.click('[data-testid=complaint-form] button'),
    ]);
    complaintPath = new URL(page.url()).pathname;
    await context.close();
  });

  const PUBLIC = () => [
    '/privacy',
    '/privacy/request',
    '/privacy/complaint',
    '/cookies/preferences',
    '/demo/store',
    '/login',
    '/account/register',
    '/account/reset-request',
    statusPath,
    // A limit on new codes: the neutral notice's colours pass axe too.
    `${statusPath}?m=soon`,
    complaintPath,
    exportPath,
    unsubscribePath,
  ];
  const ERRORS = [
    { path: '/no-such-page', status: 404 },
    { path: '/privacy/request/status/cut-short', status: 400 },
    { path: '/privacy/request/status/AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA', status: 404 },
    { path: '/privacy/request/export/AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA', status: 404 },
    { path: '/u/not-a-real-token', status: 404 },
  ];

  for (const [width, height, scheme] of [
    [1280, 900, 'light'],
    [390, 844, 'light'],
    // Dark mode (prefers-color-scheme: dark, vow.css's custom properties): the same pages and checks.
    [1280, 900, 'dark'],
    [390, 844, 'dark'],
  ] as const) {
    it(`axe finds nothing, nothing scrolls sideways and (on a phone) every control is 44 px tall, at ${width} px, ${scheme}: every shopper page, signed out and in, the banner open, and the error pages`, async () => {
      const problems: string[] = [];
      const check = async (page: Page, label: string) => {
        for (const v of await axeViolations(page)) problems.push(`${label}: ${v}`);
        // The page follows the scheme: vow.css's paper, light or dark (#15161a).
        const paper = await page.evaluate(() => getComputedStyle(document.documentElement).backgroundColor);
        const expected = scheme === 'dark' ? 'rgb(21, 22, 26)' : 'rgb(255, 255, 255)';
        if (paper !== expected) problems.push(`${label}: paper ${paper} in ${scheme} mode`);
        const over = await horizontalOverflow(page);
        if (over > 0) problems.push(`${label}: scrolls ${over} px sideways`);
        for (const w of await brokenWordsInTables(page))
          problems.push(`${label}: a word broken in a table cell (${w})`);
        if (width < 500)
          for (const t of await smallTapTargets(page)) problems.push(`${label}: under 44 px tall: ${t}`);
      };
      const context = await contextAt(width, height);
      const page = await context.newPage();
      await page.emulateMedia({ colorScheme: scheme });
      const errors = watch(page);
      // First visit: the banner is open, with its choices.
      await page.goto(`${base}/privacy`);
      await page.getByTestId('vow-banner').waitFor();
      await page.getByTestId('vow-choose').click();
      await check(page, '/privacy with the banner open');
      await page.getByTestId('vow-reject').click();
      await page.getByTestId('vow-banner').waitFor({ state: 'detached' });
      for (const path of PUBLIC()) {
        const res = await page.goto(`${base}${path}`);
        assert.ok(res && res.status() < 400, `${path}: ${res?.status()}`);
        await check(page, path);
      }
      // A language the notice is not in: English, with the note in both languages.
      await page.goto(`${base}/privacy?lang=zz`);
      await page.getByTestId('language-note').waitFor();
      await check(page, '/privacy?lang=zz');
      for (const e of ERRORS) {
        const res = await page.goto(`${base}${e.path}`);
        assert.equal(res?.status(), e.status, e.path);
        assert.match(res?.headers()['content-type'] ?? '', /text\/html/, `${e.path} is a page`);
        assert.ok((await page.locator('main a[href="/privacy"]').count()) > 0, `${e.path} has a way back`);
        await check(page, `error page ${e.path}`);
      }
      await signedIn(context);
      for (const path of ['/account/my-data', '/privacy', '/cookies/preferences', '/privacy/request']) {
        await page.goto(`${base}${path}`);
        assert.equal(
          await page.locator('header nav a[href="/login"]').count(),
          0,
          `${path}: no "Log in" when signed in`,
        );
        assert.equal(await page.locator('header nav a[href="/account/my-data"]').count(), 1);
        await check(page, `${path} signed in`);
      }
      assert.deepEqual(problems, []);
      assert.deepEqual(errors, []);
      await context.close();
    });
  }

  it('in Spanish, and the pages after each step (the check before sending, the emails sent, unsubscribed, a deletion to confirm): axe finds nothing, nothing scrolls sideways, every control 44 px tall on a phone', async () => {
    const problems: string[] = [];
    for (const [width, height] of [
      [1280, 900],
      [390, 844],
    ] as const) {
      const check = async (page: Page, label: string) => {
        const at = `${label} at ${width}`;
        for (const v of await axeViolations(page)) problems.push(`${at}: ${v}`);
        const over = await horizontalOverflow(page);
        if (over > 0) problems.push(`${at}: scrolls ${over} px sideways`);
        if (width < 500)
          for (const t of await smallTapTargets(page)) problems.push(`${at}: under 44 px: ${t}`);
      };
      for (const locale of ['es-US', 'en-US'] as const) {
        const context = await contextAt(width, height);
        await context.addCookies([{ name: 'vow_lang', value: locale, url: base }]);
        const page = await context.newPage();
        const errors = watch(page);
        await page.goto(`${base}/demo/store`);
        await page.getByTestId('vow-banner').waitFor();
        await page.getByTestId('vow-choose').click();
        await check(page, `${locale} /demo/store with the banner's choices open`);
        await page.getByTestId('vow-reject').click();
        await page.getByTestId('vow-banner').waitFor({ state: 'detached' });
        if (locale === 'es-US')
          for (const path of PUBLIC()) {
            await page.goto(`${base}${path}`);
            assert.equal(await page.getAttribute('html', 'lang'), 'es', path);
            await check(page, `${locale} ${path}`);
          }
        // The check before a deletion request is sent.
        await page.goto(`${base}/privacy/request`);
        await page.selectOption('#type', 'deletion');
        await page.selectOption('#jurisdiction', 'us-ca');
        await page.fill('#email', 'after.steps@example.com');
        await Promise.all([page.waitForLoadState(), page.click('[data-testid=request-form] button')]);
        await page.getByTestId('confirm-request').waitFor();
        await check(page, `${locale} the request's check`);
        // The emailed-link pages: an account made, a reset asked for.
        await page.goto(`${base}/account/reset-request`);
        await page.fill('#email', 'after.steps@example.com');
        await Promise.all([page.waitForLoadState(), page.click('main form button')]);
        await check(page, `${locale} reset link sent`);
        await page.goto(`${base}/account/register`);
        await page.fill('#email', `after.steps.${locale}@example.com`);
        await page.fill('#password', 'a long enough password');
        await Promise.all([page.waitForLoadState(), page.click('main form button')]);
        await check(page, `${locale} account made`);
        // Unsubscribed (the first run unsubscribes; the next ones see "already unsubscribed").
        await page.goto(`${base}${unsubscribePath}`);
        const button = page.getByTestId('unsubscribe-button');
        if (await button.count()) await Promise.all([page.waitForLoadState(), button.click()]);
        await check(page, `${locale} unsubscribed`);
        // My data's deletion to confirm.
        await signedIn(context);
        await page.goto(`${base}/account/my-data`);
        await check(page, `${locale} /account/my-data`);
        await page.check('input[name=type][value=deletion]');
        await Promise.all([page.waitForLoadState(), page.getByTestId('review-request').click()]);
        await page.getByTestId('confirm-request').waitFor();
        await check(page, `${locale} My data's deletion to confirm`);
        assert.deepEqual(errors, []);
        await context.close();
      }
    }
    assert.deepEqual(problems, []);
  });

  it("at 320 px (a 1280 px screen zoomed to 400 %, WCAG 1.4.10) no page scrolls sideways, in English and Spanish, signed out and in: the footer's contact address wraps", async () => {
    const problems: string[] = [];
    for (const locale of ['en-US', 'es-US'] as const) {
      const context = await contextAt(320, 640);
      await context.addCookies([{ name: 'vow_lang', value: locale, url: base }]);
      const page = await context.newPage();
      await page.goto(`${base}/privacy`);
      await page.getByTestId('vow-reject').click();
      await page.getByTestId('vow-banner').waitFor({ state: 'detached' });
      const check = async (label: string) => {
        const over = await horizontalOverflow(page);
        if (over > 0) problems.push(`${locale} ${label}: scrolls ${over} px sideways`);
      };
      for (const path of PUBLIC()) {
        await page.goto(`${base}${path}`);
        await check(path);
      }
      for (const e of ERRORS) {
        await page.goto(`${base}${e.path}`);
        await check(`error page ${e.path}`);
      }
      await signedIn(context);
      for (const path of ['/account/my-data', '/privacy/request']) {
        await page.goto(`${base}${path}`);
        await check(`${path} signed in`);
      }
      await context.close();
    }
    assert.deepEqual(problems, []);
  });

  it('a form sent with mistakes, on a phone and a laptop, in English and Spanish: focus on the error summary, which names the mistakes; axe finds nothing; nothing scrolls sideways', async () => {
    const problems: string[] = [];
    const FORMS = [
      { path: '/privacy/request', button: '[data-testid=request-form] button' },
      { path: '/privacy/complaint', button: '[data-testid=complaint-form] button' },
      { path: '/login', button: 'form[action="/login"] button' },
      { path: '/account/register', button: 'main form button' },
      { path: '/account/reset-request', button: 'main form button' },
    ];
    for (const [width, height] of [
      [390, 844],
      [1280, 900],
    ] as const) {
      for (const locale of ['en-US', 'es-US'] as const) {
        const context = await contextAt(width, height);
        await context.addCookies([{ name: 'vow_lang', value: locale, url: base }]);
        const page = await context.newPage();
        const errors = watch(page);
        await page.goto(`${base}/privacy`);
        await page.getByTestId('vow-reject').click();
        await page.getByTestId('vow-banner').waitFor({ state: 'detached' });
        for (const f of FORMS) {
          const at = `${locale} ${f.path} at ${width}`;
          await page.goto(`${base}${f.path}`);
          // Sent empty, as a browser without form validation sends it: the server's answer is checked.
          await page.evaluate(() => {
            for (const form of Array.from(document.forms)) form.noValidate = true;
          });
          await Promise.all([page.waitForLoadState(), page.click(f.button)]);
          const summary = page.getByTestId('form-error');
          if ((await summary.count()) === 0) {
            problems.push(`${at}: no error summary`);
            continue;
          }
          const focused = await page.evaluate(
            () => document.activeElement?.getAttribute('data-testid') ?? document.activeElement?.tagName,
          );
          if (focused !== 'form-error') problems.push(`${at}: focus on ${focused}, not the error summary`);
          if ((await summary.getAttribute('role')) !== 'alert')
            problems.push(`${at}: the summary is no alert`);
          if (!((await summary.textContent()) ?? '').trim()) problems.push(`${at}: an empty summary`);
          for (const v of await axeViolations(page)) problems.push(`${at}: ${v}`);
          const over = await horizontalOverflow(page);
          if (over > 0) problems.push(`${at}: scrolls ${over} px sideways`);
        }
        assert.deepEqual(errors, []);
        await context.close();
      }
    }
    assert.deepEqual(problems, []);
  });

  for (const [width, height] of [
    [320, 568],
    [844, 390],
  ] as const) {
    it(`keeps Accept and Reject reachable at ${width}x${height} with "Choose" open; the banner scrolls inside the screen`, async () => {
      const context = await contextAt(width, height);
      const page = await context.newPage();
      await page.goto(`${base}/demo/store`);
      const banner = page.getByTestId('vow-banner');
      await banner.waitFor();
      await page.getByTestId('vow-choose').click();
      const box = (await banner.boundingBox())!;
      assert.ok(
        box.y >= 0 && box.y + box.height <= height + 0.5,
        `banner ${JSON.stringify(box)} fits ${height}`,
      );
      // Scrolled to its end (the Save button), Accept and Reject are still on screen.
      await page.getByTestId('vow-save').scrollIntoViewIfNeeded();
      for (const id of ['vow-accept', 'vow-reject', 'vow-save']) {
        const b = (await page.getByTestId(id).boundingBox())!;
        assert.ok(b.y >= 0 && b.y + b.height <= height, `${id} on screen: ${JSON.stringify(b)}`);
      }
      await page.getByTestId('vow-accept').click();
      await banner.waitFor({ state: 'detached' });
      // The "Cookie settings" button covers none of the shop's buttons when scrolled to the end.
      await page.evaluate(() => window.scrollTo(0, document.documentElement.scrollHeight));
      const prefs = (await page.getByTestId('vow-preferences').boundingBox())!;
      for (const b of await page.locator('main button').all()) {
        const r = await b.boundingBox();
        if (!r || r.y > height || r.y + r.height < 0) continue;
        const overlap =
          r.x < prefs.x + prefs.width &&
          prefs.x < r.x + r.width &&
          r.y < prefs.y + prefs.height &&
          prefs.y < r.y + r.height;
        assert.ok(!overlap, `"Cookie settings" covers ${await b.textContent()}`);
      }
      await context.close();
    });
  }

  it('the banner: focus moves in, Escape means only strictly necessary, focus comes back; the GPC line; the cookies listed', async () => {
    const context = await browser.newContext({ extraHTTPHeaders: { 'Sec-GPC': '1' } });
    await context.addInitScript({
      content:
        "Object.defineProperty(Navigator.prototype, 'globalPrivacyControl', { get: function () { return true; }, configurable: true });",
    });
    const page = await context.newPage();
    await page.goto(`${base}/privacy`);
    await page.getByTestId('vow-banner').waitFor();
    assert.ok(await inBanner(page), 'focus is in the banner');
    assert.match((await page.getByTestId('vow-gpc-note').textContent()) ?? '', /Global Privacy Control/);
    await page.getByTestId('vow-choose').click();
    const box = page.locator('#vow-cc-cat-analytics');
    assert.equal(await box.getAttribute('aria-describedby'), 'vow-cc-cat-analytics-desc');
    await page.locator('.vow-cc-cookies summary').first().click();
    assert.match(
      (await page.locator('.vow-cc-cookies').first().textContent()) ?? '',
      /vow_consent.*Lasts: 13 months/,
    );
    await page.keyboard.press('Escape');
    await page.getByTestId('vow-banner').waitFor({ state: 'detached' });
    // Focus goes back to the header's "Your Privacy Choices" (Vow's pages show no floating button).
    assert.equal(await page.evaluate(() => document.activeElement?.hasAttribute('data-vow-choices')), true);
    assert.equal(await page.locator('.vow-cc-prefs-link').count(), 0, 'no floating Cookie settings');
    const state = await page.evaluate(() =>
      (
        window as unknown as { vowConsent: { state(): { categories: Record<string, boolean> } } }
      ).vowConsent.state(),
    );
    assert.deepEqual(state.categories, { analytics: false, layout_experiments: false, advertising: false });
    // The close button does the same; the preference centre shows the current state, GPC applied.
    await page.goto(`${base}/cookies/preferences`);
    await page.getByTestId('preference-centre').waitFor();
    assert.equal(await page.getByTestId('do-not-sell').isChecked(), true);
    assert.equal(await page.getByTestId('do-not-sell').isDisabled(), true);
    assert.match((await page.getByTestId('pref-state-analytics').textContent()) ?? '', /Off/);
    await context.close();
  });

  it('a choice made after scrolling leaves the page where it was, focus on Your Privacy Choices', async () => {
    const context = await contextAt(390, 844);
    const page = await context.newPage();
    await page.goto(`${base}/privacy`);
    await page.getByTestId('vow-banner').waitFor();
    await page.evaluate(() => window.scrollTo(0, 1500));
    const before = await page.evaluate(() => window.scrollY);
    assert.ok(before > 1000, `scrolled to ${before}`);
    await page.getByTestId('vow-reject').click();
    await page.getByTestId('vow-banner').waitFor({ state: 'detached' });
    assert.equal(await page.evaluate(() => document.activeElement?.hasAttribute('data-vow-choices')), true);
    assert.equal(await page.evaluate(() => window.scrollY), before, 'no jump to the header');
    assert.equal(await page.locator('.vow-cc-prefs-link').count(), 0);
    await context.close();
  });

  it('the preference centre shows the current choice and Do not sell or share turns advertising off', async () => {
    const context = await contextAt(1280, 900);
    const page = await context.newPage();
    await page.goto(`${base}/cookies/preferences`);
    await page.getByTestId('vow-accept').click();
    await page.getByTestId('vow-banner').waitFor({ state: 'detached' });
    assert.equal(await page.locator('[data-vow-pref=advertising]').isChecked(), true, 'current state: on');
    assert.equal(await page.getByTestId('do-not-sell').isChecked(), false);
    await page.getByTestId('do-not-sell').check();
    assert.equal(await page.locator('[data-vow-pref=advertising]').isChecked(), false);
    await page.getByTestId('prefs-save').click();
    await page.getByTestId('prefs-status').getByText('Saved').waitFor();
    assert.equal(await page.locator('[data-vow-pref=advertising]').isChecked(), false);
    assert.equal(await page.locator('[data-vow-pref=analytics]').isChecked(), true);
    await page.reload();
    await page.getByTestId('preference-centre').waitFor();
    await page.locator('[data-vow-pref=analytics]:checked').waitFor();
    assert.equal(await page.getByTestId('do-not-sell').isChecked(), true, 'remembered');
    await context.close();
  });

  it('a keyboard alone: the banner, the request form, logging in, My data and a confirmed deletion', async () => {
    const context = await contextAt(1280, 900);
    const page = await context.newPage();
    const errors = watch(page);
    await page.goto(`${base}/privacy`);
    await page.getByTestId('vow-banner').waitFor();
    assert.ok(await inBanner(page));
    await tabTo(page, '[data-testid=vow-reject]');
    await page.keyboard.press('Enter');
    await page.getByTestId('vow-banner').waitFor({ state: 'detached' });
    assert.equal(
      await page.evaluate(() => document.activeElement?.getAttribute('href')),
      '/cookies/preferences',
      'focus given back to Your Privacy Choices',
    );
    // From the notice to the request form, by its link.
    await tabTo(page, 'header nav a[href="/privacy/request"]', 200);
    await Promise.all([page.waitForURL(/\/privacy\/request$/), page.keyboard.press('Enter')]);
    await tabTo(page, '#type');
    await page.keyboard.press('ArrowDown');
    await tabTo(page, '#jurisdiction');
    await page.keyboard.press('ArrowDown');
    assert.equal(await page.inputValue('#jurisdiction'), 'eea', 'a place chosen by the keyboard');
    await tabTo(page, '#email');
    await page.keyboard.type('keyboard.only@example.com');
    await tabTo(page, '[data-testid=request-form] button[type=submit]');
    await Promise.all([page.waitForURL(/\/privacy\/request\/status\//), page.keyboard.press('Enter')]);
    await page.getByTestId('request-status').waitFor();
    // Log in and ask for deletion from My data, through its confirmation.
    await page.goto(`${base}/login`);
    await tabTo(page, '#email');
    await page.keyboard.type(EMAIL);
    await tabTo(page, '#password');
    await page.keyboard.type('my very own long password');
    await Promise.all([page.waitForURL(/\/account\/my-data$/), page.keyboard.press('Enter')]);
    await tabTo(page, 'input[name=type][value=correction]');
    await page.keyboard.press('ArrowDown');
    assert.equal(await page.locator('input[name=type][value=deletion]').isChecked(), true);
    await tabTo(page, '[data-testid=review-request]');
    await page.keyboard.press('Enter');
    await page.getByRole('heading', { name: 'Delete my data?' }).waitFor();
    const confirm = (await page.locator('main').textContent()) ?? '';
    assert.match(confirm, /What we keep, and why/);
    assert.match(confirm, /order history/i);
    assert.match(confirm, /cannot be undone/);
    await tabTo(page, '[data-testid=confirm-request]');
    await Promise.all([page.waitForURL(/\/account\/my-data\?sent=deletion/), page.keyboard.press('Enter')]);
    assert.match((await page.locator('p.ok').textContent()) ?? '', /deletion request was received/);
    assert.deepEqual(errors, []);
    await context.close();
  });

  it('My data and the export speak plainly: no hash, no fingerprint, no internal names or codes, downloads as JSON and CSV', async () => {
    const context = await contextAt(390, 844);
    await signedIn(context);
    const page = await context.newPage();
    for (const path of ['/account/my-data', exportPath]) {
      await page.goto(`${base}${path}`);
      const text = (await page.locator('main').textContent()) ?? '';
      assert.match(text, /4 Long Meadow Road/, `${path} shows the data`);
      assert.match(text, /Consent, enrolment and unsubscribe events|Your consent history/, path);
      for (const bad of [
        /\$argon2/,
        /blind|_index|email_index/,
        /consent_events|subject_identifiers|sealed/,
        /account\.service|marketing\.email/,
        /[{]"/,
      ])
        assert.doesNotMatch(text, bad, `${path} shows ${bad}`);
      assert.doesNotMatch(text, /Signed in as \[deleted\]/);
      const json = await page.request.get(
        `${base}${await page.getByTestId('download-json').getAttribute('href')}`,
      );
      assert.equal(json.status(), 200);
      assert.ok((await json.json()).sections.length > 0);
      const csv = await page.request.get(
        `${base}${await page.getByTestId('download-csv').getAttribute('href')}`,
      );
      assert.match(await csv.text(), /^"Section","Record","Information","Value"/);
    }
    await context.close();
  });

  it('the demo storefront records the contest, text message and catalog forms', async () => {
    const context = await contextAt(1280, 900);
    const page = await context.newPage();
    await page.goto(`${base}/demo/store`);
    await page.getByTestId('vow-reject').click();
    await page.fill('#contest-email', 'demo.contest@example.com');
    await Promise.all([page.waitForURL(/sent=contest/), page.click('[data-testid=contest-form] button')]);
    await page.getByTestId('contest-sent').waitFor();
    await page.fill('#sms-phone', '(608) 555-0142');
    await page.check('[data-testid=sms-form] input[name=consent]');
    await Promise.all([page.waitForURL(/sent=sms/), page.click('[data-testid=sms-form] button')]);
    await page.getByTestId('sms-sent').waitFor();
    await page.fill('#cat-first', 'Demo');
    await page.fill('#cat-last', 'Reader');
    await page.fill('#cat-email', 'demo.catalog@example.com');
    await page.fill('#cat-line1', '1 Main Street');
    await page.fill('#cat-city', 'Franklin');
    await page.fill('#cat-postal', '53132');
    await page.selectOption('#cat-relationship_status', 'engaged');
    await page.check('input[name=jewelry_types][value=earrings]');
    await page.selectOption('#cat-budget', '500_1000');
    await page.selectOption('#cat-age_range', '25_34');
    await page.selectOption('#cat-residence_type', 'suburban');
    await Promise.all([page.waitForURL(/sent=catalog/), page.click('[data-testid=catalog-form] button')]);
    await page.getByTestId('catalog-sent').waitFor();
    const count = async (table: 'contest_entries' | 'sms_signups' | 'catalog_requests') =>
      Number(
        (
          await env.store.db
            .selectFrom(table)
            .select((eb) => eb.fn.countAll().as('n'))
            .executeTakeFirstOrThrow()
        ).n,
      );
    assert.ok((await count('contest_entries')) >= 2);
    assert.equal(await count('sms_signups'), 1);
    assert.equal(await count('catalog_requests'), 1);
    await context.close();
  });
});
