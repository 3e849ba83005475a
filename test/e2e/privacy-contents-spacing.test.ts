// The notice's contents list on a phone (390 px): every entry is a tap target at least 44 px tall and
// the gap between one entry's words and the next's is the same down the list, whether an entry takes
// one line or two (the links were inline boxes on the text's baseline: a one-line entry stood in 44 px
// with its words centred, a wrapped one had no room around its lines, and each sat on a line box
// taller than itself, so the gaps jumped between about 8 and 25 px). At 1280 px, two columns.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { SKIP_BROWSER, servedVowForSuite } from '../helpers/browser.js';

describe('the notice: the contents list', {
  skip: SKIP_BROWSER ? 'no Chromium on this machine' : false,
}, () => {
  const served = servedVowForSuite();

  /** Each entry's link box and the box of its words (their first and last line), top to bottom. */
  const entries = async (width: number, lang = 'en-US') => {
    const page = await served.browser.newPage({ viewport: { width, height: 900 }, locale: lang });
    await page.goto(`${served.baseUrl}/privacy`);
    const out = await page.evaluate(() =>
      Array.from(document.querySelectorAll('nav.toc li')).map((li) => {
        const a = li.querySelector('a') as HTMLAnchorElement;
        const box = a.getBoundingClientRect();
        const range = document.createRange();
        range.selectNodeContents(a);
        const lines = Array.from(range.getClientRects());
        return {
          text: a.textContent ?? '',
          left: Math.round(box.left),
          top: box.top,
          height: box.height,
          textTop: Math.min(...lines.map((r) => r.top)),
          textBottom: Math.max(...lines.map((r) => r.bottom)),
          liTop: li.getBoundingClientRect().top,
          liBottom: li.getBoundingClientRect().bottom,
        };
      }),
    );
    await page.close();
    return out;
  };

  for (const lang of ['en-US', 'es-US'])
    it(`on a phone, even gaps between entries and every entry 44 px tall (${lang})`, async () => {
      const list = await entries(390, lang);
      assert.ok(list.length >= 8, `entries: ${list.length}`);
      const gaps = list.slice(1).map((e, i) => e.textTop - (list[i]?.textBottom ?? 0));
      const spread = Math.max(...gaps) - Math.min(...gaps);
      assert.ok(spread <= 2, `gaps between entries' words: ${gaps.map((g) => g.toFixed(1)).join(', ')}`);
      for (const e of list) assert.ok(e.height >= 44, `${e.text}: ${e.height} px tall`);
      // The entry is its link: no line box taller than the link around it.
      for (const e of list)
        assert.ok(
          e.liBottom - e.liTop - e.height <= 1,
          `${e.text}: ${e.liBottom - e.liTop} px around ${e.height}`,
        );
    });

  it('two columns on a desktop', async () => {
    const list = await entries(1280);
    assert.equal(new Set(list.map((e) => e.left)).size, 2);
  });
});
