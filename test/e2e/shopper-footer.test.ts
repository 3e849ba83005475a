// A shopper page shorter than the window ends with its footer at the window's bottom, at 1280 and
// 390 px: its band once stopped half-way down the log-in page with bare page below it. On a long page
// the footer still follows the content, and the page's last line keeps clear of the "Cookie settings"
// button (the footer holds that room now).
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { SKIP_BROWSER, servedVowForSuite } from '../helpers/browser.js';

describe('shopper pages: the footer', {
  skip: SKIP_BROWSER ? 'no Chromium on this machine' : false,
}, () => {
  const served = servedVowForSuite();

  const measure = async (path: string, width: number, height: number) => {
    const page = await served.browser.newPage({ viewport: { width, height } });
    await page.goto(`${served.baseUrl}${path}`);
    const out = await page.evaluate(() => {
      const footer = document.querySelector('footer.site') as HTMLElement;
      const main = document.querySelector('main') as HTMLElement;
      const last = footer.querySelector('p:last-of-type') as HTMLElement;
      return {
        footerBottom: footer.getBoundingClientRect().bottom + window.scrollY,
        pageHeight: document.documentElement.scrollHeight,
        mainWidth: main.getBoundingClientRect().width,
        roomBelowText: footer.getBoundingClientRect().bottom - last.getBoundingClientRect().bottom,
        sideways: document.documentElement.scrollWidth > window.innerWidth,
      };
    });
    await page.close();
    return out;
  };

  for (const [width, height] of [
    [1280, 900],
    [390, 844],
  ] as const)
    it(`ends at the window's bottom on a short page, after the content on a long one (${width} px)`, async () => {
      for (const path of ['/login', '/account/reset-request']) {
        const m = await measure(path, width, height);
        // Nothing below the footer; on a desktop these pages fit the window, the footer at its bottom.
        assert.ok(
          Math.abs(m.footerBottom - m.pageHeight) <= 1,
          `${path}: footer ends at ${m.footerBottom} of ${m.pageHeight}`,
        );
        assert.ok(m.pageHeight >= height, `${path}: ${m.pageHeight} px`);
        if (width === 1280) assert.equal(m.pageHeight, height, `${path} fits the window`);
        assert.ok(
          m.roomBelowText >= 56,
          `${path}: ${m.roomBelowText} px kept for the Cookie settings button`,
        );
        assert.equal(m.sideways, false);
        assert.ok(
          m.mainWidth <= 960 + 1 && m.mainWidth >= Math.min(width, 960) - 1,
          `${path}: main ${m.mainWidth} px`,
        );
      }
      const long = await measure('/privacy', width, height);
      assert.ok(long.pageHeight > height * 3);
      assert.ok(Math.abs(long.footerBottom - long.pageHeight) <= 1, 'the notice: the footer is last');
    });
});
