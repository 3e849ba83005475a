// An incident's US state breach clocks in Chromium at 1280 and 390 px: the privacy officer enters the
// residents per state, sees each state's notices nearest first (California's 30 days before
// Wisconsin's 45; an overdue one said in words), records a notice given, and the page stays axe-clean
// without scrolling sideways. Screenshots go to .tmp/breach-states/ for the review.
import assert from 'node:assert/strict';
import { mkdirSync } from 'node:fs';
import path from 'node:path';
import { describe, it } from 'node:test';
import { axeViolations, horizontalOverflow as sideways } from '../helpers/axe-check.js';
import { consoleInChromium, pageErrors, SKIP_BROWSER } from '../helpers/browser.js';

const DAY = 86_400_000;
const SHOTS = path.join(process.cwd(), '.tmp', 'breach-states');

describe('US state breach clocks on an incident page at 1280 and 390 px', {
  skip: SKIP_BROWSER ? 'no Chromium on this machine' : false,
}, () => {
  const at = consoleInChromium({ width: 1280, height: 900 });

  for (const width of [1280, 390]) {
    it(`enters residents, shows the clocks nearest first, records a notice, axe-clean (${width} px)`, async () => {
      at.env.clock.advance(40 * DAY); // into 2026: California's 30 days (SB 446) apply
      const inc = await at.env.services.incidents.record(
        {
          summary: `Order confirmations went to the wrong customers (${width}).`,
          dataCategories: ['contact.postal_address'],
          subjectKinds: ['customer'],
          awareAt: new Date(at.env.clock.now().getTime() - 35 * DAY).toISOString(),
        },
        { staffId: 'e2e', privacyOfficer: true },
      );
      const page = await at.logIn(`usstates${width}`, ['privacy_officer'], width);
      const errors = pageErrors(page);
      await page.goto(`${at.base}/staff/incidents/${inc.id}`);
      await page.getByLabel(/One state a line/).fill('WI 1200\nCA 501\nTX 249\nGA 3\nunknown 4');
      await page.getByRole('button', { name: 'Save the residents' }).click();
      await page.getByRole('heading', { name: 'US state breach laws' }).waitFor();
      const table = page.getByTestId('us-state-clocks');
      const states = await table
        .locator('tr[data-kind="residents"]')
        .evaluateAll((rows) => rows.map((r) => r.getAttribute('data-state')));
      assert.deepEqual(states, ['us-ca', 'us-wi', 'us-tx', 'us-ga'], 'nearest open deadline first');
      const ca = table.locator('tr[data-state="us-ca"][data-kind="residents"]');
      assert.match((await ca.textContent()) ?? '', /Overdue by 5 days/);
      const ag = table.locator('tr[data-state="us-ca"][data-kind="regulator"]');
      assert.match((await ag.textContent()) ?? '', /more than 500 residents/);
      const tx = table.locator('tr[data-state="us-tx"][data-kind="regulator"]');
      assert.match((await tx.textContent()) ?? '', /Not required/);

      await page.getByLabel('Notice', { exact: true }).selectOption('us-wi:residents');
      await page.getByLabel(/To whom and how/).fill('A letter to each resident');
      await page.getByRole('button', { name: 'Record the notice' }).click();
      await page.getByRole('heading', { name: 'US state breach laws' }).waitFor();
      const wi = page.getByTestId('us-state-clocks').locator('tr[data-state="us-wi"][data-kind="residents"]');
      assert.match((await wi.textContent()) ?? '', /Given .*A letter to each resident/);
      assert.deepEqual(await axeViolations(page), [], `axe at ${width} px`);
      assert.equal(await sideways(page), 0, `the page scrolls sideways at ${width} px`);
      mkdirSync(SHOTS, { recursive: true });
      await page.getByRole('heading', { name: 'US state breach laws' }).scrollIntoViewIfNeeded();
      await page.screenshot({ path: path.join(SHOTS, `us-states-${width}.png`), fullPage: true });
      assert.deepEqual(errors, []);
    });
  }
});
