// The cookie banner speaks the page's language, not the browser's: Vow's own /privacy?lang=es, a
// shop page with <html lang="es"> (with the tag's default preload, and with the preload
// /v1/consent/script-info?lang=es hands out), the tag's data-lang over <html lang>, and a language
// Vow does not have (the visitor's language, as before: English for an English browser). The
// choices the banner opens come in the same language. Chromium, on one dialect (nothing stored).
import assert from 'node:assert/strict';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { after, before, describe, it } from 'node:test';
import type { Browser, Page } from 'playwright-core';
import { BANNER_TEXT } from '../../src/modules/cookie-consent/banner-text.js';
import { BROWSER_DIALECT, launchChromium, pageErrors, SKIP_BROWSER } from '../helpers/browser.js';
import { createTestEnv, type TestEnv, testConfig } from '../helpers/env.js';

const EN = BANNER_TEXT['en-US'];
const ES = BANNER_TEXT['es-US'];

describe('the cookie banner in the page’s language', {
  skip: SKIP_BROWSER ? 'no Chromium on this machine' : false,
}, () => {
  let shop: Server;
  let shopUrl = '';
  let vowUrl = '';
  let env: TestEnv & { close: () => Promise<void> };
  let browser: Browser;
  /** The shop's pages by path: [the html element's attributes, the tag in the head]. */
  const pages = new Map<string, () => [string, string]>();

  before(async () => {
    shop = createServer((req, res) => {
      const made = pages.get(req.url ?? '');
      if (!made) return void res.writeHead(404).end();
      const [htmlAttrs, tag] = made();
      res.writeHead(200, { 'content-type': 'text/html; charset=utf-8', 'cache-control': 'no-store' });
      res.end(`<!doctype html><html${htmlAttrs}><head><title>Shop</title><link rel="icon" href="data:,">${tag}</head>
<body><main><h1>Anillos</h1><p id="ok">The shop page</p></main></body></html>`);
    });
    await new Promise<void>((resolve) => shop.listen(0, '127.0.0.1', resolve));
    shopUrl = `http://localhost:${(shop.address() as AddressInfo).port}`;
    env = await createTestEnv(BROWSER_DIALECT, { config: testConfig({ VOW_ALLOWED_ORIGINS: shopUrl }) });
    await env.app.listen({ port: 0, host: '127.0.0.1' });
    vowUrl = `http://127.0.0.1:${(env.app.server.address() as AddressInfo).port}`;
    /** The tag script-info hands out (for a page in `lang`, if given), pointed at this Vow. */
    const tagFor = async (lang?: string, scriptAttrs = '') => {
      const info = (
        await env.app.inject({ url: `/v1/consent/script-info${lang ? `?lang=${lang}` : ''}` })
      ).json();
      const src = new URL(info.src);
      const preload = String(info.preload).replaceAll(src.origin, vowUrl);
      return `${info.defaults}${preload}<script src="${vowUrl}${src.pathname}${src.search}" integrity="${info.integrity}" crossorigin="anonymous" data-vow-api="${vowUrl}"${scriptAttrs} defer></script>`;
    };
    const plain = await tagFor();
    const spanish = await tagFor('es');
    const overridden = await tagFor(undefined, ' data-lang="es"');
    pages.set('/es', () => [' lang="es"', plain]);
    pages.set('/es-mx-preloaded', () => [' lang="es-MX"', spanish]);
    pages.set('/en-data-lang-es', () => [' lang="en"', overridden]);
    pages.set('/fr', () => [' lang="fr"', plain]);
    pages.set('/en', () => [' lang="en"', plain]);
    browser = await launchChromium();
  });
  after(async () => {
    await browser?.close();
    await env?.close();
    await new Promise((r) => shop?.close(r));
  });

  /** A first visit in a browser speaking `locale`: the banner, its language and the config requests. */
  async function visit(url: string, locale = 'en-US') {
    const context = await browser.newContext({ locale });
    const page = await context.newPage();
    const errors = pageErrors(page);
    const configs: string[] = [];
    page.on('request', (r) => {
      if (r.url().includes('/v1/consent/banner')) configs.push(r.url().replace(vowUrl, ''));
    });
    await page.goto(url);
    const banner = page.getByTestId('vow-banner');
    await banner.waitFor();
    return { context, page, errors, configs, lang: await banner.getAttribute('lang') };
  }

  async function acceptText(page: Page) {
    return page.getByTestId('vow-accept').textContent();
  }

  it('shows Vow’s Spanish notice with a Spanish banner to an English browser', async () => {
    const v = await visit(`${vowUrl}/privacy?lang=es`);
    assert.equal(await v.page.getAttribute('html', 'lang'), 'es');
    assert.equal(v.lang, 'es-US');
    assert.equal(await acceptText(v.page), ES.accept);
    // The choices it opens are Spanish too (their words come from the whole config).
    await v.page.getByTestId('vow-choose').click();
    await v.page.locator('#vow-cc-choices input').first().waitFor();
    const choices = await v.page.locator('#vow-cc-choices').textContent();
    const es = (await env.app.inject({ url: '/v1/consent/config?lang=es' })).json();
    const en = (await env.app.inject({ url: '/v1/consent/config?lang=en' })).json();
    assert.ok(choices?.includes(es.categories[1].title), choices ?? '');
    assert.notEqual(es.categories[1].title, en.categories[1].title);
    // And in English, the English notice's banner is English.
    const e = await visit(`${vowUrl}/privacy?lang=en`, 'es-ES');
    assert.equal(e.lang, 'en-US');
    assert.equal(await acceptText(e.page), EN.accept);
    assert.deepEqual([...v.errors, ...e.errors], []);
    await v.context.close();
    await e.context.close();
  });

  it('shows a shop page in Spanish with a Spanish banner, whatever the browser speaks', async () => {
    const v = await visit(`${shopUrl}/es`);
    assert.equal(v.lang, 'es-US');
    assert.equal(await acceptText(v.page), ES.accept);
    assert.equal(await v.page.locator('#ok').textContent(), 'The shop page');
    // The tag's preload (no language) was answered in English, so the page's language was asked for.
    assert.ok(v.configs.includes('/v1/consent/banner?lang=es'), v.configs.join(' '));
    assert.deepEqual(v.errors, []);
    await v.context.close();
  });

  it('uses a preload that asks in the page’s language as it is: one request for the config', async () => {
    const v = await visit(`${shopUrl}/es-mx-preloaded`);
    assert.equal(v.lang, 'es-US');
    assert.equal(await acceptText(v.page), ES.accept);
    assert.deepEqual(v.configs, ['/v1/consent/banner?lang=es']);
    assert.deepEqual(v.errors, []);
    await v.context.close();
  });

  it('lets the tag’s data-lang win over <html lang>', async () => {
    const v = await visit(`${shopUrl}/en-data-lang-es`);
    assert.equal(v.lang, 'es-US');
    assert.equal(await acceptText(v.page), ES.accept);
    assert.deepEqual(v.errors, []);
    await v.context.close();
  });

  it('speaks the visitor’s language on a page in a language Vow does not have (English here), without an error', async () => {
    const v = await visit(`${shopUrl}/fr`);
    assert.equal(v.lang, 'en-US');
    assert.equal(await acceptText(v.page), EN.accept);
    assert.deepEqual(v.errors, []);
    await v.context.close();
  });

  it('keeps an English page’s banner English for a Spanish browser, and uses the preload as it is', async () => {
    const v = await visit(`${shopUrl}/en`, 'es-ES');
    assert.equal(v.lang, 'en-US');
    assert.equal(await acceptText(v.page), EN.accept);
    const en = await visit(`${shopUrl}/en`, 'en-US');
    assert.deepEqual(en.configs, ['/v1/consent/banner'], 'one request: the preloaded config');
    assert.deepEqual([...v.errors, ...en.errors], []);
    await v.context.close();
    await en.context.close();
  });
});
