// The tests' Chromium command line keeps playwright-core's own disabled features: Chromium honours
// only the LAST --disable-features switch, and playwright-core puts its own before the caller's, so
// a list that left one of playwright-core's out would turn that feature back on (its stable
// screenshots, HTTP kept HTTP, storage not partitioned...). Read off the running browser's command
// line, so an upgrade of playwright-core that disables more fails here until the helper's list
// (test/helpers/browser.ts, CHROMIUM_DISABLED_FEATURES) names them too. And the list does what it is
// there for: a new context opens no browser-UI renderer beside its page.
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { describe, it } from 'node:test';
import { chromium } from 'playwright-core';
import { CHROMIUM, CHROMIUM_ARGS, CHROMIUM_DISABLED_FEATURES, SKIP_BROWSER } from '../helpers/browser.js';

/** The command lines of this process's children (Chromium's browser process among them). */
function childCommandLines(): string[][] {
  const out: string[][] = [];
  for (const pid of readdirSync('/proc')) {
    if (!/^\d+$/.test(pid)) continue;
    try {
      const status = readFileSync(`/proc/${pid}/status`, 'utf8');
      if (Number(/^PPid:\s+(\d+)/m.exec(status)?.[1]) !== process.pid) continue;
      out.push(readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0'));
    } catch {
      // the process ended meanwhile
    }
  }
  return out;
}

describe('the tests’ Chromium command line', {
  skip: SKIP_BROWSER ? 'no Chromium on this machine' : false,
}, () => {
  it('names every feature playwright-core disables in its one effective --disable-features, and the omnibox popup', async () => {
    const browser = await chromium.launch({ executablePath: CHROMIUM, args: CHROMIUM_ARGS });
    try {
      const argv = childCommandLines().find((a) => a.includes('--remote-debugging-pipe'));
      assert.ok(argv, 'the browser process is a child of this one');
      const lists = argv
        .filter((a) => a.startsWith('--disable-features='))
        .map((a) => a.slice('--disable-features='.length).split(','));
      assert.ok(lists.length >= 2, `playwright-core's switch and ours: ${lists.length}`);
      const effective = new Set(lists.at(-1));
      const dropped = lists
        .slice(0, -1)
        .flat()
        .filter((f) => f !== '' && !effective.has(f));
      assert.deepEqual(dropped, [], 'add these to CHROMIUM_DISABLED_FEATURES (test/helpers/browser.ts)');
      assert.deepEqual(new Set(CHROMIUM_DISABLED_FEATURES), effective);
      for (const f of ['WebUIOmniboxPopup', 'WebUIOmniboxFullPopup', 'WebUIOmniboxAimPopup'])
        assert.ok(effective.has(f), f);

      // What the omnibox features cost: a renderer of browser UI for every context. None now.
      const context = await browser.newContext();
      const page = await context.newPage();
      await page.setContent('<h1>one page</h1>');
      const cdp = await browser.newBrowserCDPSession();
      const { targetInfos } = (await cdp.send('Target.getTargets', { filter: [{}] })) as {
        targetInfos: { type: string; url: string }[];
      };
      assert.deepEqual(
        targetInfos.filter((t) => t.type === 'browser_ui').map((t) => t.url),
        [],
        'no browser-UI page beside the context’s own',
      );
      assert.ok(targetInfos.some((t) => t.type === 'page'));
    } finally {
      await browser.close();
    }
  });
});
