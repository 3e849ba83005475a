// The console's record of processing page in Chromium at 1280 and 390 px: an auditor opens it from
// the menu and reads one section per purpose; axe finds nothing; nothing scrolls sideways; printed,
// the menu and the download links are left out and every activity is on paper.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { axeViolations, horizontalOverflow } from '../helpers/axe-check.js';
import { consoleInChromium, pageErrors, SKIP_BROWSER } from '../helpers/browser.js';

describe('the console record of processing page in Chromium', {
  skip: SKIP_BROWSER ? 'no Chromium on this machine' : false,
}, () => {
  const at = consoleInChromium({ width: 1280, height: 844 });

  for (const width of [1280, 390]) {
    it(`reads and prints every activity at ${width} px, axe-clean`, async () => {
      const page = await at.logIn(`ropa${width}`, ['auditor'], width);
      const errors = pageErrors(page);
      await page.getByRole('link', { name: 'Record of processing', exact: true }).click();
      await page.getByRole('heading', { name: 'Record of processing activities', level: 1 }).waitFor();
      const purposes = Object.keys(at.env.ctx.policy.doc.purposes);
      assert.equal(await page.locator('section.ropa-activity').count(), purposes.length);
      assert.equal(await page.getByTestId('ropa-summary').locator('tbody tr').count(), purposes.length);
      assert.equal(await horizontalOverflow(page), 0, `the page scrolls sideways at ${width} px`);
      assert.deepEqual(await axeViolations(page), []);

      await page.emulateMedia({ media: 'print' });
      assert.equal(await page.locator('header.site nav').isVisible(), false, 'the menu is not printed');
      assert.equal(await page.locator('.no-print').isVisible(), false, 'the download links are not printed');
      assert.ok(await page.locator('section.ropa-activity').last().isVisible());
      await page.emulateMedia({ media: 'screen' });
      assert.deepEqual(errors, []);
    });
  }
});
