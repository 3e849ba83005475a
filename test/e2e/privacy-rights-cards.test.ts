// The notice's "Your rights" cards in Chromium: on a wide screen they fill their rows evenly (three
// columns left the fourth card alone on a row, seen in the screenshots), on a phone they are one
// column and nothing scrolls sideways.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { SKIP_BROWSER, servedVowForSuite } from '../helpers/browser.js';

describe('the notice: the rights cards', {
  skip: SKIP_BROWSER ? 'no Chromium on this machine' : false,
}, () => {
  const served = servedVowForSuite();

  /** The number of cards on each row, top to bottom, and whether the page scrolls sideways. */
  const layout = async (width: number) => {
    const page = await served.browser.newPage({ viewport: { width, height: 900 } });
    await page.goto(`${served.baseUrl}/privacy`);
    const out = await page.evaluate(() => {
      const rows = new Map<number, number>();
      for (const li of Array.from(document.querySelectorAll('[data-testid="your-rights"] .cards > li'))) {
        const top = Math.round(li.getBoundingClientRect().top);
        rows.set(top, (rows.get(top) ?? 0) + 1);
      }
      return {
        rows: [...rows.entries()].sort((a, b) => a[0] - b[0]).map((e) => e[1]),
        sideways: document.documentElement.scrollWidth > window.innerWidth,
      };
    });
    await page.close();
    return out;
  };

  it('two by two on a desktop, one column on a phone, no card alone on a row', async () => {
    const wide = await layout(1280);
    assert.deepEqual(wide.rows, [2, 2]);
    assert.equal(wide.sideways, false);
    const phone = await layout(390);
    assert.deepEqual(phone.rows, [1, 1, 1, 1]);
    assert.equal(phone.sideways, false);
  });
});
