import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { GppModel } from '@iabgpp/cmpapi';
import type { BrowserContext, Page } from 'playwright-core';
import { pageErrors, SKIP_BROWSER, servedVowForSuite } from '../helpers/browser.js';
import { acceptedUnderOlderVersion } from '../helpers/cookie-consent.js';

type GtagCall = [string, string, Record<string, unknown>];

declare global {
  interface Window {
    __gtagCalls: GtagCall[];
  }
}

// Init scripts are passed as source text: functions compiled by tsx carry helpers the page lacks.
/** A stub gtag installed before any page script, recording every call (Consent Mode included). */
const STUB_GTAG =
  'window.__gtagCalls = []; window.gtag = function () { window.__gtagCalls.push(Array.prototype.slice.call(arguments)); };';
/** A browser sending Global Privacy Control (navigator.globalPrivacyControl === true). */
const FORCE_GPC =
  "Object.defineProperty(Navigator.prototype, 'globalPrivacyControl', { get: function () { return true; }, configurable: true });";

describe('consent script on the demo storefront in Chromium', {
  skip: SKIP_BROWSER ? 'no Chromium on this machine' : false,
}, () => {
  const served = servedVowForSuite();

  async function open(
    options: { gpc?: boolean } = {},
  ): Promise<{ context: BrowserContext; page: Page; errors: string[]; collects: string[] }> {
    const context = await served.browser.newContext(
      options.gpc ? { extraHTTPHeaders: { 'Sec-GPC': '1' } } : {},
    );
    await context.addInitScript({ content: STUB_GTAG });
    if (options.gpc) await context.addInitScript({ content: FORCE_GPC });
    const page = await context.newPage();
    const errors = pageErrors(page);
    const collects: string[] = [];
    page.on('request', (r) => {
      if (r.url().endsWith('/v1/collect')) collects.push(r.postData() ?? '');
    });
    return { context, page, errors, collects };
  }

  const gtagCalls = (page: Page) => page.evaluate(() => window.__gtagCalls);
  const visitorFrom = async (context: BrowserContext): Promise<string> => {
    const cookie = (await context.cookies()).find((c) => c.name === 'vow_consent');
    assert.ok(cookie, 'the consent cookie is set');
    return JSON.parse(decodeURIComponent(cookie.value)).v;
  };
  const rowsOf = (visitor: string) =>
    served.env.store.db
      .selectFrom('analytics_events')
      .selectAll()
      .where('visitor_id', '=', served.env.services.cookieConsent.visitorIndex(visitor))
      .orderBy('id')
      .execute();
  const collected = (page: Page) =>
    page.waitForResponse((r) => r.url().endsWith('/v1/collect') && r.status() === 204);

  it('shows the banner with three equally easy choices, and Reject all leaves no analytics cookie and sends no event', async () => {
    const { context, page, errors, collects } = await open();
    await page.goto(`${served.baseUrl}/demo/store`);
    const banner = page.getByTestId('vow-banner');
    await banner.waitFor();
    // Consent Mode: denied by default, before anything else.
    const first = (await gtagCalls(page))[0];
    assert.deepEqual(first?.slice(0, 2), ['consent', 'default']);
    assert.deepEqual(
      { ...first?.[2], wait_for_update: undefined },
      {
        ad_storage: 'denied',
        analytics_storage: 'denied',
        ad_user_data: 'denied',
        ad_personalization: 'denied',
        wait_for_update: undefined,
      },
    );
    // Same size, same style, same level.
    const buttons = [
      page.getByTestId('vow-accept'),
      page.getByTestId('vow-reject'),
      page.getByTestId('vow-choose'),
    ];
    const boxes = await Promise.all(buttons.map((b) => b.boundingBox()));
    const styles = await Promise.all(
      buttons.map((b) =>
        b.evaluate((el) => {
          const s = getComputedStyle(el);
          return [
            s.backgroundColor,
            s.color,
            s.fontSize,
            s.fontWeight,
            s.borderTopWidth,
            s.borderTopColor,
          ].join('|');
        }),
      ),
    );
    for (const box of boxes) {
      assert.ok(box);
      assert.ok(Math.abs(box.width - boxes[0]!.width) < 1, 'same width');
      assert.ok(Math.abs(box.height - boxes[0]!.height) < 1, 'same height');
      assert.ok(Math.abs(box.y - boxes[0]!.y) < 1, 'same level');
    }
    assert.equal(new Set(styles).size, 1, 'same style');

    await page.getByTestId('vow-reject').click();
    await banner.waitFor({ state: 'detached' });
    const update = (await gtagCalls(page)).find((c) => c[0] === 'consent' && c[1] === 'update');
    assert.deepEqual(update?.[2], {
      ad_storage: 'denied',
      analytics_storage: 'denied',
      ad_user_data: 'denied',
      ad_personalization: 'denied',
    });
    // The shop still works (P18).
    await page.getByRole('button', { name: 'Add Classic stud earrings to cart' }).click();
    assert.equal(await page.getByTestId('cart-count').textContent(), '1');
    await page.getByRole('button', { name: 'Add Lab-grown diamond solitaire ring to cart' }).click();
    // Prices and the count in the page's language, the unit by plural rule.
    const cartLine = async () =>
      ((await page.getByTestId('cart-count').locator('..').textContent()) ?? '').trim();
    assert.equal(await cartLine(), 'Cart: 2 items, $1,798.00');
    assert.ok(await page.getByText('$1,299.00', { exact: true }).isVisible(), "the ring's price");
    await page.getByTestId('place-order').click();
    assert.equal(
      await page.getByTestId('order-status').textContent(),
      'Thank you: your order of 2 items ($1,798.00) is placed.',
    );
    assert.equal(await cartLine(), 'Cart: 0 items, $0.00');
    // Only the strictly necessary cookie: a random id and the choice.
    const cookies = await context.cookies();
    assert.deepEqual(
      cookies.map((c) => c.name),
      ['vow_consent'],
    );
    const value = JSON.parse(decodeURIComponent(cookies[0]!.value));
    assert.deepEqual(Object.keys(value).sort(), ['c', 'cv', 'ga', 'gpc', 'v']);
    assert.deepEqual(value.c, { analytics: false, layout_experiments: false, advertising: false });
    // A reload remembers the refusal and still sends nothing.
    await page.reload();
    await page.getByTestId('vow-preferences').waitFor();
    await page.getByRole('button', { name: 'Add Tennis bracelet to cart' }).click();
    assert.equal(await page.getByTestId('vow-banner').count(), 0);
    assert.deepEqual(collects, []);
    assert.deepEqual(await rowsOf(value.v), []);
    const ledger = await served.env.services.cookieConsent.state(value.v);
    assert.equal(ledger.channels['cookies.analytics'], false);
    assert.equal(ledger.answered, true);
    assert.deepEqual(errors, []);
    await context.close();
  });

  it('Accept all grants Consent Mode and sends page views and commerce events; the preference link withdraws as easily', async () => {
    const { context, page, errors } = await open();
    await page.goto(`${served.baseUrl}/demo/store`);
    await page.getByTestId('vow-banner').waitFor();
    const pageView = collected(page);
    await page.getByTestId('vow-accept').click();
    await pageView;
    const update = (await gtagCalls(page)).filter((c) => c[0] === 'consent' && c[1] === 'update').at(-1);
    assert.deepEqual(update?.[2], {
      ad_storage: 'granted',
      analytics_storage: 'granted',
      ad_user_data: 'granted',
      ad_personalization: 'granted',
    });
    const cart = collected(page);
    await page.getByRole('button', { name: 'Add Lab-grown diamond solitaire ring to cart' }).click();
    await cart;
    const order = collected(page);
    await page.getByTestId('place-order').click();
    await order;
    // Visit duration: the page is hidden, the script reports the visible time.
    const engagement = collected(page);
    await page.evaluate(() => {
      Object.defineProperty(document, 'visibilityState', { value: 'hidden', configurable: true });
      document.dispatchEvent(new Event('visibilitychange'));
    });
    await engagement;
    const visitor = await visitorFrom(context);
    const rows = await rowsOf(visitor);
    assert.deepEqual(
      rows.map((r) => r.type),
      ['page_view', 'add_to_cart', 'order_completed', 'engagement'],
    );
    assert.ok(
      rows.every((r) => r.path === '/demo/store' && r.area === 'catalog' && r.browser_family === 'chrome'),
    );
    assert.equal(Number(rows[1]!.value_cents), 129_900);
    assert.equal(rows[1]!.currency, 'USD');
    assert.ok((rows[3]!.duration_ms ?? -1) >= 0);

    // Withdrawing: the preference link, then Reject all; nothing more is sent.
    await page.getByTestId('vow-preferences').click();
    await page.getByTestId('vow-banner').waitFor();
    await page.getByTestId('vow-reject').click();
    await page.getByTestId('vow-banner').waitFor({ state: 'detached' });
    await page.getByRole('button', { name: 'Add Tennis bracelet to cart' }).click();
    const state = await served.env.services.cookieConsent.state(visitor);
    assert.equal(state.channels['cookies.analytics'], false);
    assert.equal((await rowsOf(visitor)).length, 4);
    assert.deepEqual(errors, []);
    await context.close();
  });

  it('with Global Privacy Control, turns advertising off (recorded as gpc) even after Accept all', async () => {
    const { context, page, errors } = await open({ gpc: true });
    const signal = page.waitForResponse((r) => r.url().endsWith('/v1/consent/choices') && r.status() === 200);
    await page.goto(`${served.baseUrl}/demo/store`);
    await page.getByTestId('vow-banner').waitFor();
    // The GPC signal is recorded before any click.
    const signalled = await (await signal).json();
    assert.equal(signalled.gpc, true);
    assert.equal(signalled.answered, false);
    await page.getByTestId('vow-choose').click();
    assert.equal(await page.locator('input[data-vow-category="advertising"]').isDisabled(), true);
    assert.equal(await page.locator('input[data-vow-category="advertising"]').isChecked(), false);
    await page.getByTestId('vow-accept').click();
    await page.getByTestId('vow-banner').waitFor({ state: 'detached' });
    const update = (await gtagCalls(page)).filter((c) => c[0] === 'consent' && c[1] === 'update').at(-1);
    assert.deepEqual(update?.[2], {
      ad_storage: 'denied',
      analytics_storage: 'granted',
      ad_user_data: 'denied',
      ad_personalization: 'denied',
    });
    const gpp = await page.evaluate(() =>
      (window as unknown as { vowConsent: { gppString(): string } }).vowConsent.gppString(),
    );
    const model = new GppModel(gpp);
    assert.equal(model.getFieldValue('usnat', 'Gpc'), true);
    assert.equal(model.getFieldValue('usnat', 'SaleOptOut'), 1);
    assert.equal(model.getFieldValue('usnat', 'TargetedAdvertisingOptOut'), 1);
    const visitor = await visitorFrom(context);
    assert.equal(visitor, signalled.visitor, 'the signal and the choice belong to one visitor');
    const ads = await served.env.store.db
      .selectFrom('consent_events')
      .select(['event', 'cause_type'])
      .where('subject_ref', '=', served.env.services.cookieConsent.subjectRef(visitor))
      .where('channel', '=', 'cookies.advertising')
      .execute();
    assert.deepEqual(ads, [{ event: 'withdrawn', cause_type: 'gpc' }]);
    assert.deepEqual(errors, []);
    await context.close();
  });

  it('offers the Google Analytics opt-out on the page: GA stops, the rest of analytics stays', async () => {
    const { context, page, errors } = await open();
    await page.goto(`${served.baseUrl}/demo/store`);
    await page.getByTestId('vow-accept').click();
    await page.getByTestId('vow-banner').waitFor({ state: 'detached' });
    const sw = page.getByTestId('vow-ga-switch');
    await sw.getByText('Opt out of Google Analytics').waitFor();
    // By keyboard: the button says what it does next, and the focus stays on it.
    await sw.focus();
    await page.keyboard.press('Enter');
    await page.getByTestId('vow-ga-switch').getByText('Turn Google Analytics on', { exact: true }).waitFor();
    assert.equal(
      await page.evaluate(() => document.activeElement?.getAttribute('data-testid')),
      'vow-ga-switch',
      'focus stays on the button',
    );
    const state = await served.env.services.cookieConsent.state(await visitorFrom(context));
    assert.equal(state.channels.google_analytics, false);
    assert.equal(state.channels['cookies.analytics'], true);
    const update = (await gtagCalls(page)).filter((c) => c[0] === 'consent' && c[1] === 'update').at(-1);
    assert.equal(update?.[2].analytics_storage, 'denied');
    assert.equal(update?.[2].ad_storage, 'granted');
    assert.deepEqual(errors, []);
    await context.close();
  });

  it('has a preference centre where a visitor changes the choice and opts out of Google Analytics', async () => {
    const { context, page, errors } = await open();
    await page.goto(`${served.baseUrl}/cookies/preferences`);
    await page.getByTestId('vow-banner').waitFor();
    await page.getByTestId('vow-accept').click();
    await page.getByTestId('vow-banner').waitFor({ state: 'detached' });
    await page.getByTestId('vow-ga-switch').getByText('Opt out of Google Analytics').click();
    await page.getByTestId('vow-ga-switch').getByText('Turn Google Analytics on', { exact: true }).waitFor();
    const visitor = await visitorFrom(context);
    assert.equal((await served.env.services.cookieConsent.state(visitor)).channels.google_analytics, false);
    // Change my cookie choices: the categories, refused one by one.
    await page.getByTestId('change-choices').click();
    await page.locator('input[data-vow-category="advertising"]').uncheck();
    await page.getByTestId('vow-save').click();
    await page.getByTestId('vow-banner').waitFor({ state: 'detached' });
    const state = await served.env.services.cookieConsent.state(visitor);
    assert.equal(state.channels['cookies.advertising'], false);
    assert.equal(state.channels['cookies.analytics'], true);
    assert.deepEqual(errors, []);
    await context.close();
  });

  it('asks again when the policy’s consentVersion changed since the stored choice', async () => {
    const visitor = await acceptedUnderOlderVersion(served.env, {
      policyVersion: 'an-older-policy',
      consentVersion: 'an-older-version',
    });
    const { context, page, errors, collects } = await open();
    const stored = {
      v: visitor,
      cv: 'an-older-version',
      c: { analytics: true, layout_experiments: true, advertising: true },
      ga: true,
      gpc: false,
    };
    await context.addCookies([
      { name: 'vow_consent', value: encodeURIComponent(JSON.stringify(stored)), url: served.baseUrl },
    ]);
    await page.goto(`${served.baseUrl}/demo/store`);
    await page.getByTestId('vow-banner').waitFor();
    const update = (await gtagCalls(page)).find((c) => c[0] === 'consent' && c[1] === 'update');
    assert.equal(update, undefined, 'an old grant does not turn Consent Mode on');
    await page.getByRole('button', { name: 'Add Tennis bracelet to cart' }).click();
    assert.deepEqual(collects, []);
    await page.getByTestId('vow-reject').click();
    await page.getByTestId('vow-banner').waitFor({ state: 'detached' });
    assert.equal(await visitorFrom(context), visitor, 'the same random id is kept');
    assert.deepEqual(errors, []);
    await context.close();
  });

  it('works with cookies disabled: the banner, the choice and the cart all work, nothing is stored in the browser', async () => {
    const { context, page, errors } = await open();
    const cdp = await context.newCDPSession(page);
    await cdp.send('Emulation.setDocumentCookieDisabled', { disabled: true });
    await page.goto(`${served.baseUrl}/demo/store`);
    await page.getByTestId('vow-banner').waitFor();
    await page.getByTestId('vow-accept').click();
    await page.getByTestId('vow-banner').waitFor({ state: 'detached' });
    await page.getByRole('button', { name: 'Add Classic stud earrings to cart' }).click();
    assert.equal(await page.getByTestId('cart-count').textContent(), '1');
    assert.equal(await page.evaluate(() => document.cookie), '');
    assert.deepEqual(await context.cookies(), []);
    // Next page: the choice could not be remembered, so the banner asks again; the page works.
    await page.reload();
    await page.getByTestId('vow-banner').waitFor();
    await page.getByRole('button', { name: 'Add Tennis bracelet to cart' }).click();
    assert.equal(await page.getByTestId('cart-count').textContent(), '1');
    assert.deepEqual(errors, []);
    await context.close();
  });
});
