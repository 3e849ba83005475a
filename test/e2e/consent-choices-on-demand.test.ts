// The banner's choices load on demand: a first visit gets the first layer only (the script, with
// its stylesheet inside, and /v1/consent/banner); pressing Choose loads the choices' script and
// the whole config, moves focus into them, says so while they take a moment and offers "Try
// again" when they fail. In Chromium, on a plain shop page served from Vow's origin.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { BrowserContext, Page, Route } from 'playwright-core';
import { pageErrors, SKIP_BROWSER, startServedVow } from '../helpers/browser.js';

describe('the banner’s choices, loaded on demand, in Chromium', {
  skip: SKIP_BROWSER ? 'no Chromium on this machine' : false,
}, () => {
  let served: Awaited<ReturnType<typeof startServedVow>>;
  /** The shop page, in English unless `html` says otherwise (the banner speaks the page's language). */
  let shopPage: (html?: string) => string = () => '';
  before(async () => {
    served = await startServedVow();
    const info = (await served.env.app.inject({ method: 'GET', url: '/v1/consent/script-info' })).json();
    // The tag as /v1/consent/script-info hands it out, on a page holding no preference centre.
    const tag = info.tag.replaceAll('http://127.0.0.1:4700', served.baseUrl);
    shopPage = (
      html = ' lang="en"',
    ) => `<!doctype html><html${html}><head><meta charset="utf-8"><title>Rings</title>
<link rel="icon" href="data:,">${tag}</head><body><main><h1>Rings</h1><p>Hand-set stones.</p></main></body></html>`;
  });
  after(async () => {
    await served?.close();
  });

  /** A fresh visitor on the shop page (served at /shop on Vow's origin), with every request to Vow recorded. */
  async function visit(
    options: { locale?: string; html?: string; route?: (context: BrowserContext) => Promise<unknown> } = {},
  ): Promise<{ context: BrowserContext; page: Page; asked: string[]; errors: string[] }> {
    const context = await served.browser.newContext(options.locale ? { locale: options.locale } : {});
    await context.route(`${served.baseUrl}/shop`, (route) =>
      route.fulfill({ contentType: 'text/html; charset=utf-8', body: shopPage(options.html) }),
    );
    await options.route?.(context);
    const page = await context.newPage();
    const errors = pageErrors(page);
    const asked: string[] = [];
    page.on('request', (r) => {
      const url = new URL(r.url());
      if (url.pathname !== '/shop') asked.push(url.pathname);
    });
    await page.goto(`${served.baseUrl}/shop`);
    await page.getByTestId('vow-banner').waitFor();
    return { context, page, asked, errors };
  }

  const focused = (page: Page) =>
    page.evaluate(() => {
      const a = document.activeElement;
      return a?.getAttribute('data-vow-category') ?? a?.getAttribute('data-testid') ?? a?.tagName ?? '';
    });

  /** Tab until the element matching `selector` has focus (at most 12 presses). */
  async function tabTo(page: Page, selector: string): Promise<void> {
    for (let i = 0; i < 12; i++) {
      if (await page.evaluate((s) => document.activeElement?.matches(s) === true, selector)) return;
      await page.keyboard.press('Tab');
    }
    assert.fail(`never reached ${selector} with Tab`);
  }

  it('a first visit loads only the first layer; Choose, by keyboard, loads the choices and moves focus into them', async () => {
    const { context, page, asked, errors } = await visit();
    // The banner is styled (its stylesheet is inside the script), and nothing of the choices came.
    const position = await page.getByTestId('vow-banner').evaluate((e) => getComputedStyle(e).position);
    assert.equal(position, 'fixed');
    assert.deepEqual(asked.sort(), ['/consent.js', '/v1/consent/banner']);
    assert.equal(await page.locator('#vow-cc-choices').isHidden(), true);

    const loaded = Promise.all([
      page.waitForResponse((r) => r.url().includes('/consent-choices.js?v=')),
      page.waitForResponse((r) => new URL(r.url()).pathname === '/v1/consent/config'),
    ]);
    await tabTo(page, '[data-testid=vow-choose]');
    await page.keyboard.press('Enter');
    await loaded;
    await page.locator('input[data-vow-category="analytics"]:focus').waitFor();
    assert.equal(await page.getByTestId('vow-choose').getAttribute('aria-expanded'), 'true');
    assert.equal(await page.locator('#vow-cc-choices').getAttribute('aria-busy'), null);
    // The choices are all there: a switch per category, its cookies, the GA switch, Save.
    assert.equal(await page.locator('input[data-vow-category]').count(), 4);
    assert.equal(await page.locator('input[data-vow-category="strictly_necessary"]').isDisabled(), true);
    assert.equal(await page.locator('#vow-cc-choices details.vow-cc-cookies').count(), 4);
    assert.equal(await page.locator('input[data-vow-ga]').count(), 1);
    // Their stylesheet came inside their script: the checkboxes have the banner's size.
    const width = await page.locator('input[data-vow-category="analytics"]').evaluate((e) => e.clientWidth);
    assert.ok(width > 14 && width < 22, `a checkbox ${width} px wide`);
    // By keyboard: Space ticks analytics, Tab reaches Save, Enter records it.
    await page.keyboard.press('Space');
    await tabTo(page, '[data-testid=vow-save]');
    const chosen = page.waitForResponse((r) => r.url().endsWith('/v1/consent/choices'));
    await page.keyboard.press('Enter');
    const state = await (await chosen).json();
    assert.deepEqual(state.categories, { analytics: true, layout_experiments: false, advertising: false });
    await page.getByTestId('vow-banner').waitFor({ state: 'detached' });
    assert.equal(await focused(page), 'vow-preferences', 'focus given back to Cookie settings');
    // Each was fetched once; the stylesheet files never were (a browser with constructed stylesheets).
    assert.equal(asked.filter((p) => p === '/consent-choices.js').length, 1);
    assert.equal(asked.filter((p) => p.endsWith('.css')).length, 0);
    assert.deepEqual(errors, []);
    await context.close();
  });

  it('Escape still means "only strictly necessary" with the choices open, and a second Choose reuses what loaded', async () => {
    const { context, page, asked, errors } = await visit();
    await page.getByTestId('vow-choose').click();
    await page.locator('input[data-vow-category="analytics"]:focus').waitFor();
    await page.getByTestId('vow-choose').click();
    assert.equal(await page.locator('#vow-cc-choices').isHidden(), true);
    await page.getByTestId('vow-choose').click();
    await page.locator('input[data-vow-category="analytics"]:focus').waitFor();
    const chosen = page.waitForResponse((r) => r.url().endsWith('/v1/consent/choices'));
    await page.keyboard.press('Escape');
    const state = await (await chosen).json();
    assert.deepEqual(state.categories, { analytics: false, layout_experiments: false, advertising: false });
    await page.getByTestId('vow-banner').waitFor({ state: 'detached' });
    // Cookie settings reopens the banner with the choices, from what already loaded.
    await page.getByTestId('vow-preferences').click();
    await page.locator('input[data-vow-category="analytics"]').waitFor();
    assert.equal(asked.filter((p) => p === '/consent-choices.js').length, 1);
    assert.equal(asked.filter((p) => p === '/v1/consent/config').length, 1);
    assert.deepEqual(errors, []);
    await context.close();
  });

  it('Accept all on a first visit: the measurements’ sender comes after the click, then the page view', async () => {
    const { context, page, asked, errors } = await visit();
    assert.deepEqual([...asked].sort(), ['/consent.js', '/v1/consent/banner']);
    const pageView = page.waitForResponse((r) => r.url().endsWith('/v1/collect') && r.status() === 204);
    await page.getByTestId('vow-accept').click();
    const sent = JSON.parse((await pageView).request().postData() ?? '{}');
    assert.equal(sent.type, 'page_view');
    assert.equal(sent.path, '/shop');
    assert.ok(asked.includes('/consent-choices.js'), 'its code came');
    assert.ok(!asked.includes('/v1/consent/config'), 'not the choices’ config: nothing shows them');
    // track() answers at once, as before: sent (allowed), the beacon follows.
    const cart = page.waitForResponse((r) => r.url().endsWith('/v1/collect') && r.status() === 204);
    const tracked = await page.evaluate(() =>
      (window as unknown as { vowConsent: { track(t: string, d: object): boolean } }).vowConsent.track(
        'add_to_cart',
        { valueCents: 4999, currency: 'USD' },
      ),
    );
    assert.equal(tracked, true);
    assert.equal(JSON.parse((await cart).request().postData() ?? '{}').type, 'add_to_cart');
    assert.deepEqual(errors, []);
    await context.close();
  });

  it('Reject all sends nothing and loads nothing more', async () => {
    const { context, page, asked, errors } = await visit();
    await page.getByTestId('vow-reject').click();
    await page.getByTestId('vow-banner').waitFor({ state: 'detached' });
    const tracked = await page.evaluate(() =>
      (window as unknown as { vowConsent: { track(t: string, d: object): boolean } }).vowConsent.track(
        'add_to_cart',
        {},
      ),
    );
    assert.equal(tracked, false);
    assert.deepEqual([...asked].sort(), ['/consent.js', '/v1/consent/banner', '/v1/consent/choices']);
    assert.deepEqual(errors, []);
    await context.close();
  });

  it('in Spanish: the first layer and the choices in the visitor’s language, on a page that names none', async () => {
    const { context, page, errors } = await visit({ locale: 'es-US', html: '' });
    assert.equal(await page.getByTestId('vow-choose').textContent(), 'Elegir');
    assert.equal(await page.getByTestId('vow-banner').getAttribute('lang'), 'es-US');
    await page.getByTestId('vow-choose').click();
    await page.getByTestId('vow-save').waitFor();
    assert.equal(await page.getByTestId('vow-save').textContent(), 'Guardar mis opciones');
    assert.match(
      (await page.locator('#vow-cc-choices').textContent()) ?? '',
      /Cookies y herramientas \(\d\).*Incluido Google Analytics/s,
    );
    assert.deepEqual(errors, []);
    await context.close();
  });

  it('says "Loading the choices…" while they take a moment, then shows them', async () => {
    let release: () => void = () => {};
    const held = new Promise<void>((resolve) => {
      release = resolve;
    });
    const { context, page, errors } = await visit({
      route: (c) =>
        c.route(/\/consent-choices\.js/, async (route: Route) => {
          await held;
          await route.continue();
        }),
    });
    await page.getByTestId('vow-choose').click();
    const status = page.getByTestId('vow-choices-status');
    await status.getByText('Loading the choices…').waitFor();
    assert.equal(await status.getAttribute('role'), 'status');
    assert.equal(await page.locator('#vow-cc-choices').getAttribute('aria-busy'), 'true');
    // The first layer's choices still work meanwhile.
    assert.equal(await page.getByTestId('vow-accept').isEnabled(), true);
    release();
    await page.locator('input[data-vow-category="analytics"]:focus').waitFor();
    assert.equal(await status.count(), 0);
    assert.deepEqual(errors, []);
    await context.close();
  });

  it('when the choices cannot load: a clear message and Try again (focused), which loads them', async () => {
    let failing = true;
    const { context, page } = await visit({
      route: (c) =>
        c.route(/\/v1\/consent\/config(\?|$)/, (route: Route) =>
          failing ? route.abort() : route.continue(),
        ),
    });
    await page.getByTestId('vow-choose').click();
    const failed = page.getByTestId('vow-choices-failed');
    await failed.waitFor();
    assert.equal(await failed.textContent(), 'The choices could not be loaded.');
    assert.equal(await failed.getAttribute('role'), 'alert');
    assert.equal(await focused(page), 'vow-retry');
    assert.equal(await page.getByTestId('vow-retry').textContent(), 'Try again');
    failing = false;
    await page.keyboard.press('Enter');
    await page.locator('input[data-vow-category="analytics"]:focus').waitFor();
    assert.equal(await failed.count(), 0);
    // Reject all works as ever.
    await page.getByTestId('vow-reject').click();
    await page.getByTestId('vow-banner').waitFor({ state: 'detached' });
    await context.close();
  });

  it('when the choices’ script fails (its integrity, its network), Try again fetches it again', async () => {
    let failing = true;
    const { context, page } = await visit({
      route: (c) =>
        c.route(/\/consent-choices\.js/, (route: Route) =>
          failing
            ? route.fulfill({ contentType: 'text/javascript', body: 'window.tampered = true;' })
            : route.continue(),
        ),
    });
    await page.getByTestId('vow-choose').click();
    await page.getByTestId('vow-choices-failed').waitFor();
    assert.equal(
      await page.evaluate(() => 'tampered' in window),
      false,
      'a script not matching its hash never runs',
    );
    failing = false;
    await page.getByTestId('vow-retry').click();
    await page.locator('input[data-vow-category="analytics"]:focus').waitFor();
    await context.close();
  });
});
