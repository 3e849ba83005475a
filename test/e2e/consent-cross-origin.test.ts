import assert from 'node:assert/strict';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { after, before, describe, it } from 'node:test';
import type { Browser } from 'playwright-core';
import { launchChromium, pageErrors, SKIP_BROWSER } from '../helpers/browser.js';
import { createTestEnv, type TestEnv, testConfig } from '../helpers/env.js';

/** A shop on its own origin (localhost) loading the consent script from Vow (127.0.0.1). */
describe('consent script loaded from the shop’s origin', {
  skip: SKIP_BROWSER ? 'no Chromium on this machine' : false,
}, () => {
  let shop: Server;
  let shopUrl = '';
  let vowUrl = '';
  let env: TestEnv & { close: () => Promise<void> };
  let browser: Browser;

  before(async () => {
    let tag = '';
    shop = createServer((req, res) => {
      if (req.url === '/ring') {
        res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' });
        res.end(`<!doctype html><html><head><title>Shop</title><link rel="icon" href="data:,">${tag}</head>
<body><main data-vow-area="product"><h1>A ring</h1><p id="ok">The shop page</p></main></body></html>`);
      } else {
        res.writeHead(404).end();
      }
    });
    await new Promise<void>((resolve) => shop.listen(0, '127.0.0.1', resolve));
    shopUrl = `http://localhost:${(shop.address() as AddressInfo).port}`;
    env = await createTestEnv('sqlite', { config: testConfig({ VOW_ALLOWED_ORIGINS: shopUrl }) });
    await env.app.listen({ port: 0, host: '127.0.0.1' });
    vowUrl = `http://127.0.0.1:${(env.app.server.address() as AddressInfo).port}`;
    const info = (await env.app.inject({ method: 'GET', url: '/v1/consent/script-info' })).json();
    const src = new URL(info.src);
    // The tag /v1/consent/script-info hands out, pointed at this Vow's address.
    tag = `${info.defaults}<script src="${vowUrl}${src.pathname}${src.search}" integrity="${info.integrity}" crossorigin="anonymous" data-vow-api="${vowUrl}" defer></script>`;
    browser = await launchChromium();
  });
  after(async () => {
    await browser?.close();
    await env?.close();
    await new Promise((r) => shop?.close(r));
  });

  it('passes the integrity check, records the choice with Vow and sends measurements across origins', async () => {
    const context = await browser.newContext();
    const page = await context.newPage();
    const errors = pageErrors(page);
    await page.goto(`${shopUrl}/ring`);
    await page.getByTestId('vow-banner').waitFor();
    const sent = page.waitForResponse((r) => r.url() === `${vowUrl}/v1/collect` && r.status() === 204);
    await page.getByTestId('vow-accept').click();
    await sent;
    const cookie = (await context.cookies(shopUrl)).find((c) => c.name === 'vow_consent');
    assert.ok(cookie, 'the consent cookie is first party, on the shop’s origin');
    const visitor = JSON.parse(decodeURIComponent(cookie.value)).v;
    const rows = await env.store.db
      .selectFrom('analytics_events')
      .selectAll()
      .where('visitor_id', '=', env.services.cookieConsent.visitorIndex(visitor))
      .execute();
    assert.deepEqual(
      rows.map((r) => [r.type, r.path, r.area]),
      [['page_view', '/ring', 'product']],
    );
    assert.equal(await page.locator('#ok').textContent(), 'The shop page');
    assert.deepEqual(errors, []);
    await context.close();
  });

  it('loads the choices across origins when the visitor presses Choose: their script passes its integrity check', async () => {
    const context = await browser.newContext();
    const page = await context.newPage();
    const errors = pageErrors(page);
    await page.goto(`${shopUrl}/ring`);
    await page.getByTestId('vow-banner').waitFor();
    const chunk = page.waitForResponse((r) => r.url().startsWith(`${vowUrl}/consent-choices.js?v=`));
    await page.getByTestId('vow-choose').click();
    assert.equal((await chunk).status(), 200);
    await page.locator('input[data-vow-category="analytics"]').check();
    const chosen = page.waitForResponse((r) => r.url() === `${vowUrl}/v1/consent/choices`);
    await page.getByTestId('vow-save').click();
    const state = await (await chosen).json();
    assert.deepEqual(state.categories, { analytics: true, layout_experiments: false, advertising: false });
    assert.deepEqual(errors, []);
    await context.close();
  });

  it('a returning visitor who allowed measurements: the ledger after load, the sender from the browser cache', async () => {
    const context = await browser.newContext();
    const page = await context.newPage();
    await page.goto(`${shopUrl}/ring`);
    await page.getByTestId('vow-banner').waitFor();
    const first = page.waitForResponse((r) => r.url() === `${vowUrl}/v1/collect`);
    await page.getByTestId('vow-accept').click();
    await first;
    const chunksBefore = await served('/consent-choices.js');
    const visitor = JSON.parse(
      decodeURIComponent((await context.cookies(shopUrl)).find((c) => c.name === 'vow_consent')!.value),
    ).v;
    const pageViews = async () =>
      (
        await env.store.db
          .selectFrom('analytics_events')
          .select('type')
          .where('visitor_id', '=', env.services.cookieConsent.visitorIndex(visitor))
          .where('type', '=', 'page_view')
          .execute()
      ).length;
    // The next page's view, among the measurements that reach Vow (a cross-origin beacon's body
    // is not shown to the test: the ledger says what arrived).
    const secondView = new Promise<void>((resolve) => {
      page.on('response', async (r) => {
        if (r.url() === `${vowUrl}/v1/collect` && (await pageViews()) === 2) resolve();
      });
    });
    await page.goto(`${shopUrl}/ring`);
    await secondView;
    assert.equal(await served('/consent-choices.js'), chunksBefore, 'no request for it: it is cached');
    await context.close();
  });

  /** How many requests of a route Vow has answered (its request counter, every status). */
  async function served(route: string): Promise<number> {
    const text = await env.services.metrics.registry.metrics();
    return text
      .split('\n')
      .filter((l) => l.startsWith('vow_http_requests_total{') && l.includes(`route="${route}"`))
      .reduce((n, l) => n + Number(l.split(' ').at(-1)), 0);
  }

  it("asks Vow nothing before a returning visitor's page has loaded: config from the cache, the ledger after load", async () => {
    const context = await browser.newContext();
    const page = await context.newPage();
    await page.goto(`${shopUrl}/ring`);
    await page.getByTestId('vow-banner').waitFor();
    const chosen = page.waitForResponse((r) => r.url() === `${vowUrl}/v1/consent/choices`);
    await page.getByTestId('vow-reject').click();
    await chosen;
    // The next page of the same visitor.
    const configsBefore = await served('/v1/consent/banner');
    const choicesAsked: string[] = [];
    page.on('request', (r) => {
      if (/\/consent-choices\.|\/v1\/consent\/config/.test(r.url())) choicesAsked.push(r.url());
    });
    const stateAsked: number[] = [];
    page.on('request', (r) => {
      if (r.url() === `${vowUrl}/v1/consent/state`) stateAsked.push(Date.now());
    });
    const state = page.waitForResponse((r) => r.url() === `${vowUrl}/v1/consent/state`);
    await page.goto(`${shopUrl}/ring`);
    await state;
    const loadedAt = await page.evaluate(() => {
      const nav = performance.getEntriesByType('navigation')[0] as PerformanceNavigationTiming;
      return performance.timeOrigin + nav.loadEventEnd;
    });
    assert.equal(await served('/v1/consent/banner'), configsBefore, 'the config came from the browser cache');
    assert.deepEqual(choicesAsked, [], 'nor are the choices loaded for a page that does not show them');
    assert.equal(stateAsked.length, 1);
    assert.ok(
      stateAsked[0]! >= loadedAt - 5,
      `the ledger was asked ${loadedAt - stateAsked[0]!} ms before load`,
    );
    assert.equal(await page.getByTestId('vow-banner').count(), 0, 'no banner for a current choice');
    await context.close();
  });
});
