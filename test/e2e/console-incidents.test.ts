// The breach register in Chromium at 1280 and 390 px: a privacy officer reaches Incidents from the
// menu, records an incident with the form, lands on its page, and sees an overdue incident said in
// words on the list; no page scrolls sideways and axe finds nothing on the list or an incident's page.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { axeViolations, horizontalOverflow as sideways } from '../helpers/axe-check.js';
import { consoleInChromium, pageErrors, SKIP_BROWSER } from '../helpers/browser.js';

const HOUR = 3_600_000;

describe('the incident register at 1280 and 390 px', {
  skip: SKIP_BROWSER ? 'no Chromium on this machine' : false,
}, () => {
  const at = consoleInChromium({ width: 1280, height: 844 });

  for (const width of [1280, 390]) {
    it(`records an incident and shows an overdue one in words, axe-clean (${width} px)`, async () => {
      const late = await at.env.services.incidents.record(
        {
          summary: `A laptop with an order export was stolen (${width}).`,
          dataCategories: ['commerce.order_history'],
          subjectKinds: ['customer'],
          awareAt: new Date(at.env.clock.now().getTime() - 80 * HOUR).toISOString(),
        },
        { staffId: 'e2e', privacyOfficer: true },
      );
      const page = await at.logIn(`incidents${width}`, ['privacy_officer'], width);
      const errors = pageErrors(page);
      await page.getByRole('link', { name: 'Incidents', exact: true }).click();
      await page.getByRole('heading', { name: 'Incidents', level: 1 }).waitFor();
      const row = page.locator(`tr[data-incident="${late.id}"]`);
      assert.match((await row.textContent()) ?? '', /Overdue by 8 hours/);
      assert.deepEqual(await axeViolations(page), [], `axe on the list at ${width} px`);
      assert.equal(await sideways(page), 0, `the list scrolls sideways at ${width} px`);

      await page
        .getByLabel('What happened')
        .fill(`Packing slips went out with the wrong parcels (${width}).`);
      await page.getByRole('checkbox', { name: /^First and last name/ }).check();
      await page.getByRole('checkbox', { name: /buyer/ }).check();
      await page.getByLabel('Approximate number of people').fill('12');
      await page.getByLabel('Lead supervisory authority').selectOption('eea');
      await page.getByRole('button', { name: 'Record the incident' }).click();
      await page.getByRole('heading', { name: 'Incident', level: 1 }).waitFor();
      assert.match((await page.getByRole('status').textContent()) ?? '', /Incident recorded/);
      assert.match((await page.getByTestId('incident-clock').textContent()) ?? '', /3 days left/);
      assert.deepEqual(await axeViolations(page), [], `axe on an incident's page at ${width} px`);
      assert.equal(await sideways(page), 0, `the incident's page scrolls sideways at ${width} px`);

      // A decision without its reason is refused by the browser (required); with it, recorded.
      await page.getByLabel(/Is the breach likely to result in a risk/).selectOption('none');
      await page.getByLabel('Reason (required)').fill('Only first names, no addresses.');
      await page.getByRole('button', { name: 'Record the decision' }).click();
      await page.getByRole('status').waitFor();
      assert.match(
        (await page.getByTestId('incident-clock').textContent()) ?? '',
        /decided unlikely to result in a risk/,
      );
      assert.deepEqual(errors, []);
      await page.close();
    });
  }
});
